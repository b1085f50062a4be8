import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { heraldError } from '../../../test/support/herald-error.ts';
import { parseConfig } from '../../config/config.ts';
import { createMetricsAccess } from './metrics-access.ts';

const request = (ip: string, authorization?: string) => ({ ip, headers: authorization === undefined ? {} : { authorization } }) as unknown as FastifyRequest;

test('without a token: allowed addresses and networks scrape, others get 403 naming the setting', () => {
  const check = createMetricsAccess(parseConfig({ HERALD_METRICS_ALLOW: '127.0.0.1,10.1.0.0/16,fd00::/8' }).metrics);
  for (const ip of ['127.0.0.1', '10.1.200.3', 'fd00::7', '::ffff:10.1.0.9']) assert.doesNotThrow(() => check(request(ip)), ip);
  const refused = heraldError(() => check(request('10.2.0.1')));
  assert.deepEqual([refused.kind, refused.code], ['forbidden', 'METRICS_ADDRESS_NOT_ALLOWED']);
  assert.match(refused.message, /HERALD_METRICS_ALLOW/);
  // No token is configured, so any bearer token is a wrong one.
  assert.equal(heraldError(() => check(request('127.0.0.1', 'Bearer guess'))).code, 'METRICS_TOKEN_INVALID');
});

test('with a token: the right one scrapes from anywhere; a wrong or malformed one is 401 without echoing it', () => {
  const check = createMetricsAccess(parseConfig({ HERALD_METRICS_TOKEN: 's3cret-token' }).metrics);
  assert.doesNotThrow(() => check(request('203.0.113.9', 'Bearer s3cret-token')));
  assert.doesNotThrow(() => check(request('203.0.113.9', 'bearer s3cret-token')));
  assert.doesNotThrow(() => check(request('::1')), 'loopback is allowed by default');
  for (const header of ['Bearer s3cret-toke', 'Basic czNjcmV0LXRva2Vu', 's3cret-token']) {
    const refused = heraldError(() => check(request('203.0.113.9', header)));
    assert.deepEqual([refused.kind, refused.code], ['unauthenticated', 'METRICS_TOKEN_INVALID'], header);
    assert.ok(!refused.message.includes('s3cret'));
  }
  assert.equal(heraldError(() => check(request('203.0.113.9'))).code, 'METRICS_TOKEN_MISSING');
});

import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { heraldError } from '../../test/support/herald-error.ts';
import { parseConfig } from './config.ts';

test('render threads and budgets: defaults, values, and a bad value named', () => {
  assert.deepEqual(parseConfig({}).render, { threads: Math.max(1, os.availableParallelism() - 1), requestBudgetMs: 5000, deliveryBudgetMs: 1000 });
  assert.deepEqual(
    parseConfig({ HERALD_RENDER_THREADS: '3', HERALD_RENDER_REQUEST_BUDGET_MS: '2500', HERALD_RENDER_DELIVERY_BUDGET_MS: '200' }).render,
    { threads: 3, requestBudgetMs: 2500, deliveryBudgetMs: 200 },
  );
  for (const [name, value, message] of [
    ['HERALD_RENDER_THREADS', '0', /HERALD_RENDER_THREADS: must be between 1 and 256, got 0/],
    ['HERALD_RENDER_THREADS', 'two', /HERALD_RENDER_THREADS: expected a whole number, got "two"/],
    ['HERALD_RENDER_REQUEST_BUDGET_MS', '5', /HERALD_RENDER_REQUEST_BUDGET_MS: must be between 10 and 600000/],
    ['HERALD_RENDER_DELIVERY_BUDGET_MS', '1.5', /HERALD_RENDER_DELIVERY_BUDGET_MS: expected a whole number/],
  ] as const) {
    const error = heraldError(() => parseConfig({ [name]: value }));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, message);
  }
});

test('metrics access: loopback by default, a token, IPs and CIDRs, and a bad entry named', () => {
  assert.deepEqual(parseConfig({}).metrics, {
    token: undefined,
    allow: [
      { address: '127.0.0.1', prefix: 32, family: 'ipv4' },
      { address: '::1', prefix: 128, family: 'ipv6' },
    ],
  });
  assert.deepEqual(parseConfig({ HERALD_METRICS_TOKEN: 'scrape', HERALD_METRICS_ALLOW: ' 10.0.0.0/8 , fd00::/8,192.168.1.7' }).metrics, {
    token: 'scrape',
    allow: [
      { address: '10.0.0.0', prefix: 8, family: 'ipv4' },
      { address: 'fd00::', prefix: 8, family: 'ipv6' },
      { address: '192.168.1.7', prefix: 32, family: 'ipv4' },
    ],
  });
  for (const [value, message] of [
    ['10.0.0/8', /"10.0.0\/8" is not an IP address or CIDR/],
    ['prometheus.internal', /"prometheus.internal" is not an IP address or CIDR/],
    ['10.0.0.0/33', /"10.0.0.0\/33" has a bad prefix length; use 0 to 32/],
    ['::1/x', /"::1\/x" has a bad prefix length; use 0 to 128/],
    ['10.0.0.0/8/1', /is not an IP address or CIDR/],
  ] as const) {
    const error = heraldError(() => parseConfig({ HERALD_METRICS_ALLOW: value }));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, message);
  }
});

test('the readiness lag limit: unset by default, a value, and a bad value named', () => {
  assert.deepEqual(parseConfig({}).readiness, { maxLagSeconds: undefined });
  assert.deepEqual(parseConfig({ HERALD_READY_MAX_LAG_SECONDS: '300' }).readiness, { maxLagSeconds: 300 });
  for (const [value, message] of [
    ['0', /HERALD_READY_MAX_LAG_SECONDS: must be between 1 and 604800, got 0/],
    ['5m', /HERALD_READY_MAX_LAG_SECONDS: expected a whole number, got "5m"/],
  ] as const) {
    const error = heraldError(() => parseConfig({ HERALD_READY_MAX_LAG_SECONDS: value }));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, message);
  }
});

test('broker ingestion: no broker without its URL, defaults for the names, and a URL of the wrong scheme named', () => {
  assert.deepEqual(parseConfig({}).ingest, { withApi: false, prefetch: 64, retryDelayMs: 5000, amqp: undefined, mqtt: undefined, nats: undefined });
  const ingest = parseConfig({
    HERALD_INGEST_AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
    HERALD_INGEST_MQTT_URL: 'mqtt://127.0.0.1:1883',
    HERALD_INGEST_NATS_URL: 'nats://127.0.0.1:4222',
    HERALD_INGEST_NATS_ACK_WAIT_SECONDS: '5',
    HERALD_INGEST_WITH_API: 'true',
  }).ingest;
  assert.equal(ingest.withApi, true);
  assert.deepEqual(ingest.amqp, { url: 'amqp://guest:guest@127.0.0.1:5672', queue: 'herald.send' });
  assert.deepEqual(ingest.mqtt, { url: 'mqtt://127.0.0.1:1883', topicPrefix: 'herald', clientId: 'herald-ingest' });
  assert.deepEqual(ingest.nats, { url: 'nats://127.0.0.1:4222', stream: 'HERALD_INGEST', subjectPrefix: 'herald', consumer: 'herald-ingest', ackWaitSeconds: 5 });
  for (const [name, value] of [
    ['HERALD_INGEST_AMQP_URL', 'http://127.0.0.1:5672'],
    ['HERALD_INGEST_MQTT_URL', '127.0.0.1:1883'],
    ['HERALD_INGEST_NATS_URL', 'amqp://127.0.0.1:4222'],
  ] as const) {
    const error = heraldError(() => parseConfig({ [name]: value }));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, new RegExp(`^${name}: expected a`));
  }
});

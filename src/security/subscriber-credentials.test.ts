import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heraldError } from '../../test/support/herald-error.ts';
import { mintInboxToken, subscriberHash, verifyInboxToken, verifySubscriberHash } from './subscriber-credentials.ts';

const SECRET = 'inbox-secret-one';
const NOW = Date.UTC(2026, 0, 1);

test('a subscriber hash verifies for its subscriber and secret only', () => {
  const hash = subscriberHash(SECRET, 'u1');
  assert.match(hash, /^[0-9a-f]{64}$/);
  verifySubscriberHash(SECRET, 'u1', hash);
  verifySubscriberHash(SECRET, 'u1', hash.toUpperCase());
  assert.equal(heraldError(() => verifySubscriberHash(SECRET, 'u2', hash)).code, 'INBOX_HASH_INVALID');
  assert.equal(heraldError(() => verifySubscriberHash('other', 'u1', hash)).code, 'INBOX_HASH_INVALID');
  assert.equal(heraldError(() => verifySubscriberHash(SECRET, 'u1', hash.slice(2))).code, 'INBOX_HASH_INVALID');
  assert.equal(heraldError(() => verifySubscriberHash(SECRET, 'u1', 'zz')).code, 'INBOX_HASH_INVALID');
});

test('a token proves its subscriber to its app until it expires', () => {
  const token = mintInboxToken(SECRET, { appId: 'app_1', subscriberId: 'u1', expiresAtMs: NOW + 60_000 });
  assert.match(token, /^hit1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(verifyInboxToken(SECRET, token, 'app_1', NOW), { subscriberId: 'u1', expiresAtMs: NOW + 60_000 });
  assert.equal(heraldError(() => verifyInboxToken(SECRET, token, 'app_1', NOW + 60_000)).code, 'INBOX_TOKEN_EXPIRED');
  assert.equal(heraldError(() => verifyInboxToken(SECRET, token, 'app_2', NOW)).code, 'INBOX_TOKEN_INVALID', 'another app');
  assert.equal(heraldError(() => verifyInboxToken('other', token, 'app_1', NOW)).code, 'INBOX_TOKEN_INVALID', 'another secret');
});

test('a tampered or malformed token is refused', () => {
  const token = mintInboxToken(SECRET, { appId: 'app_1', subscriberId: 'u1', expiresAtMs: NOW + 60_000 });
  const [prefix, , signature] = token.split('.');
  const forged = Buffer.from(JSON.stringify({ app: 'app_1', sub: 'u2', exp: NOW / 1000 + 60 })).toString('base64url');
  for (const bad of [`${prefix}.${forged}.${signature}`, `${token}x`, token.replace('hit1.', 'hit2.'), 'hit1.', 'hit1.a.b', `hit1.${Buffer.from('[]').toString('base64url')}.x`, 'Bearer', '']) {
    assert.equal(heraldError(() => verifyInboxToken(SECRET, bad, 'app_1', NOW)).code, 'INBOX_TOKEN_INVALID', bad);
  }
});

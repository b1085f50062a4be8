import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECRET_MASK } from '../channel-accounts/channel-account-config.ts';
import { maskForAudit } from './audit-masking.ts';

test('secret-named fields are masked at any depth; other values, nulls and arrays keep their shape', () => {
  const masked = maskForAudit({
    id: 'key_1',
    secretAccessKey: 'AKIA-secret',
    callbackSecret: 'cb',
    items: [{ inboxToken: 't', name: 'n' }],
    nested: { password: 'p', currentPassword: 'q', receiptUrl: 'https://herald.example/r/x?t=1', host: 'smtp.example.com' },
    token: null,
    count: 3,
  });
  assert.deepEqual(masked, {
    id: 'key_1',
    secretAccessKey: SECRET_MASK,
    callbackSecret: SECRET_MASK,
    items: [{ inboxToken: SECRET_MASK, name: 'n' }],
    nested: { password: SECRET_MASK, currentPassword: SECRET_MASK, receiptUrl: SECRET_MASK, host: 'smtp.example.com' },
    token: null,
    count: 3,
  });
});

test('a secret-named field holding an object is masked whole, not descended into', () => {
  assert.deepEqual(maskForAudit({ secrets: { a: 'x' } }), { secrets: SECRET_MASK });
});

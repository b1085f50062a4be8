import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { heraldError } from '../../test/support/herald-error.ts';
import { signIngestRequest, verifyIngestSignature } from './ingest-signature.ts';

const parts = { accessKeyId: 'AKEXAMPLE', idempotencyKey: 'order-A-1', replyTo: 'shop.replies', payload: Buffer.from('{"to":["u-42"],"template":"order-shipped"}') };

test('the signature is the one docs/brokers.md tells callers to compute', () => {
  // The documented recipe, written out independently of the implementation.
  const bodyHash = createHash('sha256').update(parts.payload).digest('hex');
  const documented = 'v1=' + createHmac('sha256', 'secret').update(['HERALD-INGEST-V1', 'AKEXAMPLE', 'order-A-1', 'shop.replies', bodyHash].join('\n')).digest('hex');
  assert.equal(signIngestRequest('secret', parts), documented);
  assert.doesNotThrow(() => verifyIngestSignature('secret', parts, documented));
  // Absent values are empty lines, so a request without them signs differently from one with them.
  assert.notEqual(signIngestRequest('secret', { ...parts, idempotencyKey: undefined }), documented);
});

test('another secret, body, idempotency key or reply address does not verify; no signature is SIGNATURE_MISSING', () => {
  const signature = signIngestRequest('secret', parts);
  for (const changed of [{ payload: Buffer.from('{}') }, { idempotencyKey: 'order-A-2' }, { replyTo: 'elsewhere' }, { accessKeyId: 'AKOTHER' }]) {
    assert.equal(heraldError(() => verifyIngestSignature('secret', { ...parts, ...changed }, signature)).code, 'SIGNATURE_MISMATCH');
  }
  assert.equal(heraldError(() => verifyIngestSignature('another', parts, signature)).code, 'SIGNATURE_MISMATCH');
  assert.equal(heraldError(() => verifyIngestSignature('secret', parts, 'v1=abc')).code, 'SIGNATURE_MISMATCH');
  assert.equal(heraldError(() => verifyIngestSignature('secret', parts, undefined)).code, 'SIGNATURE_MISSING');
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  computeWebhookSignature,
  signWebhookRequest,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './webhook-signature.ts';

const SECRET = 'whsec_test';
const NOW_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
const BODY = '{"messageId":"msg_1","text":"你好"}';

describe('webhook signature', () => {
  test('signs HMAC-SHA256 hex over "<timestamp>.<body>"', () => {
    // Reference: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
    assert.equal(
      computeWebhookSignature(SECRET, 1_700_000_000, '{"a":1}'),
      '38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789',
    );
  });

  test('produces the timestamp and v1 signature headers', () => {
    const headers = signWebhookRequest(SECRET, BODY, NOW_MS + 999);
    assert.equal(headers[WEBHOOK_TIMESTAMP_HEADER], String(NOW_MS / 1000));
    assert.equal(headers[WEBHOOK_SIGNATURE_HEADER], `v1=${computeWebhookSignature(SECRET, NOW_MS / 1000, BODY)}`);
  });

  const signed = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) => {
    const headers = signWebhookRequest(SECRET, BODY, NOW_MS);
    return {
      secret: SECRET,
      rawBody: BODY,
      timestampHeader: headers[WEBHOOK_TIMESTAMP_HEADER],
      signatureHeader: headers[WEBHOOK_SIGNATURE_HEADER],
      nowMs: NOW_MS,
      ...overrides,
    };
  };

  test('verifies its own signature, for string and byte bodies', () => {
    verifyWebhookSignature(signed());
    verifyWebhookSignature(signed({ rawBody: Buffer.from(BODY, 'utf8') }));
  });

  test('refuses a changed body, a different secret or a tampered signature', () => {
    assert.throws(() => verifyWebhookSignature(signed({ rawBody: BODY.replace('msg_1', 'msg_2') })), { code: 'SIGNATURE_INVALID' });
    assert.throws(() => verifyWebhookSignature(signed({ secret: 'other' })), { code: 'SIGNATURE_INVALID' });
    assert.throws(() => verifyWebhookSignature(signed({ signatureHeader: 'v1=00' })), { code: 'SIGNATURE_INVALID' });
    const { signatureHeader } = signed();
    assert.throws(() => verifyWebhookSignature(signed({ signatureHeader: signatureHeader!.replace('v1=', 'v0=') })), {
      code: 'SIGNATURE_INVALID',
    });
  });

  test('refuses a timestamp outside the tolerance, either way, and a malformed one', () => {
    verifyWebhookSignature(signed({ nowMs: NOW_MS + 300_000 }));
    assert.throws(() => verifyWebhookSignature(signed({ nowMs: NOW_MS + 301_000 })), { code: 'SIGNATURE_EXPIRED', kind: 'unauthenticated' });
    assert.throws(() => verifyWebhookSignature(signed({ nowMs: NOW_MS - 301_000 })), { code: 'SIGNATURE_EXPIRED' });
    assert.throws(() => verifyWebhookSignature(signed({ nowMs: NOW_MS + 61_000, toleranceSeconds: 60 })), { code: 'SIGNATURE_EXPIRED' });
    assert.throws(() => verifyWebhookSignature(signed({ timestampHeader: '17e8' })), { code: 'SIGNATURE_EXPIRED' });
  });

  test('refuses missing headers', () => {
    assert.throws(() => verifyWebhookSignature(signed({ signatureHeader: undefined })), { code: 'SIGNATURE_MISSING' });
    assert.throws(() => verifyWebhookSignature(signed({ timestampHeader: '' })), { code: 'SIGNATURE_MISSING' });
  });

  test('accepts any of several v1 signatures, for secret rotation', () => {
    const { signatureHeader } = signed();
    const withOldSecret = signWebhookRequest('old-secret', BODY, NOW_MS)[WEBHOOK_SIGNATURE_HEADER];
    verifyWebhookSignature(signed({ signatureHeader: `${withOldSecret}, ${signatureHeader}` }));
  });
});

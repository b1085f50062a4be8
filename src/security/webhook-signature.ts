import { createHmac, timingSafeEqual } from 'node:crypto';
import { unauthenticated } from '../errors.ts';

/**
 * Signatures on requests Herald sends to other systems (webhook channel, result callbacks):
 * `X-Herald-Signature: v1=<hex HMAC-SHA256(secret, "<timestampSeconds>.<rawBody>")>` with the
 * timestamp in `X-Herald-Timestamp`, so receivers can check origin, integrity and freshness.
 */
export const WEBHOOK_TIMESTAMP_HEADER = 'X-Herald-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'X-Herald-Signature';
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

const SIGNATURE_VERSION = 'v1';

export function computeWebhookSignature(secret: string, timestampSeconds: number, rawBody: string | Uint8Array): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.`).update(rawBody).digest('hex');
}

/** The two headers to add to a request carrying `rawBody`. */
export function signWebhookRequest(secret: string, rawBody: string | Uint8Array, nowMs: number): Record<string, string> {
  const timestampSeconds = Math.floor(nowMs / 1000);
  return {
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestampSeconds),
    [WEBHOOK_SIGNATURE_HEADER]: `${SIGNATURE_VERSION}=${computeWebhookSignature(secret, timestampSeconds, rawBody)}`,
  };
}

export interface WebhookSignatureCheck {
  secret: string;
  /** The body exactly as received, before any JSON parsing. */
  rawBody: string | Uint8Array;
  timestampHeader: string | undefined;
  signatureHeader: string | undefined;
  nowMs: number;
  /** How far the timestamp may be from now, either way. Default 300. */
  toleranceSeconds?: number;
}

/**
 * Throws HeraldError('unauthenticated') with code SIGNATURE_MISSING, SIGNATURE_EXPIRED or
 * SIGNATURE_INVALID. The signature header may list several `v1=` values (comma separated),
 * which lets a sender overlap an old and a new secret while rotating.
 */
export function verifyWebhookSignature(check: WebhookSignatureCheck): void {
  const { timestampHeader, signatureHeader } = check;
  if (!timestampHeader || !signatureHeader) {
    throw unauthenticated(
      'SIGNATURE_MISSING',
      `Both ${WEBHOOK_TIMESTAMP_HEADER} and ${WEBHOOK_SIGNATURE_HEADER} headers are required`,
    );
  }
  const timestampSeconds = /^\d+$/.test(timestampHeader) ? Number(timestampHeader) : Number.NaN;
  const toleranceSeconds = check.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  const skewSeconds = Math.abs(check.nowMs / 1000 - timestampSeconds);
  if (!(skewSeconds <= toleranceSeconds)) {
    throw unauthenticated(
      'SIGNATURE_EXPIRED',
      `${WEBHOOK_TIMESTAMP_HEADER} "${timestampHeader}" is not a Unix time in seconds within ${toleranceSeconds} s of now`,
    );
  }
  const expected = Buffer.from(computeWebhookSignature(check.secret, timestampSeconds, check.rawBody), 'hex');
  const candidates = signatureHeader
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SIGNATURE_VERSION}=`))
    .map((part) => Buffer.from(part.slice(SIGNATURE_VERSION.length + 1), 'hex'));
  const matches = candidates.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  if (!matches) {
    throw unauthenticated('SIGNATURE_INVALID', `${WEBHOOK_SIGNATURE_HEADER} does not match the body and timestamp`);
  }
}

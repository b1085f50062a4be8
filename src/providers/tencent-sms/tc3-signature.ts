import { createHash, createHmac } from 'node:crypto';

/**
 * Tencent Cloud API 3.0 signature (TC3-HMAC-SHA256) for a JSON POST, as its "签名方法 v3"
 * page defines it: a canonical request over content-type and host and the body's SHA-256,
 * signed with a key derived from the SecretKey, the UTC date, the service and "tc3_request".
 */

export const TC3_CONTENT_TYPE = 'application/json; charset=utf-8';

const sha256Hex = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

export interface Tc3SigningInput {
  secretId: string;
  secretKey: string;
  /** `sms` for sms.tencentcloudapi.com. */
  service: string;
  host: string;
  /** Seconds since the epoch, also sent as X-TC-Timestamp. */
  timestampSeconds: number;
  body: string;
}

/** The `Authorization` header value for the request. */
export function tc3Authorization(input: Tc3SigningInput): string {
  const date = new Date(input.timestampSeconds * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = `POST\n/\n\ncontent-type:${TC3_CONTENT_TYPE}\nhost:${input.host}\n\n${signedHeaders}\n${sha256Hex(input.body)}`;
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${input.timestampSeconds}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signingKey = hmac(hmac(hmac(`TC3${input.secretKey}`, date), input.service), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

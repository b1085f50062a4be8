import { createHash, createHmac } from 'node:crypto';

/**
 * Alibaba Cloud signature V3 (ACS3-HMAC-SHA256), as its "V3 request structure and signature"
 * page defines it: a canonical request over the method, path, sorted query, the signed
 * headers (lower-case names, trimmed values, sorted) and the body's SHA-256; its SHA-256
 * signed with HMAC-SHA256 keyed by the AccessKey secret.
 */

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** RFC 3986 percent-encoding: encodeURIComponent plus the characters it leaves alone but Aliyun encodes. */
export function acs3PercentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface Acs3SigningInput {
  method: string;
  /** `/` for RPC-style APIs such as SendSms. */
  canonicalUri: string;
  query: Readonly<Record<string, string>>;
  /** Every header to sign (host and the x-acs-* ones), any case. */
  headers: Readonly<Record<string, string>>;
  body: string;
  accessKeyId: string;
  accessKeySecret: string;
}

/** The `Authorization` header value for the request. */
export function acs3Authorization(input: Acs3SigningInput): string {
  const headers = Object.entries(input.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([name]) => name).join(';');
  const canonicalQuery = Object.entries(input.query)
    .map(([name, value]) => [acs3PercentEncode(name), acs3PercentEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const canonicalRequest = [
    input.method.toUpperCase(),
    input.canonicalUri,
    canonicalQuery,
    headers.map(([name, value]) => `${name}:${value}\n`).join(''),
    signedHeaders,
    sha256Hex(input.body),
  ].join('\n');
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', input.accessKeySecret).update(stringToSign).digest('hex');
  return `${ACS3_ALGORITHM} Credential=${input.accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`;
}

export { sha256Hex as acs3ContentSha256 };

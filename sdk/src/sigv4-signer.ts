import { createHash, createHmac, randomUUID } from 'node:crypto';

/**
 * AWS Signature Version 4 as Herald verifies it (service `herald`, any region), header-signed.
 * Every request also carries a random, signed `x-herald-nonce`: Herald remembers each signature it
 * accepted to refuse replays, so two identical requests signed in the same second must still differ.
 */
export const HERALD_SERVICE = 'herald';
export const NONCE_HEADER = 'x-herald-nonce';

export interface SignInput {
  method: string;
  /** The request URL; its path and query must already be percent-encoded as they will be sent. */
  url: URL;
  /** Headers to send and sign (names in any case). */
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** ms since the epoch. */
  nowMs: number;
  /** Default: a random UUID. */
  nonce?: string;
}

/** RFC 3986: everything but `A-Z a-z 0-9 - _ . ~` is percent-encoded (upper-case hex). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Non-S3 services sign each path segment encoded once more (the path as sent is already encoded). */
function canonicalPath(pathname: string): string {
  const segments = pathname.split('/').filter((segment) => segment !== '' && segment !== '.');
  return segments.length === 0 ? '/' : `/${segments.map(uriEncode).join('/')}${pathname.endsWith('/') ? '/' : ''}`;
}

function canonicalQuery(url: URL): string {
  return [...url.searchParams]
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([nameA, valueA], [nameB, valueB]) => (nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** `YYYYMMDDTHHMMSSZ` */
function amzDate(nowMs: number): string {
  return new Date(nowMs).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

/** The headers to send: the given ones (lower-cased), `host`, `x-amz-date`, the nonce and `authorization`. */
export function signRequest(input: SignInput): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  const date = amzDate(input.nowMs);
  headers.host = input.url.host;
  headers['x-amz-date'] = date;
  headers[NONCE_HEADER] = input.nonce ?? randomUUID();
  const signedHeaders = Object.keys(headers).sort();
  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalPath(input.url.pathname),
    canonicalQuery(input.url),
    signedHeaders.map((name) => `${name}:${headers[name]!.trim().replace(/\s+/g, ' ')}\n`).join(''),
    signedHeaders.join(';'),
    sha256Hex(input.body ?? ''),
  ].join('\n');
  const scope = `${date.slice(0, 8)}/${input.region}/${HERALD_SERVICE}/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${date}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signingKey = [date.slice(0, 8), input.region, HERALD_SERVICE, 'aws4_request'].reduce<Buffer>((key, part) => hmac(key, part), Buffer.from(`AWS4${input.secretAccessKey}`, 'utf8'));
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return headers;
}

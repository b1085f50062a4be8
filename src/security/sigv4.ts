/**
 * AWS Signature Version 4 for Herald's API: header-signed requests with the credential scope
 * `<date>/<any region>/herald/aws4_request`, so `curl --aws-sigv4 "aws:amz:<region>:herald"`, the
 * `aws4` package and any SigV4 library can call Herald. Pure functions: the caller supplies the raw
 * request, the time, and a secret lookup; replay protection (remembering signatures) is the caller's.
 */
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { HeraldError } from '../errors.ts';
import { LruCache } from '../lru-cache.ts';

export const SIGV4_SERVICE = 'herald';
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** Header values as Node delivers them (`req.headers` or `req.headersDistinct`), names lower-cased. */
export type SigV4Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface SigV4Authorization {
  accessKeyId: string;
  /** Credential scope date, `YYYYMMDD`. */
  date: string;
  region: string;
  service: string;
  /** Lower-cased, sorted, always includes `host`. */
  signedHeaders: string[];
  /** 64 lower-case hex digits. */
  signature: string;
}

export interface CanonicalRequestInput {
  method: string;
  /** The path as received, still percent-encoded, without the query. */
  path: string;
  /** The raw query string as received, without the leading `?`. */
  query: string;
  headers: SigV4Headers;
  signedHeaders: readonly string[];
  /** Lower-case hex SHA-256 of the body, or the `x-amz-content-sha256` value the client signed. */
  payloadHash: string;
}

export interface VerifySigV4RequestInput {
  method: string;
  /** Path and query exactly as received (`req.url`). */
  url: string;
  headers: SigV4Headers;
  /** The raw body bytes (empty for GET). */
  body: Buffer;
  /** Server time, ms since the epoch. */
  now: number;
  maxSkewSeconds: number;
  /** Resolves the secret of an access key; throws ACCESS_KEY_UNKNOWN / ACCESS_KEY_DISABLED itself. */
  secretFor: (accessKeyId: string) => Promise<string>;
}

export interface VerifiedSigV4Request {
  accessKeyId: string;
  /** Lower-case hex; unique per signed request, so the caller can reject replays. */
  signature: string;
  signedAtMs: number;
}

export interface SignSigV4RequestInput {
  method: string;
  /** Path and query exactly as they will be sent (already percent-encoded). */
  url: string;
  /** The Host header that will be sent, `host[:port]`. */
  host: string;
  /** Further headers to send and sign, e.g. `content-type`. */
  headers?: Readonly<Record<string, string>>;
  body?: Buffer | string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  nowMs: number;
}

const MAX_AUTHORIZATION_LENGTH = 4096;
const MAX_SIGNED_HEADERS = 64;
const DERIVED_KEY_CACHE_SIZE = 256;
const EMPTY_PAYLOAD_HASH = sha256Hex('');

const malformed = (message: string, details?: Record<string, unknown>) =>
  new HeraldError('unauthenticated', 'AUTH_MALFORMED', message, details);
const missing = (message: string) => new HeraldError('unauthenticated', 'AUTH_MISSING', message);
const mismatch = (message: string, details?: Record<string, unknown>) =>
  new HeraldError('unauthenticated', 'SIGNATURE_MISMATCH', message, details);

const AUTHORIZATION_FORMAT =
  `${SIGV4_ALGORITHM} Credential=<AccessKeyId>/<YYYYMMDD>/<region>/${SIGV4_SERVICE}/aws4_request, ` +
  'SignedHeaders=host;x-amz-date, Signature=<64 hex digits>';

export function parseSigV4Authorization(headerValue: unknown): SigV4Authorization {
  const value = singleValue(headerValue, 'Authorization');
  if (value === undefined || value.trim() === '') throw malformed(`The Authorization header is empty; expected ${AUTHORIZATION_FORMAT}`);
  if (value.length > MAX_AUTHORIZATION_LENGTH) {
    throw malformed(`The Authorization header is ${value.length} characters long; at most ${MAX_AUTHORIZATION_LENGTH} are accepted`);
  }
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw malformed(`Authorization must use the ${SIGV4_ALGORITHM} scheme, got "${quote(algorithm)}"; expected ${AUTHORIZATION_FORMAT}`);
  }
  const components = new Map<string, string>();
  for (const part of (space === -1 ? '' : trimmed.slice(space)).split(',')) {
    if (part.trim() === '') continue;
    const equals = part.indexOf('=');
    const name = (equals === -1 ? part : part.slice(0, equals)).trim();
    if (equals === -1) throw malformed(`Authorization component "${quote(name)}" has no "="; expected ${AUTHORIZATION_FORMAT}`);
    if (name !== 'Credential' && name !== 'SignedHeaders' && name !== 'Signature') {
      throw malformed(`Authorization has an unknown component "${quote(name)}"; only Credential, SignedHeaders and Signature are allowed`);
    }
    if (components.has(name)) throw malformed(`Authorization repeats the ${name} component`);
    components.set(name, part.slice(equals + 1).trim());
  }
  const credential = requiredComponent(components, 'Credential');
  const signedHeaders = parseSignedHeaders(requiredComponent(components, 'SignedHeaders'));
  const signature = requiredComponent(components, 'Signature');
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    throw malformed(`Authorization Signature must be 64 lower-case hex digits, got "${quote(signature)}"`);
  }
  return { ...parseCredential(credential), signedHeaders, signature };
}

function requiredComponent(components: Map<string, string>, name: string): string {
  const value = components.get(name);
  if (value === undefined || value === '') throw malformed(`Authorization is missing ${name}=...; expected ${AUTHORIZATION_FORMAT}`);
  return value;
}

function parseCredential(credential: string): Omit<SigV4Authorization, 'signedHeaders' | 'signature'> {
  const parts = credential.split('/');
  const expected = `<AccessKeyId>/<YYYYMMDD>/<region>/${SIGV4_SERVICE}/aws4_request`;
  if (parts.length !== 5) throw malformed(`Authorization Credential "${quote(credential)}" must have the form ${expected}`);
  const [accessKeyId, date, region, service, terminator] = parts;
  if (!/^[A-Za-z0-9._~-]{1,128}$/.test(accessKeyId)) {
    throw malformed(`The access key id in Credential "${quote(accessKeyId)}" must be 1-128 letters, digits, ".", "_", "~" or "-"`);
  }
  if (parseCompactDate(date) === undefined) {
    throw malformed(`The date in Credential "${quote(date)}" must be a calendar date written YYYYMMDD`);
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(region)) {
    throw malformed(`The region in Credential "${quote(region)}" must be 1-64 letters, digits, "_" or "-" (any region is accepted)`);
  }
  if (service !== SIGV4_SERVICE) {
    throw malformed(`The service in Credential must be "${SIGV4_SERVICE}", got "${quote(service)}" (curl: --aws-sigv4 "aws:amz:<region>:${SIGV4_SERVICE}")`);
  }
  if (terminator !== 'aws4_request') {
    throw malformed(`Credential must end with "/aws4_request", got "${quote(terminator)}"`);
  }
  return { accessKeyId, date, region, service };
}

function parseSignedHeaders(list: string): string[] {
  const names = list.split(';');
  if (names.length > MAX_SIGNED_HEADERS) throw malformed(`SignedHeaders lists ${names.length} headers; at most ${MAX_SIGNED_HEADERS} are accepted`);
  names.forEach((name, index) => {
    if (!/^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name)) {
      throw malformed(`SignedHeaders entry "${quote(name)}" must be a lower-case header name; separate names with ";"`);
    }
    if (index > 0 && names[index - 1] >= name) {
      throw malformed(`SignedHeaders must be sorted and without duplicates ("${quote(names[index - 1])}" comes before "${quote(name)}")`);
    }
  });
  if (!names.includes('host')) throw malformed('SignedHeaders must include "host"');
  return names;
}

/** The canonical request of a SigV4 header-signed request to a non-S3 service. */
export function canonicalRequest(input: CanonicalRequestInput): string {
  return assembleCanonicalRequest(input, canonicalUri(input.path), canonicalQueryString(input.query));
}

function assembleCanonicalRequest(input: CanonicalRequestInput, uri: string, query: string): string {
  const headers = headerLookup(input.headers);
  const canonicalHeaders = input.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(headers.get(name) ?? [])}\n`);
  return [input.method, uri, query, canonicalHeaders.join(''), input.signedHeaders.join(';'), input.payloadHash].join('\n');
}

/**
 * Removes empty, `.` and `..` segments, then percent-encodes each segment of the path as received.
 * The received path is already encoded once, so this is the "encode twice" AWS asks of non-S3
 * services: `/v1/subscribers/a%20b` becomes `/v1/subscribers/a%2520b`, which is what aws4, botocore
 * and curl >= 8.4 sign.
 */
export function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(uriEncode(Buffer.from(segment, 'utf8')));
  }
  if (segments.length === 0) return '/';
  return `/${segments.join('/')}${path.endsWith('/') ? '/' : ''}`;
}

/** Decodes every name and value (`+` is a space, as Herald's query parser reads it), re-encodes them per RFC 3986 and sorts by name, then value. */
export function canonicalQueryString(query: string): string {
  return queryParameters(query)
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([nameA, valueA], [nameB, valueB]) => compareStrings(nameA, nameB) || compareStrings(valueA, valueB))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

function queryParameters(query: string): Array<[Buffer, Buffer]> {
  return query
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals === -1 ? [percentDecode(pair), Buffer.alloc(0)] : [percentDecode(pair.slice(0, equals)), percentDecode(pair.slice(equals + 1))];
    });
}

/** Byte-level decoding so malformed escapes and invalid UTF-8 canonicalise deterministically instead of throwing. */
function percentDecode(text: string): Buffer {
  const bytes = Buffer.from(text.replaceAll('+', ' '), 'utf8');
  const out = Buffer.alloc(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const high = hexValue(bytes[i + 1]);
    const low = hexValue(bytes[i + 2]);
    if (bytes[i] === 0x25 && high !== -1 && low !== -1) {
      out[length++] = high * 16 + low;
      i += 2;
    } else {
      out[length++] = bytes[i];
    }
  }
  return out.subarray(0, length);
}

function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/** RFC 3986: `A-Z a-z 0-9 - _ . ~` stay, every other byte becomes `%XX` (upper-case). */
function uriEncode(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    const unreserved =
      (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) ||
      byte === 0x2d || byte === 0x5f || byte === 0x2e || byte === 0x7e;
    out += unreserved ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function canonicalHeaderValue(values: readonly string[]): string {
  return values.map((value) => value.trim().replace(/\s+/g, ' ')).join(',');
}

/** A Map, not property access, so header names like `constructor` or `__proto__` are plain strings. */
function headerLookup(headers: SigV4Headers): Map<string, string[]> {
  const lookup = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers ?? {})) {
    const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
    if (values.length === 0) continue;
    const key = name.toLowerCase();
    lookup.set(key, [...(lookup.get(key) ?? []), ...values]);
  }
  return lookup;
}

function singleValue(value: unknown, headerName: string): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (value.length === 1 && typeof value[0] === 'string') return value[0];
    if (value.length === 0) return undefined;
    throw malformed(`Send exactly one ${headerName} header (got ${value.length})`);
  }
  if (value === undefined || value === null) return undefined;
  throw malformed(`The ${headerName} header must be text`);
}

/** The signature of a canonical request: hex HMAC-SHA256 of the string to sign under the derived key. */
export function sigV4Signature(input: {
  secretAccessKey: string;
  /** `YYYYMMDDTHHMMSSZ` */
  amzDate: string;
  region: string;
  service: string;
  canonicalRequest: string;
}): string {
  const date = input.amzDate.slice(0, 8);
  const stringToSign = sigV4StringToSign(input.amzDate, `${date}/${input.region}/${input.service}/aws4_request`, input.canonicalRequest);
  return createHmac('sha256', signingKey(input.secretAccessKey, date, input.region, input.service)).update(stringToSign, 'utf8').digest('hex');
}

function sigV4StringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${SIGV4_ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

/**
 * Derived keys cost four HMACs and are valid for a whole day, so keep the recent ones (LRU).
 * Kept as KeyObjects: Node 24 turns a Buffer key into one on every createHmac, which costs
 * several times the HMAC itself.
 */
const derivedKeys = new LruCache<string, KeyObject>(DERIVED_KEY_CACHE_SIZE);

function signingKey(secret: string, date: string, region: string, service: string): KeyObject {
  const cacheKey = `${secret}\0${date}\0${region}\0${service}`;
  const cached = derivedKeys.get(cacheKey);
  if (cached) return cached;
  const key = createSecretKey(
    [date, region, service, 'aws4_request'].reduce<Buffer>(
      (previous, part) => createHmac('sha256', previous).update(part, 'utf8').digest(),
      Buffer.from(`AWS4${secret}`, 'utf8'),
    ),
  );
  derivedKeys.set(cacheKey, key);
  return key;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function verifySigV4Request(input: VerifySigV4RequestInput): Promise<VerifiedSigV4Request> {
  const { path, query } = splitUrl(input.url);
  rejectPresignedQuery(query);
  const headers = headerLookup(input.headers);
  const authorizationValue = headers.get('authorization');
  if (authorizationValue === undefined || authorizationValue.every((value) => value.trim() === '')) {
    throw missing(`Missing Authorization header; sign the request with AWS Signature V4 (service "${SIGV4_SERVICE}"), e.g. curl --aws-sigv4 "aws:amz:cn-north-1:${SIGV4_SERVICE}" --user AK:SK`);
  }
  const authorization = parseSigV4Authorization(authorizationValue);

  const { amzDate, signedAtMs } = requestTime(headers);
  if (amzDate.slice(0, 8) !== authorization.date) {
    throw malformed(`The Credential date ${authorization.date} does not match the request date ${amzDate.slice(0, 8)} from X-Amz-Date`);
  }
  const skewMs = input.maxSkewSeconds * 1000;
  if (!(Math.abs(input.now - signedAtMs) <= skewMs)) {
    throw new HeraldError(
      'unauthenticated',
      'SIGNATURE_EXPIRED',
      `The request was signed at ${new Date(signedAtMs).toISOString()} but the server time is ${new Date(input.now).toISOString()}; ` +
        `signatures are accepted within ±${input.maxSkewSeconds} seconds, so sign just before sending and check the client's clock`,
      { signedAt: new Date(signedAtMs).toISOString(), serverTime: new Date(input.now).toISOString(), maxSkewSeconds: input.maxSkewSeconds },
    );
  }
  for (const name of authorization.signedHeaders) {
    if (!headers.has(name)) throw mismatch(`SignedHeaders lists "${name}" but the request has no such header (did a proxy drop it?)`);
  }
  const payloadHash = checkedPayloadHash(headers, input.body);

  const secret = await input.secretFor(authorization.accessKeyId);
  const canonicalInput: CanonicalRequestInput = { method: input.method, path, query, headers: input.headers, signedHeaders: authorization.signedHeaders, payloadHash };
  const signWith = (canonical: string) =>
    sigV4Signature({ secretAccessKey: secret, amzDate, region: authorization.region, service: SIGV4_SERVICE, canonicalRequest: canonical });
  const expected = canonicalRequest(canonicalInput);
  if (signaturesEqual(signWith(expected), authorization.signature)) return verified(authorization, signedAtMs);

  /*
   * curl 7.75-8.3 (still Debian 12's and Ubuntu 22.04's curl) signs the path and query exactly as
   * sent instead of canonicalising them. Accept that form too, but not for paths containing "%25":
   * only there could it make a signature for one path valid for a different decoded path.
   */
  const legacyCurl = assembleCanonicalRequest(canonicalInput, path === '' ? '/' : path, query);
  if (legacyCurl !== expected && !/%25/i.test(path) && signaturesEqual(signWith(legacyCurl), authorization.signature)) {
    return verified(authorization, signedAtMs);
  }
  throw mismatch(
    `The signature does not match. Check the secret key, that the body, query and signed headers were not changed after signing, ` +
      `and that the request is signed as AWS SigV4 for service "${SIGV4_SERVICE}" and region "${authorization.region}"`,
    { canonicalRequest: expected, stringToSign: sigV4StringToSign(amzDate, `${authorization.date}/${authorization.region}/${SIGV4_SERVICE}/aws4_request`, expected) },
  );
}

function verified(authorization: SigV4Authorization, signedAtMs: number): VerifiedSigV4Request {
  return { accessKeyId: authorization.accessKeyId, signature: authorization.signature, signedAtMs };
}

function splitUrl(url: string): { path: string; query: string } {
  const text = typeof url === 'string' ? url : '';
  const questionMark = text.indexOf('?');
  return questionMark === -1 ? { path: text, query: '' } : { path: text.slice(0, questionMark), query: text.slice(questionMark + 1) };
}

function rejectPresignedQuery(query: string): void {
  const presigned = queryParameters(query).some(([name]) => /^x-amz-(signature|credential|algorithm)$/i.test(name.toString('latin1')));
  if (presigned) {
    throw malformed('Query-string signing (presigned URLs with X-Amz-Signature) is not supported; send the signature in the Authorization header');
  }
}

function requestTime(headers: Map<string, string[]>): { amzDate: string; signedAtMs: number } {
  const amzDateValues = headers.get('x-amz-date');
  const dateValues = amzDateValues ?? headers.get('date');
  const headerName = amzDateValues ? 'X-Amz-Date' : 'Date';
  if (dateValues === undefined) throw missing('Missing X-Amz-Date header: the signing time, e.g. X-Amz-Date: 20260105T090000Z');
  if (dateValues.length !== 1) throw malformed(`Send exactly one ${headerName} header (got ${dateValues.length})`);
  const value = dateValues[0].trim();
  const signedAtMs = parseAmzDate(value) ?? (headerName === 'Date' ? parseHttpDate(value) : undefined);
  if (signedAtMs === undefined) {
    throw malformed(`${headerName} "${quote(value)}" is not a valid time; use the ISO 8601 basic format YYYYMMDDTHHMMSSZ, e.g. 20260105T090000Z`);
  }
  return { amzDate: formatAmzDate(signedAtMs), signedAtMs };
}

function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{8})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const day = parseCompactDate(match[1]);
  const [hours, minutes, seconds] = [Number(match[2]), Number(match[3]), Number(match[4])];
  if (day === undefined || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  return day + ((hours * 60 + minutes) * 60 + seconds) * 1000;
}

function parseCompactDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? ms : undefined;
}

/** IMF-fixdate only (`Mon, 05 Jan 2026 09:00:00 GMT`); Date.parse alone accepts far too much. */
function parseHttpDate(value: string): number | undefined {
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

function checkedPayloadHash(headers: Map<string, string[]>, body: Buffer): string {
  const actual = body.length === 0 ? EMPTY_PAYLOAD_HASH : sha256Hex(body);
  const declaredValues = headers.get('x-amz-content-sha256');
  if (declaredValues === undefined) return actual;
  const declared = canonicalHeaderValue(declaredValues);
  if (declared === 'UNSIGNED-PAYLOAD' || declared.startsWith('STREAMING-')) {
    throw malformed(`x-amz-content-sha256 "${quote(declared)}" is not accepted: Herald requires the body to be signed; send its hex SHA-256 or omit the header`);
  }
  if (declared.toLowerCase() !== actual) {
    throw mismatch('x-amz-content-sha256 does not match the SHA-256 of the body received; the body was changed after signing or the hash is wrong');
  }
  return declared;
}

function signaturesEqual(expectedHex: string, givenHex: string): boolean {
  const expected = Buffer.from(expectedHex, 'latin1');
  const given = Buffer.from(givenHex, 'latin1');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Echo client input in messages safely: printable ASCII only, bounded length. */
function quote(text: string): string {
  const printable = text.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 64 ? `${printable.slice(0, 64)}...` : printable;
}

/**
 * Signs a request for Herald (SDK, CLI, tests, benchmarks). Returns the headers to send: the given
 * ones (names lower-cased) plus `host`, `x-amz-date` and `authorization`; all of them are signed.
 */
export function signSigV4Request(input: SignSigV4RequestInput): Record<string, string> {
  const amzDate = formatAmzDate(input.nowMs);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  headers.host = input.host;
  headers['x-amz-date'] = amzDate;
  const signedHeaders = Object.keys(headers).sort();
  const { path, query } = splitUrl(input.url);
  const canonical = canonicalRequest({ method: input.method, path, query, headers, signedHeaders, payloadHash: sha256Hex(input.body ?? '') });
  const signature = sigV4Signature({ secretAccessKey: input.secretAccessKey, amzDate, region: input.region, service: SIGV4_SERVICE, canonicalRequest: canonical });
  headers.authorization =
    `${SIGV4_ALGORITHM} Credential=${input.accessKeyId}/${amzDate.slice(0, 8)}/${input.region}/${SIGV4_SERVICE}/aws4_request, ` +
    `SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return headers;
}

import { invalid } from '../errors.ts';

/** Static request headers an account configures (an Authorization token), checked when the account is saved. */

/** An RFC 9110 token. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Set by the HTTP layer or by the provider itself; letting an account override them would
// break framing (hop-by-hop, Content-Length, Host) or the body's declared format.
const ALWAYS_RESERVED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'content-type',
]);

/** Framing and format headers no account may set (compare lower-cased). */
export const isAlwaysReservedHeader = (lowerName: string) => ALWAYS_RESERVED.has(lowerName);

export interface ConfiguredHeadersRules {
  /** Error codes read `<codePrefix>_HEADER_INVALID` and `<codePrefix>_HEADER_RESERVED`. */
  codePrefix: string;
  /** Headers the provider sets itself, given lower-cased (e.g. signature headers). */
  isReservedByProvider?(lowerName: string): boolean;
  /** The config field holding the headers; `headers` unless told. */
  field?: string;
}

/** Throws HeraldError('invalid') naming `headers.<name>` for a malformed or reserved header. */
export function validateConfiguredHeaders(headers: Readonly<Record<string, string>>, rules: ConfiguredHeadersRules): void {
  for (const [name, value] of Object.entries(headers)) {
    const field = `${rules.field ?? 'headers'}.${name}`;
    if (!HEADER_NAME.test(name)) throw invalid(`${rules.codePrefix}_HEADER_INVALID`, `${field}: "${name}" is not a valid header name`, { field });
    const lowerName = name.toLowerCase();
    if (ALWAYS_RESERVED.has(lowerName) || rules.isReservedByProvider?.(lowerName)) {
      throw invalid(`${rules.codePrefix}_HEADER_RESERVED`, `${field}: the ${name} header is set by Herald and cannot be configured`, { field });
    }
    if (/[\0\r\n]/.test(value)) {
      throw invalid(`${rules.codePrefix}_HEADER_INVALID`, `${field}: header values cannot contain line breaks or NUL`, { field });
    }
  }
}

import type { IncomingHttpHeaders } from 'node:http';
import { HeraldError } from '../errors.ts';
import type { SendOutcome } from './provider.ts';

/**
 * Outcome mappings every provider shares: a thrown network error, a generic HTTP status,
 * a Retry-After header. Providers handle their own error codes first and fall back to these.
 */

export type NetworkErrorCode = 'TIMEOUT' | 'CONNECTION_REFUSED' | 'ABORTED' | 'CONNECTION_ERROR';

const timeoutErrorCodes = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  /** Nodemailer keeps the system code (ECONNREFUSED) here when it sets its own. */
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
}

/** The error and its `cause` chain (undici and nodemailer wrap the underlying error). */
function* errorChain(error: unknown): Generator<ErrorLike> {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    yield current as ErrorLike;
    current = (current as ErrorLike).cause;
  }
}

export function networkErrorCode(error: unknown): NetworkErrorCode {
  const chain = [...errorChain(error)];
  const has = (test: (e: ErrorLike) => boolean) => chain.some(test);
  // A timeout abort (AbortSignal.timeout) is a timeout, whichever layer reports it.
  if (has((e) => e.name === 'TimeoutError' || timeoutErrorCodes.has(e.code as string))) return 'TIMEOUT';
  if (has((e) => e.code === 'ECONNREFUSED' || e.originalCode === 'ECONNREFUSED')) return 'CONNECTION_REFUSED';
  if (has((e) => e.name === 'AbortError' || e.code === 'UND_ERR_ABORTED' || e.code === 'EABORT')) return 'ABORTED';
  return 'CONNECTION_ERROR';
}

function errorMessage(error: unknown): string {
  const messages = [...errorChain(error)].map((e) => e.message).filter((m): m is string => typeof m === 'string' && m !== '');
  return messages.length > 0 ? [...new Set(messages)].join(': ') : String(error);
}

/**
 * A request that threw instead of answering: transient (`retry`) unless the outbound guard
 * refused the address, which no retry can fix.
 */
export function outcomeFromNetworkError(error: unknown): SendOutcome {
  if (error instanceof HeraldError && error.code === 'OUTBOUND_ADDRESS_BLOCKED') {
    return { kind: 'failed', code: error.code, message: error.message };
  }
  return { kind: 'retry', code: networkErrorCode(error), message: errorMessage(error) };
}

/** `Retry-After` as delay-seconds or an HTTP date; undefined when absent or unparsable. */
export function parseRetryAfterMs(value: string | string[] | undefined, nowMs: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // HTTP dates always name a weekday or month; Date.parse alone would read "-5" as a year.
  const dateMs = /[A-Za-z]/.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

export interface HttpResponseSummary {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export const isSuccessStatus = (statusCode: number) => statusCode >= 200 && statusCode < 300;

const BODY_EXCERPT_CHARS = 300;

/** `HTTP 503: <start of the body>`, for outcome messages. */
export function describeHttpResponse(response: HttpResponseSummary): string {
  const excerpt = response.body.trim().slice(0, BODY_EXCERPT_CHARS);
  return excerpt ? `HTTP ${response.statusCode}: ${excerpt}` : `HTTP ${response.statusCode}`;
}

/**
 * Generic status mapping: 2xx sent; 429 rate limited; 408 and 5xx retry; anything else
 * (4xx, and 3xx since redirects are not followed) failed with `HTTP_<status>`.
 */
export function outcomeFromHttpStatus(response: HttpResponseSummary, nowMs: number): SendOutcome {
  const { statusCode } = response;
  if (isSuccessStatus(statusCode)) return { kind: 'sent' };
  const code = `HTTP_${statusCode}`;
  const message = describeHttpResponse(response);
  const retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], nowMs);
  if (statusCode === 429) return { kind: 'rate_limited', code, message, retryAfterMs };
  if (statusCode === 408 || statusCode >= 500) return { kind: 'retry', code, message, retryAfterMs };
  return { kind: 'failed', code, message };
}

/** The body as a JSON object, or undefined. IM APIs answer most errors with HTTP 200 and a JSON code. */
export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A 2xx answer the provider's API would never give (an HTML error page from a proxy, say): transient. */
export function unreadableResponseOutcome(response: HttpResponseSummary): SendOutcome {
  return { kind: 'retry', code: 'INVALID_RESPONSE', message: `Unexpected provider answer: ${describeHttpResponse(response)}` };
}

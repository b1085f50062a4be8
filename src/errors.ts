/**
 * Domain errors carry a stable string code and a kind. Only the HTTP edge
 * (src/http/error-handler.ts) turns a kind into a status code; domain and
 * worker code never speak HTTP.
 */
export type ErrorKind =
  | 'invalid' // the request itself is malformed or violates a rule (400)
  | 'unauthenticated' // no or bad credentials (401)
  | 'forbidden' // credentials fine, action not allowed (403)
  | 'not_found' // (404)
  | 'conflict' // state or idempotency conflict (409)
  | 'too_large' // payload or list over a limit (413)
  | 'unprocessable' // well-formed but semantically unusable, e.g. template render errors (422)
  | 'throttled' // (429)
  | 'unavailable'; // a dependency is down (503)

export class HeraldError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  /** Extra machine-readable fields for the problem document (e.g. `field`, `retryAfterSeconds`). */
  readonly details: Record<string, unknown>;

  constructor(kind: ErrorKind, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'HeraldError';
    this.kind = kind;
    this.code = code;
    this.details = details;
  }
}

export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new HeraldError('invalid', code, message, details);
export const notFound = (code: string, message: string, details?: Record<string, unknown>) =>
  new HeraldError('not_found', code, message, details);
export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new HeraldError('conflict', code, message, details);
export const forbidden = (code: string, message: string, details?: Record<string, unknown>) =>
  new HeraldError('forbidden', code, message, details);
export const unauthenticated = (code: string, message: string, details?: Record<string, unknown>) =>
  new HeraldError('unauthenticated', code, message, details);
export const unprocessable = (code: string, message: string, details?: Record<string, unknown>) =>
  new HeraldError('unprocessable', code, message, details);

import { HeraldError } from '../errors.ts';

export const STORAGE_UNAVAILABLE = 'STORAGE_UNAVAILABLE';

/** What a client is told to wait before retrying while storage cannot take writes (also how long readiness stays down after such a failure). */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

/** Node socket errors meaning the database server cannot be reached. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs (or their two-character classes) meaning the server cannot take the work now,
 * whatever the statement: connection exceptions (08), insufficient resources (53: disk full,
 * out of memory, too many connections), operator intervention (57P01-57P03: shutdown,
 * crash, still starting), a read-only server (25006, e.g. a standby after a failover), and
 * system errors (58: I/O). Conflicts between transactions (class 40) are not outages: see
 * `isTransactionConflict`.
 */
const POSTGRES_CLASSES = new Set(['08', '53', '58']);
const POSTGRES_STATES = new Set(['57P01', '57P02', '57P03', '25006']);

/**
 * pg reports a connection that ended, or a pool that could not connect in time, as plain
 * Errors without a code; their messages are pg's API (pg/lib/client.js, pg-pool/index.js).
 */
const PG_CONNECTION_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

/**
 * SQLite primary result codes (node:sqlite's `errcode` is the extended code; its low byte is
 * the primary one): BUSY after the busy timeout (another process holds the write lock),
 * NOMEM, READONLY, IOERR, FULL (disk or max_page_count), CANTOPEN, PROTOCOL.
 */
const SQLITE_PRIMARY_CODES = new Set([5, 7, 8, 10, 13, 14, 15]);

/**
 * True when `error` (or an error it wraps) says the database cannot take the work right now
 * — down, unreachable, out of space, read-only — as opposed to a problem with the statement
 * itself. Such failures are an outage to answer with 503 and ride out, not a bug.
 */
export function isStorageUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    if (current instanceof HeraldError) return current.code === STORAGE_UNAVAILABLE;
    const { code, errcode, message } = current as { code?: unknown; errcode?: unknown; message?: unknown };
    if (typeof code === 'string') {
      if (NETWORK_CODES.has(code) || POSTGRES_STATES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && POSTGRES_CLASSES.has(code.slice(0, 2))) return true;
      if (code === 'ERR_SQLITE_ERROR' && typeof errcode === 'number' && SQLITE_PRIMARY_CODES.has(errcode & 0xff)) return true;
    }
    if (typeof message === 'string' && PG_CONNECTION_MESSAGES.some((known) => message.startsWith(known))) return true;
    // A connect that tried several addresses fails with an AggregateError of the attempts.
    current = current instanceof AggregateError ? current.errors[0] : (current as { cause?: unknown }).cause;
  }
  return false;
}

/** The domain error for a storage outage; the original error, if any, is its `cause` (logged, never shown). */
export function storageUnavailableError(cause?: unknown): HeraldError {
  const error = new HeraldError('unavailable', STORAGE_UNAVAILABLE, `The database cannot take requests right now; retry in ${STORAGE_RETRY_AFTER_SECONDS} seconds`, {
    retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS,
  });
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** SQLSTATEs of a transaction PostgreSQL rolled back to resolve a conflict between concurrent ones: the same request succeeds when sent again. */
const CONFLICT_STATES = new Set(['40001', '40P01']);

/**
 * True when `error` is a serialization failure or a deadlock. Not an outage (readiness stays up,
 * a grouped transaction is retried unit by unit), but a request that still meets one is answered
 * 503 `STORAGE_CONFLICT` with a short Retry-After rather than 500.
 */
export function isTransactionConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONFLICT_STATES.has(code);
}

export function transactionConflictError(cause: unknown): HeraldError {
  const error = new HeraldError('unavailable', 'STORAGE_CONFLICT', 'The request met a concurrent one in the database and was rolled back; send it again', { retryAfterSeconds: 1 });
  error.cause = cause;
  return error;
}

/**
 * True for a unique-constraint violation on either dialect. Services check for duplicates
 * first to answer a clear 409; this catches the race where two requests pass that check together.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  // PostgreSQL: SQLSTATE 23505. SQLite (node:sqlite): "UNIQUE constraint failed: ...".
  return code === '23505' || (typeof message === 'string' && message.startsWith('UNIQUE constraint failed'));
}

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

/** Runs `work` (an update that may set a unique name) and turns a unique violation into what `taken` makes. */
export function failIfTaken<T>(work: Promise<T>, taken: () => Error): Promise<T> {
  return work.catch((error: unknown) => {
    throw isUniqueViolation(error) ? taken() : error;
  });
}

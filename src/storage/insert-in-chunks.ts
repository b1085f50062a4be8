import type { Kysely, Transaction } from 'kysely';
import type { HeraldSchema } from './schema.ts';

/** Bound parameters per statement: below SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;

/** Multi-row inserts, split so no statement exceeds either dialect's parameter limit. */
export async function insertInChunks<T extends keyof HeraldSchema>(db: Kysely<HeraldSchema> | Transaction<HeraldSchema>, table: T, rows: readonly HeraldSchema[T][]): Promise<void> {
  if (rows.length === 0) return;
  const rowsPerStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0]!).length));
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    await db
      .insertInto(table)
      .values(rows.slice(start, start + rowsPerStatement) as never)
      .execute();
  }
}

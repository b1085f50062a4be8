import { sql } from 'kysely';
import type { HeraldDatabase } from './database.ts';

/** The database's size on disk in bytes: SQLite's pages in use (free pages included), PostgreSQL's `pg_database_size`. */
export async function databaseSizeBytes(database: HeraldDatabase): Promise<number> {
  const query =
    database.dialect === 'sqlite'
      ? sql<{ bytes: number | string }>`select page_count * page_size as bytes from pragma_page_count(), pragma_page_size()`
      : sql<{ bytes: number | string }>`select pg_database_size(current_database()) as bytes`;
  const { rows } = await query.execute(database.db);
  return Number(rows[0]!.bytes);
}

import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from './dialect.ts';
import { capabilitiesOf } from './dialect-capabilities.ts';
import type { HeraldSchema } from './schema.ts';

/**
 * Multi-row inserts on the accept path, split so no statement exceeds either dialect's
 * parameter limit. The SQL is written directly instead of through Kysely's builder: building
 * a query node per value was a tenth of an accept's CPU, and the same text for the same row
 * count lets the statement cache reuse prepared statements.
 */
export async function insertInChunks<T extends keyof HeraldSchema>(
  db: Kysely<HeraldSchema> | Transaction<HeraldSchema>,
  dialect: Dialect,
  table: T,
  rows: readonly HeraldSchema[T][],
): Promise<void> {
  if (rows.length === 0) return;
  const { maxBindParameters, placeholder } = capabilitiesOf(dialect);
  const columns = Object.keys(rows[0]!) as (keyof HeraldSchema[T] & string)[];
  const rowsPerStatement = Math.max(1, Math.floor(maxBindParameters / columns.length));
  const head = `insert into "${table}" (${columns.map((column) => `"${column}"`).join(', ')}) values `;
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const placeholders: string[] = [];
      for (const column of columns) {
        parameters.push(row[column]);
        placeholders.push(placeholder(parameters.length));
      }
      tuples.push(`(${placeholders.join(', ')})`);
    }
    await db.executeQuery(CompiledQuery.raw(head + tuples.join(', '), parameters));
  }
}

import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from './dialect.ts';
import { capabilitiesOf } from './dialect-capabilities.ts';
import type { HeraldSchema } from './schema.ts';
import { wellFormedJson } from './well-formed-json.ts';

/**
 * Multi-row inserts on the accept path, in as few statements as each dialect allows. The SQL is
 * written directly instead of through Kysely's builder: building a query node per value was a
 * tenth of an accept's CPU.
 *
 * PostgreSQL takes all rows as one JSON parameter unpacked into the table's own row type
 * (`json_populate_recordset`): a 1,000-delivery batch as 25,000 bound parameters took PostgreSQL
 * ~90 ms to parse, plan and insert, as one JSON text ~30 ms (docs/benchmarks.md), and the SQL text
 * is the same for any number of rows. SQLite binds values, split so no statement exceeds its
 * parameter limit; its statements are cheap to prepare and the text repeats for a row count.
 */
export async function insertRows<T extends keyof HeraldSchema>(
  db: Kysely<HeraldSchema> | Transaction<HeraldSchema>,
  dialect: Dialect,
  table: T,
  rows: readonly HeraldSchema[T][],
): Promise<void> {
  if (rows.length === 0) return;
  const { maxBindParameters, placeholder, jsonRecordSet } = capabilitiesOf(dialect);
  const columns = Object.keys(rows[0]!) as (keyof HeraldSchema[T] & string)[];
  const columnList = columns.map((column) => `"${column}"`).join(', ');
  if (jsonRecordSet) {
    await db.executeQuery(CompiledQuery.raw(`insert into "${table}" (${columnList}) select ${columnList} from ${jsonRecordSet(table, placeholder(1))}`, [wellFormedJson(rows)]));
    return;
  }
  const rowsPerStatement = Math.max(1, Math.floor(maxBindParameters / columns.length));
  const head = `insert into "${table}" (${columnList}) values `;
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

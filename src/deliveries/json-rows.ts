import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from '../storage/dialect.ts';
import { capabilitiesOf } from '../storage/dialect-capabilities.ts';
import { wellFormedJson } from '../storage/well-formed-json.ts';

export type JsonColumnType = 'text' | 'bigint' | 'integer';

/**
 * Many rows as ONE bound parameter: a JSON array of arrays, unpacked by the database
 * (`json_each` on SQLite, `jsonb_array_elements` on PostgreSQL). The SQL text is the same for
 * any number of rows, so prepared statements are reused, and building the query costs one
 * JSON.stringify instead of a query node per value: the batched writes of the worker are its
 * hottest statements.
 *
 * Answers `(select <columns> from ...)`, to be used as a FROM source or an INSERT's SELECT.
 */
export function jsonRows(dialect: Dialect, columns: ReadonlyArray<readonly [name: string, type: JsonColumnType]>, rows: readonly unknown[][]): RawBuilder<unknown> {
  const select = sql.join(
    columns.map(([name, type], index) => sql`cast(value ->> ${sql.lit(index)} as ${sql.raw(type)}) as ${sql.ref(name)}`),
  );
  return sql`(select ${select} from ${capabilitiesOf(dialect).jsonArrayElements(wellFormedJson(rows))})`;
}

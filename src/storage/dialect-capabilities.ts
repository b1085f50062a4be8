import { sql, type RawBuilder } from 'kysely';
import type { Dialect } from './dialect.ts';

/**
 * What each database can do, in one place, so code asks for a capability rather than for a
 * dialect by name. SQL that genuinely differs between the two lives here too.
 */
export interface DialectCapabilities {
  /**
   * Writers at a time. SQLite has one: a write transaction locks the whole database, so there
   * are no row locks to take and holding a transaction open stalls every other writer.
   * PostgreSQL locks rows, so writers overlap and `SELECT ... FOR UPDATE` serialises just them.
   */
  singleWriter: boolean;
  /** `FOR UPDATE SKIP LOCKED`: concurrent claimers pass over each other's rows instead of waiting. */
  skipLocked: boolean;
  /** Bound parameters one statement may carry. */
  maxBindParameters: number;
  /** The text of the n-th (1-based) bound parameter in hand-written SQL. */
  placeholder(n: number): string;
  /** A FROM source of the elements of a JSON array parameter, one row each, as a `value` column. */
  jsonArrayElements(json: string): RawBuilder<unknown>;
  /**
   * A FROM source of the rows of `table`'s own row type given as a JSON array of objects in the
   * parameter `placeholder`, columns typed by the table; absent where the database has none.
   */
  jsonRecordSet?(table: string, placeholder: string): string;
}

const CAPABILITIES: Record<Dialect, DialectCapabilities> = {
  sqlite: {
    singleWriter: true,
    skipLocked: false,
    maxBindParameters: 32_766,
    placeholder: () => '?',
    jsonArrayElements: (json) => sql`json_each(${json})`,
  },
  postgres: {
    singleWriter: false,
    skipLocked: true,
    maxBindParameters: 65_535,
    placeholder: (n) => `$${n}`,
    // jsonb: parsed once per element; `value ->> n` on json parses the element again for each column (2× slower for 25 columns).
    jsonArrayElements: (json) => sql`jsonb_array_elements(cast(${json} as jsonb)) as elements(value)`,
    jsonRecordSet: (table, placeholder) => `json_populate_recordset(null::"${table}", ${placeholder}::json)`,
  },
};

export function capabilitiesOf(dialect: Dialect): DialectCapabilities {
  return CAPABILITIES[dialect];
}

import type pgModule from 'pg';
import { lazyRequire } from '../lazy-require.ts';

const requirePg = lazyRequire<typeof pgModule>('pg');

/**
 * node-postgres, loaded when Herald first opens a PostgreSQL connection: a process on SQLite
 * never loads it. Every bigint Herald stores (epoch ms, counts) fits a double, so int8, which
 * PostgreSQL returns as a string, is read as a number.
 */
export function postgresDriver(): typeof pgModule {
  const pg = requirePg();
  pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
  return pg;
}

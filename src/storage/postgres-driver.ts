import type pgModule from 'pg';
import { lazyRequire } from '../lazy-require.ts';

/**
 * node-postgres, loaded when Herald first opens a PostgreSQL connection: a process on SQLite
 * never loads it. Every bigint Herald stores (epoch ms, counts) fits a double, so int8, which
 * PostgreSQL returns as a string, is read as a number (set once, when the module loads).
 */
export const postgresDriver = lazyRequire<typeof pgModule>('pg', (pg) => pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value)));

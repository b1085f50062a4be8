import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { StorageConfig } from '../config/config.ts';
import { openNodeSqlite } from './node-sqlite-adapter.ts';
import type { HeraldSchema } from './schema.ts';

export type Dialect = StorageConfig['dialect'];

export interface HeraldDatabase {
  db: Kysely<HeraldSchema>;
  dialect: Dialect;
  /** True when the database answers a trivial query (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// PostgreSQL returns int8 as strings; every bigint Herald stores (epoch ms, counts) fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function openDatabase(storage: StorageConfig): HeraldDatabase {
  const db =
    storage.dialect === 'sqlite'
      ? new Kysely<HeraldSchema>({ dialect: new SqliteDialect({ database: openSqliteFile(storage.file) }) })
      : new Kysely<HeraldSchema>({
          dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: storage.url, max: storage.poolSize }) }),
        });
  return {
    db,
    dialect: storage.dialect,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}

function openSqliteFile(file: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return openNodeSqlite(file);
}

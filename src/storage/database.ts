import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { StorageConfig } from '../config/config.ts';
import { openNodeSqlite } from './node-sqlite-adapter.ts';
import { preparePrivateSqliteFile } from './private-files.ts';
import type { HeraldSchema } from './schema.ts';
import { createTransactionBatcher, type TransactionBatcher } from './transaction-batcher.ts';

export type Dialect = StorageConfig['dialect'];

export interface HeraldDatabase {
  db: Kysely<HeraldSchema>;
  dialect: Dialect;
  /** Runs a small write transaction, grouped with concurrent ones into one commit (see transaction-batcher.ts). */
  batchedTransaction: TransactionBatcher['run'];
  /** True when the database answers a trivial query (readiness). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// PostgreSQL returns int8 as strings; every bigint Herald stores (epoch ms, counts) fits a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * Opens the configured database. `onConnectionError` hears about pooled PostgreSQL
 * connections that die while idle (a server restart, a DBA terminating them): the pool
 * replaces them, so this is worth a log line, not a crash.
 */
export function openDatabase(storage: StorageConfig, onConnectionError: (error: Error) => void = () => {}): HeraldDatabase {
  let db: Kysely<HeraldSchema>;
  if (storage.dialect === 'sqlite') {
    db = new Kysely<HeraldSchema>({ dialect: new SqliteDialect({ database: openSqliteFile(storage.file) }) });
  } else {
    const pool = new pg.Pool({ connectionString: storage.url, max: storage.poolSize });
    pool.on('error', onConnectionError);
    db = new Kysely<HeraldSchema>({ dialect: new PostgresDialect({ pool }) });
  }
  // SQLite has one writer; PostgreSQL writes several groups at once over the pool.
  const batcher = createTransactionBatcher(db, { dialect: storage.dialect, concurrentTransactions: storage.dialect === 'sqlite' ? 1 : Math.max(1, Math.floor(storage.poolSize / 2)) });
  return {
    db,
    dialect: storage.dialect,
    batchedTransaction: (unit) => batcher.run(unit),
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
  preparePrivateSqliteFile(file);
  return openNodeSqlite(file);
}

import { Kysely, PostgresDialect, SqliteDialect, type Dialect as KyselyDialect } from 'kysely';
import { systemClock, type Clock } from '../clock.ts';
import type { StorageConfig } from '../config/config.ts';
import { openNodeSqlite } from './node-sqlite-adapter.ts';
import { postgresDriver } from './postgres-driver.ts';
import { preparePrivateSqliteFile } from './private-files.ts';
import { outageAwareDialect } from './outage-aware-dialect.ts';
import type { Dialect } from './dialect.ts';
import type { HeraldSchema } from './schema.ts';
import { STORAGE_RETRY_AFTER_SECONDS } from './storage-unavailable.ts';
import { createTransactionBatcher, type TransactionBatcher } from './transaction-batcher.ts';

export interface HeraldDatabase {
  db: Kysely<HeraldSchema>;
  dialect: Dialect;
  /** Runs a small write transaction, grouped with concurrent ones into one commit (see transaction-batcher.ts). */
  batchedTransaction: TransactionBatcher['run'];
  /** True when the database takes writes (readiness); see `openDatabase`. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Waiting longer than this for a PostgreSQL connection fails the statement (STORAGE_UNAVAILABLE), so requests do not hang while the server is away. */
const CONNECT_TIMEOUT_MS = 5000;

export interface OpenDatabaseOptions {
  /**
   * Hears about PostgreSQL connections that fail (a server restart, a DBA terminating them),
   * idle or in use: worth a log line, never a crash; the pool replaces them.
   */
  onConnectionError?: (error: Error) => void;
  /** Times readiness's memory of storage failures. */
  clock?: Clock;
}

/**
 * Opens the configured database. Readiness (`ping`) writes one row, so a read-only file or
 * server, a lost connection or a held write lock show; and it stays false for
 * STORAGE_RETRY_AFTER_SECONDS after any statement failed because storage was unavailable,
 * because a full disk fails inserts that need new pages while a one-row probe still fits.
 */
export function openDatabase(storage: StorageConfig, { onConnectionError = () => {}, clock = systemClock }: OpenDatabaseOptions = {}): HeraldDatabase {
  let dialect: KyselyDialect;
  if (storage.dialect === 'sqlite') {
    dialect = new SqliteDialect({ database: openSqliteFile(storage.file) });
  } else {
    const pool = new (postgresDriver().Pool)({ connectionString: storage.url, max: storage.poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // pg-pool listens for errors only on idle clients; an error on a client held by a transaction
    // would be an unhandled 'error' event and kill the process. This listener stays for the
    // client's life; the statement in flight fails on its own and the pool drops the client.
    pool.on('connect', (client) => client.on('error', onConnectionError));
    // Idle-client errors reach the listener above too; the pool's copy needs a listener so it does not throw.
    pool.on('error', () => {});
    dialect = new PostgresDialect({ pool });
  }
  let unavailableAtMs = -Infinity;
  const db = new Kysely<HeraldSchema>({ dialect: outageAwareDialect(dialect, () => (unavailableAtMs = clock.now())) });
  // SQLite has one writer; PostgreSQL writes several groups at once over the pool.
  const batcher = createTransactionBatcher(db, { dialect: storage.dialect, concurrentTransactions: storage.dialect === 'sqlite' ? 1 : Math.max(1, Math.floor(storage.poolSize / 2)) });
  return {
    db,
    dialect: storage.dialect,
    batchedTransaction: (unit) => batcher.run(unit),
    async ping() {
      if (clock.now() - unavailableAtMs < STORAGE_RETRY_AFTER_SECONDS * 1000) return false;
      try {
        const probedAt = clock.now();
        await db
          .insertInto('storage_probes')
          .values({ id: 'readiness', probed_at: probedAt })
          .onConflict((oc) => oc.column('id').doUpdateSet({ probed_at: probedAt }))
          .execute();
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

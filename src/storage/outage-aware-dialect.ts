import type { DatabaseConnection, Dialect, Driver } from 'kysely';
import { isStorageUnavailable } from './storage-unavailable.ts';

/**
 * Wraps a Kysely dialect so that storage outages are reported truthfully:
 *
 * - A failed rollback never replaces the error that caused it. Kysely rolls back when a
 *   transaction fails and throws the rollback's error if that fails too; after SQLITE_FULL or
 *   an I/O error SQLite has already rolled back ("cannot rollback - no transaction is active"),
 *   and on a PostgreSQL connection that died the rollback cannot be sent (the server rolls
 *   back by itself, and pg-pool discards the broken client on release).
 * - Every statement that fails because storage is unavailable is reported to `onUnavailable`
 *   (readiness remembers it: a full disk fails inserts while a small probe may still pass).
 */
export function outageAwareDialect(dialect: Dialect, onUnavailable: (error: unknown) => void): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createDriver: () => outageAwareDriver(dialect.createDriver(), onUnavailable),
  };
}

/** SQLite's answer to ROLLBACK after it rolled back by itself (SQLITE_FULL, SQLITE_IOERR, ...). */
const NO_TRANSACTION = /no transaction is active/;

function outageAwareDriver(driver: Driver, onUnavailable: (error: unknown) => void): Driver {
  const watched = new WeakSet<DatabaseConnection>();
  const watch = (connection: DatabaseConnection) => {
    if (watched.has(connection)) return connection;
    watched.add(connection);
    const executeQuery = connection.executeQuery.bind(connection);
    connection.executeQuery = async (query, options) => {
      try {
        return await executeQuery(query, options);
      } catch (error) {
        if (isStorageUnavailable(error)) onUnavailable(error);
        throw error;
      }
    };
    return connection;
  };
  return {
    init: (options) => driver.init(options),
    acquireConnection: async (options) => watch(await driver.acquireConnection(options)),
    beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
    commitTransaction: (connection) => driver.commitTransaction(connection),
    async rollbackTransaction(connection) {
      try {
        await driver.rollbackTransaction(connection);
      } catch (error) {
        // Nothing left to roll back: the transaction's own error is what Kysely throws next.
        // Any other failure leaves the connection in an unknown state, so it stays loud.
        if (!isStorageUnavailable(error) && !NO_TRANSACTION.test(String((error as Error)?.message))) throw error;
      }
    },
    savepoint: driver.savepoint?.bind(driver),
    rollbackToSavepoint: driver.rollbackToSavepoint?.bind(driver),
    releaseSavepoint: driver.releaseSavepoint?.bind(driver),
    releaseConnection: (connection, options) => driver.releaseConnection(connection, options),
    destroy: (options) => driver.destroy(options),
  };
}

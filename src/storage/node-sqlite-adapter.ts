import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { LruCache } from '../lru-cache.ts';

/**
 * Adapts Node's built-in `node:sqlite` (no native build) to the database shape
 * Kysely's SqliteDialect expects. Prepared statements are cached by SQL text:
 * Kysely prepares on every query, and re-preparing dominated hot paths.
 */
export function openNodeSqlite(file: string, statementCacheSize = 512): SqliteDatabase & { raw: DatabaseSync } {
  const database = new DatabaseSync(file);
  // WAL lets readers proceed during writes; NORMAL sync is durable across process crashes (not power loss) and much faster.
  database.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  const cache = new LruCache<string, SqliteStatement>(statementCacheSize);

  const wrap = (statement: StatementSync): SqliteStatement => {
    const reader = statement.columns().length > 0;
    return {
      reader,
      all: (parameters) => statement.all(...(parameters as never[])),
      run: (parameters) => statement.run(...(parameters as never[])),
      iterate: (parameters) => statement.iterate(...(parameters as never[])),
    };
  };

  return {
    raw: database,
    close: () => {
      cache.clear();
      database.close();
    },
    prepare(sql) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = wrap(database.prepare(sql));
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

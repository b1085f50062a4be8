import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from './dialect.ts';
import { insertRows } from './insert-rows.ts';
import type { HeraldSchema } from './schema.ts';
import { isStorageUnavailable } from './storage-unavailable.ts';

/**
 * Rows a unit wants inserted but never reads back in the same transaction: the rows of all
 * units of a group go out as one multi-row INSERT per table (tables in the order first named,
 * so parents come before children), written just before the commit.
 */
export interface DeferredInserts {
  add<Table extends keyof HeraldSchema>(table: Table, rows: readonly HeraldSchema[Table][]): void;
}

export type TransactionUnit<T> = (trx: Transaction<HeraldSchema>, later: DeferredInserts) => Promise<T>;

/**
 * Group commit for small write transactions from concurrent requests (accepting a message,
 * remembering a signature): units that arrive while a transaction is being written are
 * written together in the next one, so a burst pays for one commit instead of one each.
 * Writing waits one event-loop turn (SQLite runs statements synchronously, so without the wait
 * nothing would ever queue up behind a transaction). When a unit fails, its batch
 * is rolled back and every unit of it runs again in its own transaction, so only the
 * failing one fails (when storage is unavailable they all fail at once) — units must
 * therefore only write to the database (side effects come after `run` resolves).
 */
export interface TransactionBatcher {
  run<T>(unit: TransactionUnit<T>): Promise<T>;
}

interface Pending {
  unit: TransactionUnit<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export function createTransactionBatcher(
  db: Kysely<HeraldSchema>,
  { dialect, concurrentTransactions, maxUnitsPerTransaction = 256 }: { dialect: Dialect; concurrentTransactions: number; maxUnitsPerTransaction?: number },
): TransactionBatcher {
  const queue: Pending[] = [];
  let active = 0;

  /** Runs units in one transaction, their deferred rows written last. */
  function transaction(units: readonly Pending[]): Promise<unknown[]> {
    return db.transaction().execute(async (trx) => {
      const deferred = new Map<keyof HeraldSchema, unknown[]>();
      const later: DeferredInserts = {
        add(table, rows) {
          const list = deferred.get(table) ?? [];
          list.push(...rows);
          deferred.set(table, list);
        },
      };
      const values: unknown[] = [];
      for (const pending of units) values.push(await pending.unit(trx, later));
      for (const [table, rows] of deferred) await insertRows(trx, dialect, table, rows as never[]);
      return values;
    });
  }

  async function runAlone(pending: Pending): Promise<void> {
    try {
      pending.resolve((await transaction([pending]))[0]);
    } catch (error) {
      pending.reject(error);
    }
  }

  async function write(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return runAlone(batch[0]!);
    let results: unknown[];
    try {
      results = await transaction(batch);
    } catch (error) {
      // The database is down or full: every unit would fail alone too, so none is tried again.
      if (isStorageUnavailable(error)) return batch.forEach((pending) => pending.reject(error));
      for (const pending of batch) await runAlone(pending);
      return;
    }
    batch.forEach((pending, index) => pending.resolve(results[index]));
  }

  let scheduled = false;

  /** Waits one turn of the event loop before writing, so units of requests parsed in the same turn share the transaction. */
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      pump();
    });
  }

  function pump(): void {
    while (active < concurrentTransactions && queue.length > 0) {
      active++;
      void write(queue.splice(0, maxUnitsPerTransaction)).finally(() => {
        active--;
        pump();
      });
    }
  }

  return {
    run<T>(unit: TransactionUnit<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ unit, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
  };
}

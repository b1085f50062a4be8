import { sql, type Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { HeraldSchema } from '../storage/schema.ts';
import { COUNTER_BUCKET_MS } from './alarm-rule-kinds.ts';

/** The per-minute counter tables: the columns that name a row (bucket_start besides) and the ones that count. */
const COUNTER_TABLES = {
  outcome_counters: { names: ['app_id', 'subject'], counts: ['succeeded', 'failed'] },
  accept_counters: { names: ['app_id', 'channel'], counts: ['accepted'] },
  latency_counters: { names: ['app_id', 'channel', 'from_ms'], counts: ['sent'] },
} as const;

export type CounterTable = keyof typeof COUNTER_TABLES;
type CountColumn<T extends CounterTable> = (typeof COUNTER_TABLES)[T]['counts'][number];
type NameColumn<T extends CounterTable> = (typeof COUNTER_TABLES)[T]['names'][number];
type Columns<T extends CounterTable, C extends string> = { [K in C]: HeraldSchema[T][K & keyof HeraldSchema[T]] };

/** Counts are written this often: one upsert per row and minute in between, however many events. */
const FLUSH_INTERVAL_MS = 1000;

/** Counters older than this are purged by the scheduler's sweep: the longest window an alarm rule or a stats range may read is 30 days. */
export const COUNTER_RETENTION_MS = 31 * 86_400_000;

export interface CounterBuffer {
  /** Adds to the row of this minute (the clock's) named by `names`; written at the next flush. */
  add<T extends CounterTable>(table: T, names: Columns<T, NameColumn<T>>, counts: Columns<T, CountColumn<T>>): void;
  /** Writes what was counted so far. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  stop(): Promise<void>;
}

interface PendingRow {
  table: CounterTable;
  values: Record<string, string | number>;
}

/**
 * Per-minute counters kept in memory and written once a second, all tables in one transaction:
 * whoever counts (workers' events, accepts) pays a map update, never a write of its own. A
 * database outage loses the seconds of counts it hits (logged), never an event or an accept.
 */
export function createCounterBuffer({ database, clock, logger }: { database: HeraldDatabase; clock: Clock; logger: Logger }): CounterBuffer {
  const pending = new Map<string, PendingRow>();
  let writing: Promise<void> = Promise.resolve();

  function add<T extends CounterTable>(table: T, names: Columns<T, NameColumn<T>>, counts: Columns<T, CountColumn<T>>): void {
    const bucketStart = Math.floor(clock.now() / COUNTER_BUCKET_MS) * COUNTER_BUCKET_MS;
    const named = names as Record<string, string | number>;
    const key = [table, ...COUNTER_TABLES[table].names.map((column) => named[column]), bucketStart].join('\n');
    const row = pending.get(key);
    const added = counts as Record<string, number>;
    if (row) {
      for (const column of COUNTER_TABLES[table].counts) (row.values[column] as number) += added[column]!;
    } else {
      pending.set(key, { table, values: { ...named, bucket_start: bucketStart, ...added } });
    }
  }

  async function write(): Promise<void> {
    if (pending.size === 0) return;
    // In key order, so processes flushing the same rows at once lock them in the same order (no deadlock on PostgreSQL).
    const rows = [...pending].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
    pending.clear();
    try {
      // One transaction for the lot: one commit a second on SQLite, whatever the number of rows.
      await database.db.transaction().execute(async (trx) => {
        for (const { table, values } of rows) {
          const { names, counts } = COUNTER_TABLES[table];
          await (trx as Kysely<any>)
            .insertInto(table)
            .values(values)
            .onConflict((conflict) =>
              conflict.columns([...names, 'bucket_start']).doUpdateSet(Object.fromEntries(counts.map((column) => [column, sql`${sql.ref(`${table}.${column}`)} + ${values[column]}`]))),
            )
            .execute();
        }
      });
    } catch (error) {
      // Counts feed alarms and the dashboard only: a database outage loses a few seconds of them, never a send.
      logger.warn({ err: error, rows: rows.length }, 'writing counters failed; these counts are dropped');
    }
  }

  const flush = () => (writing = writing.then(write));
  const timer = setInterval(() => void flush(), FLUSH_INTERVAL_MS);
  timer.unref();

  return {
    add,
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}

/** Deletes counters nothing reads any more (a scheduler sweep task). */
export async function purgeOldCounters(database: HeraldDatabase, nowMs: number): Promise<void> {
  for (const table of Object.keys(COUNTER_TABLES) as CounterTable[]) {
    await database.db.deleteFrom(table).where('bucket_start', '<', nowMs - COUNTER_RETENTION_MS).execute();
  }
}

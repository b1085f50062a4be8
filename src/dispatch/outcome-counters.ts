import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import { COUNTER_BUCKET_MS, counterSubject } from '../deliveries/alarm-rule-kinds.ts';
import type { Logger } from '../logger.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { DeliveryReport, WorkerEvents } from './worker-events.ts';

/** Counts are written this often: one upsert per app, subject and minute in between, however many sends. */
const FLUSH_INTERVAL_MS = 1000;

/** Counters older than this are purged by the scheduler's sweep: the longest window a rule may read is 30 days. */
export const OUTCOME_COUNTER_RETENTION_MS = 31 * 86_400_000;

export interface OutcomeCounters {
  /** Writes what was counted so far. */
  flush(): Promise<void>;
  /** Unsubscribes and writes what is left. */
  stop(): Promise<void>;
}

/**
 * Per-minute counts of provider outcomes (per account and per channel) and of callback attempts
 * (per app), fed from the workers' typed events without touching a worker: the success-rate and
 * callback alarm rules read a handful of primary-key rows instead of scanning deliveries or
 * events. A provider call counts when the provider answered or failed (sent, retrying, rate
 * limited, failed after a call); deferrals and skips made no call and do not count.
 */
export function recordOutcomeCounters(events: WorkerEvents, { database, clock, logger }: { database: HeraldDatabase; clock: Clock; logger: Logger }): OutcomeCounters {
  const pending = new Map<string, { app_id: string; subject: string; bucket_start: number; succeeded: number; failed: number }>();
  let writing: Promise<void> = Promise.resolve();

  function count(appId: string, subject: string, succeeded: number, failed: number): void {
    const bucketStart = Math.floor(clock.now() / COUNTER_BUCKET_MS) * COUNTER_BUCKET_MS;
    const key = `${appId}\n${subject}\n${bucketStart}`;
    const row = pending.get(key) ?? { app_id: appId, subject, bucket_start: bucketStart, succeeded: 0, failed: 0 };
    row.succeeded += succeeded;
    row.failed += failed;
    pending.set(key, row);
  }

  function providerCall(report: DeliveryReport, sent: boolean): void {
    if (report.sendDurationMs === null) return;
    const [succeeded, failed] = sent ? [1, 0] : [0, 1];
    if (report.channelAccountId !== null) count(report.appId, counterSubject.account(report.channelAccountId), succeeded, failed);
    count(report.appId, counterSubject.channel(report.channel), succeeded, failed);
  }

  const unsubscribe = [
    events.on('delivery.sent', (report) => providerCall(report, true)),
    events.on('delivery.retrying', (report) => providerCall(report, false)),
    events.on('delivery.rate_limited', (report) => providerCall(report, false)),
    events.on('delivery.failed', (report) => providerCall(report, false)),
    events.on('callback.succeeded', (report) => count(report.appId, counterSubject.callbacks, 1, 0)),
    events.on('callback.retrying', (report) => count(report.appId, counterSubject.callbacks, 0, 1)),
    events.on('callback.failed', (report) => count(report.appId, counterSubject.callbacks, 0, 1)),
  ];

  async function write(): Promise<void> {
    if (pending.size === 0) return;
    // In key order, so processes flushing the same rows at once lock them in the same order (no deadlock on PostgreSQL).
    const rows = [...pending].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, row]) => row);
    pending.clear();
    try {
      // One transaction for the lot: one commit a second on SQLite, whatever the number of subjects.
      await database.db.transaction().execute(async (trx) => {
        for (const row of rows) {
          await trx
            .insertInto('outcome_counters')
            .values(row)
            .onConflict((conflict) =>
              conflict.columns(['app_id', 'subject', 'bucket_start']).doUpdateSet({
                succeeded: sql`outcome_counters.succeeded + ${row.succeeded}`,
                failed: sql`outcome_counters.failed + ${row.failed}`,
              }),
            )
            .execute();
        }
      });
    } catch (error) {
      // Counts feed alarms only: a database outage loses a few seconds of them, never a send.
      logger.warn({ err: error, rows: rows.length }, 'writing outcome counters failed; these counts are dropped');
    }
  }

  const flush = () => (writing = writing.then(write));
  const timer = setInterval(() => void flush(), FLUSH_INTERVAL_MS);
  timer.unref();

  return {
    flush,
    async stop() {
      clearInterval(timer);
      for (const off of unsubscribe) off();
      await flush();
    },
  };
}

/** Deletes counters no rule reads any more (a scheduler sweep task). */
export async function purgeOldOutcomeCounters(database: HeraldDatabase, nowMs: number): Promise<void> {
  await database.db.deleteFrom('outcome_counters').where('bucket_start', '<', nowMs - OUTCOME_COUNTER_RETENTION_MS).execute();
}

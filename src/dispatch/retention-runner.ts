import { setTimeout as pause } from 'node:timers/promises';
import type { Clock } from '../clock.ts';
import type { HeraldConfig } from '../config/config.ts';
import { WAITING_DELIVERY_STATUSES } from '../deliveries/delivery-status.ts';
import type { Logger } from '../logger.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { databaseSizeBytes } from '../storage/database-size.ts';
import { capabilitiesOf } from '../storage/dialect-capabilities.ts';
import type { RetentionRunsTable } from '../storage/schema.ts';
import { createLeasedQueue, runAtLeasedTable } from './leased-queue.ts';
import { createPolledLeaseRunner, type PolledLeaseRunner } from './polled-lease-runner.ts';

export const RETENTION_QUEUE = runAtLeasedTable('retention_runs', 'running');

const DAY_MS = 86_400_000;

/** Deliveries in these statuses may still be sent: their messages are kept whatever their age. */
const UNFINISHED_DELIVERY_STATUSES = [...WAITING_DELIVERY_STATUSES, 'sending'] as const;

/** Where a batch of messages ended. */
interface MessageCursor {
  id: string;
  updated_at: number;
}

export interface RetentionRunnerOptions {
  database: HeraldDatabase;
  clock: Clock;
  retention: HeraldConfig['retention'];
  workerId: string;
  leaseSeconds: number;
  pollIntervalMs: number;
  logger: Logger;
}

/** Rows deleted per table in one run, and `batches`: the transactions that deleted them. */
export type RetentionCounts = Record<string, number>;

/** The scheduler role's retention purge; `runDue` runs it when it is due and this process wins the lease. */
export type RetentionRunner = PolledLeaseRunner;

/**
 * Purges what each app no longer needs, in one scheduler process at a time (the purge holds
 * the one `retention_runs` row's lease, renewed between batches): finished messages older than
 * the app's `retentionDays` with everything keyed by them, inbox items past their validity or
 * read before the cut-off, alarms resolved before it, announcements expired or withdrawn before it with their states, the
 * rows of workers silent for longer than the default retention, and audit rows older than
 * `auditDays` (kept longer than messages: they answer "who changed this" months later). Messages go a batch per
 * transaction with a pause between, so sends queue behind one short transaction at most.
 */
export function createRetentionRunner(options: RetentionRunnerOptions): RetentionRunner {
  const { database, clock, retention, workerId } = options;
  const { db } = database;
  const log = options.logger.child({ component: 'retention-runner', workerId });
  const queue = createLeasedQueue({ database, table: RETENTION_QUEUE, workerId, leaseSeconds: options.leaseSeconds });
  const leaseMs = options.leaseSeconds * 1000;

  /** Renews the lease for the next batch; false when another scheduler took the run over meanwhile. */
  async function keepLease(): Promise<boolean> {
    const renewed = await db.updateTable('retention_runs').set({ lease_expires_at: clock.now() + leaseMs }).where('id', '=', 'retention').where(queue.held()).executeTakeFirst();
    return renewed.numUpdatedRows > 0n;
  }

  /** A batch's `remove` for rows that own nothing: deletes them by id and counts them under the table's name. */
  const deleteById =
    (table: 'inbox_items' | 'alarms' | 'audit_log') =>
    async (ids: string[]): Promise<RetentionCounts> => ({ [table]: Number((await db.deleteFrom(table).where('id', 'in', ids).executeTakeFirst()).numDeletedRows) });

  /**
   * Deletes in batches: `pick` answers up to a batch of ids, `remove` deletes them (and what they
   * own) in one transaction, answering rows deleted per table. False when the lease was lost.
   */
  async function inBatches(counts: RetentionCounts, pick: () => Promise<string[]>, remove: (ids: string[]) => Promise<RetentionCounts>): Promise<boolean> {
    for (;;) {
      const ids = await pick();
      if (ids.length === 0) return true;
      counts.batches = (counts.batches ?? 0) + 1;
      for (const [table, deleted] of Object.entries(await remove(ids))) counts[table] = (counts[table] ?? 0) + deleted;
      if (ids.length < retention.batchSize) return true;
      if (!(await keepLease())) return false;
      await pause(retention.pauseMs);
    }
  }

  /**
   * The next batch of an app's finished messages last updated before the cut-off, after `after`
   * in (updated_at, id) order: each batch continues where the last ended, rather than walking
   * again past the rows already deleted (PostgreSQL keeps them in the index until a vacuum).
   */
  async function finishedMessages(appId: string, cutoffMs: number, after: MessageCursor | undefined): Promise<MessageCursor[]> {
    return db
      .selectFrom('messages as m')
      .select(['m.id', 'm.updated_at'])
      .where('m.app_id', '=', appId)
      .where('m.updated_at', '<', cutoffMs)
      .$if(after !== undefined, (qb) => qb.where((eb) => eb(eb.refTuple('m.updated_at', 'm.id'), '>', eb.tuple(after!.updated_at, after!.id))))
      .where('m.pending_count', '=', 0)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('deliveries as d').select('d.id').whereRef('d.message_id', '=', 'm.id').where('d.status', 'in', UNFINISHED_DELIVERY_STATUSES))))
      // A waiting escalation may still send a step; an open digest still sends its items' data.
      .where((eb) => eb.not(eb.exists(eb.selectFrom('escalations as e').select('e.id').whereRef('e.message_id', '=', 'm.id').where('e.status', 'in', ['waiting', 'running']))))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('digest_items as i')
              .innerJoin('digest_buckets as b', 'b.id', 'i.bucket_id')
              .select('i.id')
              .whereRef('i.message_id', '=', 'm.id')
              .where('b.status', 'in', ['open', 'flushing']),
          ),
        ),
      )
      .orderBy('m.updated_at')
      .orderBy('m.id')
      .limit(retention.batchSize)
      .execute();
  }

  function removeMessages(picked: string[]): Promise<RetentionCounts> {
    return db.transaction().execute(async (trx) => {
      const counts: RetentionCounts = {};
      // A manual retry since the pick makes a message pending again: it stays (locked here, so a retry waits for this transaction).
      let still = trx.selectFrom('messages').select('id').where('id', 'in', picked).where('pending_count', '=', 0).orderBy('id');
      if (!capabilitiesOf(database.dialect).singleWriter) still = still.forUpdate();
      const ids = (await still.execute()).map((row) => row.id);
      if (ids.length === 0) return counts;
      const count = (table: string, result: { numDeletedRows: bigint }) => (counts[table] = Number(result.numDeletedRows));
      // Digests these messages sent, with their items, once flushed (an open bucket has no message yet).
      const buckets = trx.selectFrom('digest_buckets').select('id').where('digest_message_id', 'in', ids);
      count('digest_items', await trx.deleteFrom('digest_items').where((eb) => eb.or([eb('message_id', 'in', ids), eb('bucket_id', 'in', buckets)])).executeTakeFirst());
      count('digest_buckets', await trx.deleteFrom('digest_buckets').where('digest_message_id', 'in', ids).executeTakeFirst());
      for (const table of ['events', 'callbacks', 'acknowledgements', 'escalations', 'message_tags', 'deliveries'] as const) {
        count(table, await trx.deleteFrom(table).where('message_id', 'in', ids).executeTakeFirst());
      }
      count('messages', await trx.deleteFrom('messages').where('id', 'in', ids).executeTakeFirst());
      return counts;
    });
  }

  async function purgeApp(appId: string, cutoffMs: number, counts: RetentionCounts): Promise<boolean> {
    const nowMs = clock.now();
    let after: MessageCursor | undefined;
    const messagesDone = await inBatches(
      counts,
      async () => {
        const batch = await finishedMessages(appId, cutoffMs, after);
        after = batch.at(-1);
        return batch.map((message) => message.id);
      },
      removeMessages,
    );
    if (!messagesDone) return false;
    const itemsDone = await inBatches(
      counts,
      async () =>
        (
          await db
            .selectFrom('inbox_items')
            .select('id')
            .where('app_id', '=', appId)
            .where((eb) => eb.or([eb('valid_until', '<=', nowMs), eb('read_at', '<', cutoffMs)]))
            .limit(retention.batchSize)
            .execute()
        ).map((row) => row.id),
      deleteById('inbox_items'),
    );
    if (!itemsDone) return false;
    const alarmsDone = await inBatches(
      counts,
      async () =>
        (
          await db
            .selectFrom('alarms')
            .select('id')
            .where('app_id', '=', appId)
            .where('status', '=', 'resolved')
            .where('resolved_at', '<', cutoffMs)
            .limit(retention.batchSize)
            .execute()
        ).map((row) => row.id),
      deleteById('alarms'),
    );
    if (!alarmsDone) return false;
    return inBatches(
      counts,
      async () =>
        (
          await db
            .selectFrom('announcements')
            .select('id')
            .where('app_id', '=', appId)
            .where((eb) => eb.or([eb('expires_at', '<', cutoffMs), eb('withdrawn_at', '<', cutoffMs)]))
            .limit(retention.batchSize)
            .execute()
        ).map((row) => row.id),
      (ids) =>
        db.transaction().execute(async (trx) => ({
          announcement_states: Number((await trx.deleteFrom('announcement_states').where('announcement_id', 'in', ids).executeTakeFirst()).numDeletedRows),
          announcements: Number((await trx.deleteFrom('announcements').where('id', 'in', ids).executeTakeFirst()).numDeletedRows),
        })),
    );
  }

  async function purge(): Promise<{ counts: RetentionCounts; complete: boolean }> {
    const counts: RetentionCounts = {};
    const nowMs = clock.now();
    const apps = await db.selectFrom('apps').select(['id', 'settings']).orderBy('id').execute();
    for (const app of apps) {
      if (!(await keepLease())) return { counts, complete: false };
      const days = (JSON.parse(app.settings) as { retentionDays?: number }).retentionDays ?? retention.days;
      if (!(await purgeApp(app.id, nowMs - days * DAY_MS, counts))) return { counts, complete: false };
    }
    const workers = await db.deleteFrom('workers').where('heartbeat_at', '<', nowMs - retention.days * DAY_MS).executeTakeFirst();
    counts.workers = Number(workers.numDeletedRows);
    const auditDone = await inBatches(
      counts,
      async () =>
        (
          await db
            .selectFrom('audit_log')
            .select('id')
            .where('at', '<', nowMs - retention.auditDays * DAY_MS)
            .limit(retention.batchSize)
            .execute()
        ).map((row) => row.id),
      deleteById('audit_log'),
    );
    return { counts, complete: auditDone };
  }

  async function run(row: RetentionRunsTable): Promise<void> {
    const startedMs = clock.now();
    const bytesBefore = await databaseSizeBytes(database);
    const { counts, complete } = await purge();
    const bytesAfter = await databaseSizeBytes(database);
    const summary = { deleted: counts, databaseBytesBefore: bytesBefore, databaseBytesAfter: bytesAfter };
    if (!complete) {
      // The lease lapsed mid-run (a stalled process): the scheduler that took the row over finishes the run.
      log.warn(summary, 'retention run stopped: another scheduler took it over');
      return;
    }
    const nowMs = clock.now();
    await db
      .updateTable('retention_runs')
      .set({ status: 'waiting', run_at: startedMs + retention.intervalSeconds * 1000, lease_owner: null, lease_expires_at: null, last_run_at: nowMs, updated_at: nowMs })
      .where('id', '=', row.id)
      .where(queue.held())
      .execute();
    log.info(summary, 'retention run finished');
  }

  return createPolledLeaseRunner<RetentionRunsTable>({
    database,
    clock,
    queue,
    log,
    pollIntervalMs: options.pollIntervalMs,
    waitingStatus: 'waiting',
    run,
    what: 'retention run',
  });
}

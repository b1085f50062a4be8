import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Clock } from '../clock.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { capabilitiesOf } from '../storage/dialect-capabilities.ts';
import type { DeliveriesTable, HeraldSchema } from '../storage/schema.ts';
import type { BackoffPolicy } from '../deliveries/backoff.ts';
import { insertEvents, type NewDeliveryEvent } from '../deliveries/delivery-events.ts';
import { transitionFor, type DeliveryResult, type DeliveryTransition } from '../deliveries/delivery-outcome.ts';
import { FINAL_DELIVERY_STATUSES, type DeliveryStatus } from '../deliveries/delivery-status.ts';
import { jsonRows, type JsonColumnType } from '../deliveries/json-rows.ts';
import { settleFinalDeliveries, type FinalDelivery, type SettlementSummary } from '../deliveries/message-completion.ts';
import { createLeasedQueue, type LeasedTable, type LeaseFilter } from './leased-queue.ts';

/**
 * The deliveries table as a leased queue (see leased-queue.ts), with what is particular to
 * deliveries: a claim counts the attempt and records a `sending` event, a lapsed lease is
 * answered as a `lease_expired` outcome, and results are written back in batches guarded by
 * the lease, with events and message completion.
 */

export interface DeliveryQueueOptions {
  database: HeraldDatabase;
  clock: Clock;
  workerId: string;
  leaseSeconds: number;
  backoff: BackoffPolicy;
  /** Runs in the transaction that writes deliveries `sent` with a provider message id (result checks are created there). */
  afterSent?: (trx: Kysely<HeraldSchema>, sent: readonly SentDelivery[], nowMs: number) => Promise<void>;
}

/** A delivery just written `sent`: the row as claimed and the id the provider answered. */
export interface SentDelivery {
  delivery: DeliveriesTable;
  providerMessageId: string;
}

export interface CompletionSummary extends SettlementSummary {
  /** Results written; a result whose lease was lost meanwhile is dropped. */
  applied: number;
  /** Deliveries that became final. */
  finalized: number;
  /** What became of each applied result (for the worker's events). */
  transitions: DeliveryTransition[];
}

export interface DeliveryQueue {
  /** Leases up to `limit` due deliveries, most urgent first, counts the attempt and records a `sending` event each. */
  claim(limit: number): Promise<DeliveriesTable[]>;
  /** Like `claim`, for the due deliveries of one message through one channel account only: the recipients one provider call can carry together. */
  claimSiblings(messageId: string, channelAccountId: string, limit: number): Promise<DeliveriesTable[]>;
  /** Writes results in one transaction: rows, events, message completion, callbacks. */
  complete(results: readonly DeliveryResult[]): Promise<CompletionSummary>;
  /**
   * Takes over up to `limit` deliveries whose worker died — its lease ran out or, given
   * `staleBeforeMs`, its heartbeats stopped before then (see worker-heartbeat.ts) — and queues them again.
   */
  reapExpiredLeases(limit: number, staleBeforeMs?: number): Promise<number>;
  /** At start: deliveries still leased under this worker's id belong to an earlier process with the same id, which died; queues them again. */
  reapEarlierLeases(limit: number): Promise<number>;
  /** Puts deliveries this worker claimed but never attempted back in the queue (graceful stop). */
  releaseLeases(): Promise<number>;
}

const TRANSITION_COLUMNS: ReadonlyArray<readonly [string, JsonColumnType]> = [
  ['id', 'text'],
  ['status', 'text'],
  ['run_at', 'bigint'],
  ['attempts', 'integer'],
  ['provider_message_id', 'text'],
  ['last_error_code', 'text'],
  ['last_error_message', 'text'],
  ['sent_at', 'bigint'],
  ['channel_account_id', 'text'],
];

const FINAL = new Set<DeliveryStatus>(FINAL_DELIVERY_STATUSES);

/** `run_at` is set exactly while a delivery waits; the `deliveries_due` index serves the claim order. */
export const DELIVERIES_QUEUE: LeasedTable<'deliveries'> = {
  name: 'deliveries',
  idColumn: 'id',
  dueColumn: 'run_at',
  claimOrder: ['priority', 'run_at'],
  statusColumn: 'status',
  leasedStatus: 'sending',
  leaseOwnerColumn: 'lease_owner',
  leaseExpiresColumn: 'lease_expires_at',
};

const byPriorityThenAge = (a: DeliveriesTable, b: DeliveriesTable) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function createDeliveryQueue(options: DeliveryQueueOptions): DeliveryQueue {
  const { database, clock, workerId } = options;
  const { db } = database;
  const queue = createLeasedQueue({ database, table: DELIVERIES_QUEUE, workerId, leaseSeconds: options.leaseSeconds });

  /** One UPDATE for every result of a group; the rows travel as one JSON parameter (see json-rows.ts). */
  async function writeTransitions(executor: Kysely<HeraldSchema>, transitions: readonly DeliveryTransition[], nowMs: number) {
    const rows = transitions.map((t) => [t.id, t.status, t.runAt, t.attempts, t.providerMessageId, t.errorCode, t.errorMessage, t.sentAt, t.channelAccountId]);
    // Materialised, so PostgreSQL unpacks the JSON once rather than per joined row.
    const { rows: applied } = await sql<FinalDelivery>`
      with r as materialized (select * from ${jsonRows(database.dialect, TRANSITION_COLUMNS, rows)} as results)
      update deliveries
         set status = r.status, run_at = r.run_at, attempts = r.attempts, provider_message_id = r.provider_message_id,
             last_error_code = r.last_error_code, last_error_message = r.last_error_message, sent_at = r.sent_at,
             channel_account_id = coalesce(r.channel_account_id, deliveries.channel_account_id),
             lease_owner = null, lease_expires_at = null, updated_at = ${nowMs}
        from r
       where deliveries.id = r.id and ${queue.held()}
      returning deliveries.id, deliveries.message_id, deliveries.app_id, deliveries.channel, deliveries.address,
                deliveries.status, deliveries.attempts, deliveries.provider_message_id, deliveries.last_error_code,
                deliveries.last_error_message, deliveries.sent_at`.execute(executor);
    return applied;
  }

  async function complete(results: readonly DeliveryResult[]): Promise<CompletionSummary> {
    if (results.length === 0) return { applied: 0, finalized: 0, transitions: [], completedMessageIds: [], callbacksQueued: 0 };
    const nowMs = clock.now();
    const transitions = results.map((result) => transitionFor(result, { backoff: options.backoff, nowMs }));
    const claimedById = new Map(results.map((result) => [result.delivery.id, result.delivery]));
    return db.transaction().execute(async (trx) => {
      const applied = await writeTransitions(trx, transitions, nowMs);
      const appliedIds = new Set(applied.map((row) => row.id));
      const events: NewDeliveryEvent[] = [];
      for (const transition of transitions) {
        if (!appliedIds.has(transition.id)) continue;
        const delivery = claimedById.get(transition.id)!;
        for (const event of transition.events) {
          events.push({ messageId: delivery.message_id, deliveryId: delivery.id, appId: delivery.app_id, at: nowMs, ...event });
        }
      }
      if (options.afterSent) {
        const sent = applied.flatMap((row) =>
          row.status === 'sent' && row.provider_message_id !== null ? [{ delivery: claimedById.get(row.id)!, providerMessageId: row.provider_message_id }] : [],
        );
        if (sent.length > 0) await options.afterSent(trx, sent, nowMs);
      }
      const finals = applied.filter((row) => FINAL.has(row.status));
      // Settlement locks the message rows until the commit, and the results of one large message
      // arrive in several groups at once: where writers run side by side (PostgreSQL), the delivery
      // events go in first so the lock covers only the roll-up. SQLite has one writer: one INSERT.
      if (finals.length > 0 && !capabilitiesOf(database.dialect).singleWriter) await insertEvents(trx, database.dialect, events.splice(0));
      const settlement = await settleFinalDeliveries(trx, database.dialect, finals, nowMs, events);
      await insertEvents(trx, database.dialect, events);
      return { applied: applied.length, finalized: finals.length, transitions: transitions.filter((t) => appliedIds.has(t.id)), ...settlement };
    });
  }

  /** Leases the deliveries `filter` picks to this worker and answers them as `lease_expired` (queued again at once). */
  async function reap(limit: number, filter: LeaseFilter): Promise<number> {
    const nowMs = clock.now();
    const rows = await db.transaction().execute((trx) => queue.takeOver(trx, filter, limit, nowMs, sql`updated_at = ${nowMs}`));
    const summary = await complete(rows.map((delivery) => ({ delivery, outcome: { kind: 'lease_expired' } })));
    return summary.applied;
  }

  async function claim(limit: number, where?: RawBuilder<boolean>): Promise<DeliveriesTable[]> {
    if (limit <= 0) return [];
    const nowMs = clock.now();
    return db.transaction().execute(async (trx) => {
      const rows = (await queue.claim(trx, limit, nowMs, sql`attempts = attempts + 1, updated_at = ${nowMs}`, where)).sort(byPriorityThenAge);
      await insertEvents(trx, database.dialect, leaseEvents(rows, 'sending', nowMs, `worker ${workerId}`));
      return rows;
    });
  }

  return {
    claim: (limit) => claim(limit),

    claimSiblings: (messageId, channelAccountId, limit) => claim(limit, sql<boolean>`message_id = ${messageId} and channel_account_id = ${channelAccountId}`),

    complete,

    reapExpiredLeases(limit, staleBeforeMs) {
      return reap(limit, { lapsedAtMs: clock.now(), staleBeforeMs });
    },

    reapEarlierLeases(limit) {
      return reap(limit, 'own');
    },

    async releaseLeases() {
      const nowMs = clock.now();
      return db.transaction().execute(async (trx) => {
        const rows = await queue.requeue(trx, 'own', nowMs, sql`status = case when attempts > 1 then 'retrying' else 'queued' end, attempts = attempts - 1, updated_at = ${nowMs}`);
        await insertEvents(trx, database.dialect, leaseEvents(rows, 'released', nowMs, `worker ${workerId} stopped before attempting it`));
        return rows.length;
      });
    },
  };
}

/** One event per delivery whose lease was taken or given back. */
function leaseEvents(
  rows: readonly Pick<DeliveriesTable, 'id' | 'message_id' | 'app_id' | 'attempts'>[],
  type: 'sending' | 'released',
  nowMs: number,
  detail: string,
): NewDeliveryEvent[] {
  return rows.map((row) => ({ messageId: row.message_id, deliveryId: row.id, appId: row.app_id, type, at: nowMs, attempt: row.attempts, detail }));
}

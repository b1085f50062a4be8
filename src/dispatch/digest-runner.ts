import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import { insertEvents, type NewDeliveryEvent } from '../deliveries/delivery-events.ts';
import { HeraldError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { DigestBucketsTable } from '../storage/schema.ts';
import { createPolledLeaseRunner } from './polled-lease-runner.ts';
import { createLeasedQueue, runAtLeasedTable } from './leased-queue.ts';

/** `run_at` holds the flush time while a bucket is open; the `digest_buckets_due` index serves the claim order. */
export const DIGEST_QUEUE = runAtLeasedTable('digest_buckets', 'flushing');

/** Buckets claimed per query; a process flushes them one after another. */

/** The idempotency key of a bucket's digest message: a flush run again (after a crash before it was recorded) replays the first message. */
export const digestIdempotencyKey = (bucketId: string) => `digest:${bucketId}`;

/** The send request of a digest: the bucket's template over its events' data, to the receiver on the channel the events were for. */
export interface DigestSend {
  to: unknown[];
  channels: string[];
  template: string;
  locale?: string;
  data: { items: Record<string, unknown>[]; count: number };
  /** Names the type and the window, so the digest message says what it gathers. */
  metadata: { digestType: string; digestWindow: string };
}

export interface DigestRunnerOptions {
  database: HeraldDatabase;
  clock: Clock;
  /** Accepts the digest message for the app, as POST /v1/messages would with this idempotency key. */
  accept(appId: string, message: DigestSend, idempotencyKey: string): Promise<{ id: string }>;
  workerId: string;
  leaseSeconds: number;
  pollIntervalMs: number;
  logger: Logger;
}

export interface DigestRunner {
  start(): void;
  stop(): Promise<void>;
  /** Flushes every bucket whose window has ended (after taking over those whose runner died); answers how many. Tests call it with a ManualClock. */
  runDue(): Promise<number>;
}

/**
 * Flushes digest buckets in the scheduler role, each exactly once however many schedulers run
 * and however often they restart: the windows are rows (`digest_buckets`), so they outlive any
 * process. A scheduler leases a due bucket — the claim also closes it, so later events open a new
 * one — accepts one message listing its items under a key made of the bucket id, then, only while
 * it still holds the lease, marks it flushed and writes a `digested` event naming that message
 * into the trail of each digested delivery, in one transaction. A scheduler that dies in between
 * leaves a lease that lapses; the next one accepts again and gets the same message back.
 */
export function createDigestRunner(options: DigestRunnerOptions): DigestRunner {
  const { database, clock, workerId } = options;
  const { db, dialect } = database;
  const log = options.logger.child({ component: 'digest-runner', workerId });
  const queue = createLeasedQueue({ database, table: DIGEST_QUEUE, workerId, leaseSeconds: options.leaseSeconds });

  async function flush(bucket: DigestBucketsTable): Promise<void> {
    const items = await db.selectFrom('digest_items').select(['message_id', 'delivery_id', 'data']).where('bucket_id', '=', bucket.id).orderBy('at').orderBy('id').execute();
    // One item per event: a subscriber's browsers each have a delivery of the same message with the same data.
    const events = [...new Map(items.map((item) => [`${item.message_id}\n${item.data}`, JSON.parse(item.data) as Record<string, unknown>])).values()];
    let messageId: string | null = null;
    let failure: string | null = null;
    // A bucket whose only event went out at once (firstImmediately) has nothing to send.
    if (items.length > 0) {
      const message: DigestSend = {
        to: [JSON.parse(bucket.receiver)],
        channels: [bucket.channel],
        template: bucket.template_code,
        ...(bucket.locale === null ? {} : { locale: bucket.locale }),
        data: { items: events, count: events.length },
        metadata: { digestType: bucket.type_code, digestWindow: bucket.id },
      };
      try {
        messageId = (await options.accept(bucket.app_id, message, digestIdempotencyKey(bucket.id))).id;
      } catch (error) {
        // A refusal (the digest template deleted, the receiver gone) is this bucket's result; anything else leaves the lease to lapse and the flush to run again.
        if (!(error instanceof HeraldError)) throw error;
        failure = `${error.code}: ${error.message}`;
      }
    }
    const nowMs = clock.now();
    await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('digest_buckets')
        .set({ status: failure === null ? 'flushed' : 'failed', digest_message_id: messageId, last_error: failure, lease_owner: null, lease_expires_at: null, updated_at: nowMs })
        .where('id', '=', bucket.id)
        // Taken over meanwhile: the message stands, the trail is the new holder's to write.
        .where(queue.held())
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0 || messageId === null) return;
      const trail = items.map(
        (item): NewDeliveryEvent => ({ messageId: item.message_id, deliveryId: item.delivery_id, appId: bucket.app_id, type: 'digested', at: nowMs, detail: `Sent in digest message ${messageId} (${events.length} items)` }),
      );
      await insertEvents(trx, dialect, trail);
    });
    if (failure === null) log.info({ bucketId: bucket.id, items: events.length, messageId }, 'digest flushed');
    else log.warn({ bucketId: bucket.id, items: events.length, reason: failure }, 'digest refused by the intake');
  }

  return createPolledLeaseRunner<DigestBucketsTable>({
    database,
    clock,
    queue,
    log,
    pollIntervalMs: options.pollIntervalMs,
    waitingStatus: 'open',
    onClaim: () => sql`open_key = null`,
    run: flush,
    what: 'digest flush',
  });
}

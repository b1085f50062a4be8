import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.ts';
import { insertEvents, type NewDeliveryEvent } from '../deliveries/delivery-events.ts';
import type { MessageControl } from '../deliveries/message-control.ts';
import { SENT_DELIVERY_STATUSES, type DeliveryStatus } from '../deliveries/delivery-status.ts';
import { notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { RecallOutcome, TokenCache } from '../providers/provider.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { DeliveriesTable } from '../storage/schema.ts';
import type { ChannelAccountLookup, ChannelAccountSenders } from './channel-account-senders.ts';

/**
 * Recall (撤回): takes a message back from every platform that allows it. Deliveries not sent
 * yet are canceled; sent ones are recalled through their account's provider — one call per
 * platform message, so recipients who shared a batch call share the recall — and every
 * other delivery is answered with why it cannot be recalled. Every attempt lands in the trail.
 */

export const RECALL_OUTCOMES = ['recalled', 'canceled', 'not_recallable', 'not_sent', 'already_recalled', 'in_flight', 'failed'] as const;
export type RecallDeliveryOutcome = (typeof RECALL_OUTCOMES)[number];

export interface RecalledDelivery {
  id: string;
  channel: string;
  address: string | null;
  /** The delivery's status after the recall. */
  status: DeliveryStatus;
  outcome: RecallDeliveryOutcome;
  code?: string;
  message?: string;
}

export interface RecallReport {
  id: string;
  deliveries: RecalledDelivery[];
}

export interface MessageRecall {
  /** Throws MESSAGE_NOT_FOUND (not_found) for a message of another app or none. */
  recall(appId: string, messageId: string): Promise<RecallReport>;
}

export interface MessageRecallOptions {
  database: HeraldDatabase;
  clock: Clock;
  senders: ChannelAccountSenders;
  tokens: TokenCache;
  /** The guarded outbound dispatcher. */
  outboundHttp: Dispatcher;
  messageControl: Pick<MessageControl, 'cancelWaiting'>;
  requestTimeoutMs: number;
  logger: Logger;
}

type SentRow = Pick<DeliveriesTable, 'id' | 'channel' | 'address' | 'status' | 'attempts' | 'channel_account_id' | 'provider_message_id' | 'sent_at'>;

const SENT = new Set<DeliveryStatus>(SENT_DELIVERY_STATUSES);

const answer = (row: SentRow, outcome: RecallDeliveryOutcome, code?: string, message?: string): RecalledDelivery => ({
  id: row.id,
  channel: row.channel,
  address: row.address,
  status: outcome === 'recalled' ? 'recalled' : row.status,
  outcome,
  ...(code === undefined ? {} : { code, message }),
});

export function createMessageRecall(options: MessageRecallOptions): MessageRecall {
  const { database, clock, senders, tokens, logger } = options;
  const { db } = database;

  /** One platform message: its deliveries recalled together, or each answered why not. */
  async function recallCall(rows: SentRow[], account: ChannelAccountLookup | undefined): Promise<RecalledDelivery[]> {
    const first = rows[0]!;
    const all = (outcome: RecallDeliveryOutcome, code: string, message: string) => rows.map((row) => answer(row, outcome, code, message));
    if (!account?.available) return all('failed', 'CHANNEL_ACCOUNT_UNAVAILABLE', account?.reason ?? 'The delivery has no channel account');
    const { recall, definition } = account.account;
    if (!recall || definition.recallWindowSeconds === undefined) {
      return all('not_recallable', 'RECALL_NOT_SUPPORTED', `${definition.type} (channel ${first.channel}) cannot take back a sent message`);
    }
    if (first.provider_message_id === null || first.sent_at === null) {
      return all('not_recallable', 'RECALL_NO_PROVIDER_MESSAGE', 'The platform gave no message id for this send, so it cannot be recalled');
    }
    const windowEndMs = first.sent_at + definition.recallWindowSeconds * 1000;
    if (clock.now() >= windowEndMs) {
      return all('failed', 'RECALL_WINDOW_PASSED', `${definition.type} recalls messages up to ${definition.recallWindowSeconds} s after sending; this one was sent at ${new Date(first.sent_at).toISOString()}`);
    }
    let outcome: RecallOutcome;
    try {
      outcome = await recall(
        { providerMessageId: first.provider_message_id, addresses: rows.flatMap((row) => (row.address === null ? [] : [row.address])), sentAtMs: first.sent_at },
        { http: options.outboundHttp, tokens, clock, signal: AbortSignal.timeout(options.requestTimeoutMs) },
      );
    } catch (error) {
      logger.warn({ err: error, channelAccountId: account.account.id }, 'provider threw instead of returning a recall outcome');
      outcome = { kind: 'retry', code: 'PROVIDER_ERROR', message: error instanceof Error ? error.message : String(error) };
    }
    if (outcome.kind === 'recalled') return rows.map((row) => answer(row, 'recalled'));
    const hint = outcome.kind === 'retry' ? ' (temporary: recall again later)' : '';
    return all('failed', outcome.code, `${outcome.message}${hint}`);
  }

  return {
    async recall(appId, messageId) {
      const message = await db.selectFrom('messages').select('id').where('id', '=', messageId).where('app_id', '=', appId).executeTakeFirst();
      if (!message) throw notFound('MESSAGE_NOT_FOUND', `Message ${messageId} does not exist`, { messageId });
      const canceled = new Set(await options.messageControl.cancelWaiting(messageId, appId, 'canceled by a recall before it was sent'));
      const rows: SentRow[] = await db
        .selectFrom('deliveries')
        .select(['id', 'channel', 'address', 'status', 'attempts', 'channel_account_id', 'provider_message_id', 'sent_at'])
        .where('message_id', '=', messageId)
        .orderBy('id')
        .execute();

      const answers = new Map<string, RecalledDelivery>();
      const calls = new Map<string, SentRow[]>();
      for (const row of rows) {
        if (canceled.has(row.id)) answers.set(row.id, answer(row, 'canceled'));
        else if (row.status === 'sending') answers.set(row.id, answer(row, 'in_flight', 'DELIVERY_IN_FLIGHT', 'Being sent right now; recall again once it is sent'));
        else if (row.status === 'recalled') answers.set(row.id, answer(row, 'already_recalled'));
        else if (!SENT.has(row.status)) answers.set(row.id, answer(row, 'not_sent', 'DELIVERY_NOT_SENT', `The delivery is ${row.status}: nothing reached the platform`));
        else {
          const key = `${row.channel_account_id}\u0000${row.provider_message_id ?? row.id}`;
          const call = calls.get(key);
          if (call) call.push(row);
          else calls.set(key, [row]);
        }
      }

      const accounts = await senders.resolve([...calls.values()].flatMap(([row]) => (row!.channel_account_id === null ? [] : [row!.channel_account_id])));
      const recalled = await Promise.all([...calls.values()].map((call) => recallCall(call, call[0]!.channel_account_id === null ? undefined : accounts.get(call[0]!.channel_account_id))));
      for (const delivery of recalled.flat()) answers.set(delivery.id, delivery);
      await record(appId, messageId, rows, answers);
      return { id: messageId, deliveries: rows.map((row) => answers.get(row.id)!) };
    },
  };

  /** Recalled deliveries change status; every sent delivery the recall tried gets a trail event. */
  async function record(appId: string, messageId: string, rows: readonly SentRow[], answers: ReadonlyMap<string, RecalledDelivery>): Promise<void> {
    const nowMs = clock.now();
    const events: NewDeliveryEvent[] = [];
    const recalledIds: string[] = [];
    for (const row of rows) {
      const delivery = answers.get(row.id)!;
      const event = { messageId, deliveryId: row.id, appId, at: nowMs, attempt: row.attempts };
      if (delivery.outcome === 'recalled') {
        recalledIds.push(row.id);
        events.push({ ...event, type: 'recalled', detail: 'recalled by request' });
      } else if (SENT.has(row.status)) {
        events.push({ ...event, type: 'recall_failed', code: delivery.code ?? null, detail: delivery.message ?? null });
      }
    }
    if (events.length === 0) return;
    await db.transaction().execute(async (trx) => {
      if (recalledIds.length > 0) {
        await trx
          .updateTable('deliveries')
          .set({ status: 'recalled', updated_at: nowMs })
          .where('id', 'in', recalledIds)
          .where('status', 'in', SENT_DELIVERY_STATUSES)
          .execute();
      }
      await insertEvents(trx, database.dialect, events);
    });
  }
}

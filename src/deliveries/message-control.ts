import { sql, type Kysely } from 'kysely';
import type { HeraldSchema } from '../storage/schema.ts';
import type { Clock } from '../clock.ts';
import { conflict, notFound } from '../errors.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { insertEvents, type NewDeliveryEvent } from './delivery-events.ts';
import { RETRYABLE_DELIVERY_STATUSES, WAITING_DELIVERY_STATUSES } from './delivery-status.ts';
import { settleFinalDeliveries, type FinalDelivery } from './message-completion.ts';

export interface MessageControlOptions {
  database: HeraldDatabase;
  clock: Clock;
  /** Retried deliveries wake the workers (dispatch's DeliveryWakeup is one). */
  wakeup?: { notifyDeliveriesQueued(): void };
  /** Called when a cancel completed a message that has a callback URL. */
  onCallbacksQueued?: () => void;
}

export interface MessageControl {
  /**
   * Cancels every delivery of the message still waiting (queued, scheduled, retrying); deliveries
   * already being sent are not stopped. Answers how many were canceled. Throws MESSAGE_NOT_FOUND
   * (not_found) or MESSAGE_NOT_CANCELABLE (conflict) when nothing was waiting.
   */
  cancelMessage(messageId: string, appId: string): Promise<number>;
  /** Like `cancelMessage`, without complaining when nothing was waiting (a recall cancels what is not sent yet). Answers the canceled delivery ids. */
  cancelWaiting(messageId: string, appId: string, detail: string): Promise<string[]>;
  /**
   * Puts a failed, undelivered or canceled delivery back in the queue with fresh attempts and reopens its
   * message. Throws DELIVERY_NOT_FOUND (not_found) or DELIVERY_NOT_RETRYABLE (conflict).
   */
  retryDelivery(deliveryId: string, appId: string): Promise<void>;
}

export function createMessageControl({ database, clock, wakeup, onCallbacksQueued }: MessageControlOptions): MessageControl {
  const { db } = database;

  /** Cancels the waiting deliveries in one transaction; `whenNone` runs (and may throw) when there were none. */
  async function cancel(messageId: string, appId: string, detail: string, whenNone: (trx: Kysely<HeraldSchema>) => Promise<void>): Promise<string[]> {
    const { canceledIds, callbacksQueued } = await db.transaction().execute(async (trx) => {
      const nowMs = clock.now();
      // Writing first takes the row locks (PostgreSQL) or the write lock (SQLite) before anything is read.
      const rows: FinalDelivery[] = await trx
        .updateTable('deliveries')
        .set({ status: 'canceled', run_at: null, updated_at: nowMs })
        .where('message_id', '=', messageId)
        .where('app_id', '=', appId)
        .where('status', 'in', WAITING_DELIVERY_STATUSES)
        .returning(['id', 'message_id', 'app_id', 'channel', 'address', 'status', 'attempts', 'provider_message_id', 'last_error_code', 'last_error_message', 'sent_at'])
        .execute();
      if (rows.length === 0) {
        await whenNone(trx);
        return { canceledIds: [], callbacksQueued: 0 };
      }
      const events: NewDeliveryEvent[] = rows.map((row) => ({
        messageId,
        deliveryId: row.id,
        appId,
        type: 'canceled',
        at: nowMs,
        attempt: row.attempts,
        detail,
      }));
      const settlement = await settleFinalDeliveries(trx, database.dialect, rows, nowMs, events);
      await insertEvents(trx, database.dialect, events);
      return { canceledIds: rows.map((row) => row.id), callbacksQueued: settlement.callbacksQueued };
    });
    if (callbacksQueued > 0) onCallbacksQueued?.();
    return canceledIds;
  }

  return {
    async cancelMessage(messageId, appId) {
      const canceled = await cancel(messageId, appId, 'canceled by request', async (trx) => {
        const message = await trx.selectFrom('messages').select('id').where('id', '=', messageId).where('app_id', '=', appId).executeTakeFirst();
        if (!message) throw notFound('MESSAGE_NOT_FOUND', `Message ${messageId} does not exist`, { messageId });
        throw conflict('MESSAGE_NOT_CANCELABLE', `Message ${messageId} has no delivery waiting to be sent: each one is being sent or already final`, {
          messageId,
        });
      });
      return canceled.length;
    },

    cancelWaiting: (messageId, appId, detail) => cancel(messageId, appId, detail, async () => undefined),

    async retryDelivery(deliveryId, appId) {
      await db.transaction().execute(async (trx) => {
        const nowMs = clock.now();
        const row = await trx
          .updateTable('deliveries')
          .set({
            status: 'queued',
            attempts: 0,
            run_at: nowMs,
            // The same max age again, counted from now.
            expires_at: sql<number>`${nowMs} + (expires_at - created_at)`,
            lease_owner: null,
            lease_expires_at: null,
            provider_message_id: null,
            sent_at: null,
            updated_at: nowMs,
          })
          .where('id', '=', deliveryId)
          .where('app_id', '=', appId)
          .where('status', 'in', RETRYABLE_DELIVERY_STATUSES)
          .returning(['id', 'message_id'])
          .executeTakeFirst();
        if (!row) {
          const existing = await trx.selectFrom('deliveries').select('status').where('id', '=', deliveryId).where('app_id', '=', appId).executeTakeFirst();
          if (!existing) throw notFound('DELIVERY_NOT_FOUND', `Delivery ${deliveryId} does not exist`, { deliveryId });
          throw conflict('DELIVERY_NOT_RETRYABLE', `Delivery ${deliveryId} is ${existing.status}; only failed, undelivered or canceled deliveries can be retried`, {
            deliveryId,
            deliveryStatus: existing.status,
          });
        }
        await trx
          .updateTable('messages')
          .set((eb) => ({ pending_count: eb('pending_count', '+', 1), status: 'accepted', completed_at: null, updated_at: nowMs }))
          .where('id', '=', row.message_id)
          .execute();
        await insertEvents(trx, database.dialect, [
          { messageId: row.message_id, deliveryId, appId, type: 'queued', at: nowMs, attempt: 0, code: 'MANUAL_RETRY', detail: 'retried by request' },
        ]);
      });
      wakeup?.notifyDeliveriesQueued();
    },
  };
}

import type { Kysely } from 'kysely';
import type { Dialect } from '../storage/dialect.ts';
import type { DeliveriesTable, HeraldSchema } from '../storage/schema.ts';
import { insertEvents, type NewDeliveryEvent } from './delivery-events.ts';
import { DELIVERY_TRANSITIONS, type DeliveryStatus } from './delivery-status.ts';
import { FINAL_DELIVERY_COLUMNS, queueDeliveryUpdateCallbacks, reviseFinalMessages, type FinalDelivery } from './message-completion.ts';

/**
 * What a platform reports about deliveries it accepted earlier — an SMS receipt, a result
 * query — applied inside the caller's transaction: each delivery moves only along an allowed
 * transition from the status it was read in (a repeated or late report changes nothing), with
 * a trail event; messages whose deliveries turned undelivered are decided again, and callers
 * who asked for per-delivery callbacks get a `delivery.updated` one.
 */

export type ReportableStatus = 'delivered' | 'read' | 'undelivered';

export interface StatusReport {
  delivery: Pick<DeliveriesTable, 'id' | 'message_id' | 'app_id' | 'status' | 'attempts'>;
  status: ReportableStatus;
  /** The platform's code (an undelivered one becomes the delivery's error). */
  code?: string;
  message?: string;
}

export interface ReportSummary {
  /** Deliveries whose status changed. */
  moved: number;
  callbacksQueued: number;
}

/** Whether a delivery in `from` can take the reported status (false for repeats and for reports arriving after a later state). */
export function acceptsReport(from: DeliveryStatus, to: ReportableStatus): boolean {
  return (DELIVERY_TRANSITIONS[from] as readonly DeliveryStatus[]).includes(to);
}

export async function applyStatusReports(trx: Kysely<HeraldSchema>, dialect: Dialect, reports: readonly StatusReport[], nowMs: number): Promise<ReportSummary> {
  const events: NewDeliveryEvent[] = [];
  const changed: FinalDelivery[] = [];
  for (const { delivery, status, code, message } of reports) {
    if (!acceptsReport(delivery.status, status)) continue;
    const failure = status === 'undelivered';
    // Guarded by the status read: a recall or another report that moved the delivery meanwhile wins.
    const row = await trx
      .updateTable('deliveries')
      .set({ status, updated_at: nowMs, ...(failure ? { last_error_code: code ?? 'UNDELIVERED', last_error_message: message ?? null } : {}) })
      .where('id', '=', delivery.id)
      .where('status', '=', delivery.status)
      .returning(FINAL_DELIVERY_COLUMNS)
      .executeTakeFirst();
    if (!row) continue;
    changed.push(row);
    events.push({ messageId: delivery.message_id, deliveryId: delivery.id, appId: delivery.app_id, type: status, at: nowMs, attempt: delivery.attempts, code: code ?? null, detail: message ?? null });
  }
  const undelivered = changed.filter((row) => row.status === 'undelivered').map((row) => row.message_id);
  if (undelivered.length > 0) await reviseFinalMessages(trx, dialect, undelivered, nowMs, events);
  const callbacksQueued = await queueDeliveryUpdateCallbacks(trx, changed, nowMs);
  await insertEvents(trx, dialect, events);
  return { moved: changed.length, callbacksQueued };
}

import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { EventsTable, HeraldSchema } from '../storage/schema.ts';

/**
 * The event trail: one row per state change of a message, a delivery or a result
 * callback. Message-level events have `delivery_id` null.
 */
export type DeliveryEventType =
  | 'accepted'
  | 'queued'
  | 'scheduled'
  | 'skipped'
  | 'sending'
  | 'sent'
  | 'retrying'
  | 'rate_limited'
  /** Held back by the channel account's flow limit; rescheduled without burning an attempt. */
  | 'flow_limited'
  | 'failed'
  | 'canceled'
  | 'lease_expired'
  /** Claimed but not attempted when its worker stopped; back in the queue. */
  | 'released'
  /** Message level: every delivery is final; `code` is the message's final status. */
  | 'completed'
  | 'callback_succeeded'
  | 'callback_retrying'
  | 'callback_failed';

export interface NewDeliveryEvent {
  messageId: string;
  deliveryId: string | null;
  appId: string;
  type: DeliveryEventType;
  at: number;
  attempt?: number | null;
  code?: string | null;
  detail?: string | null;
}

/** Rows per INSERT: keeps well under SQLite's bound-parameter limit. */
const EVENT_ROWS_PER_STATEMENT = 500;

const DETAIL_MAX_CHARS = 2000;

export function eventRow(event: NewDeliveryEvent): EventsTable {
  return {
    id: newId('evt', event.at),
    message_id: event.messageId,
    delivery_id: event.deliveryId,
    app_id: event.appId,
    type: event.type,
    at: event.at,
    attempt: event.attempt ?? null,
    code: event.code ?? null,
    detail: event.detail == null ? null : event.detail.slice(0, DETAIL_MAX_CHARS),
  };
}

/** Writes events with multi-row inserts (one statement per 500 rows). */
export async function insertEvents(db: Kysely<HeraldSchema>, events: readonly NewDeliveryEvent[]): Promise<void> {
  for (let start = 0; start < events.length; start += EVENT_ROWS_PER_STATEMENT) {
    const rows = events.slice(start, start + EVENT_ROWS_PER_STATEMENT).map(eventRow);
    await db.insertInto('events').values(rows).execute();
  }
}

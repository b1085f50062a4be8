import { sql, type Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Dialect } from '../storage/dialect.ts';
import type { EventsTable, HeraldSchema } from '../storage/schema.ts';
import { jsonRows, type JsonColumnType } from './json-rows.ts';

/**
 * The event trail: one row per state change of a message, a delivery or a result
 * callback. Message-level events have `delivery_id` null.
 */
export type DeliveryEventType =
  | 'accepted'
  | 'queued'
  | 'scheduled'
  | 'skipped'
  /** Held back by a policy (accept time) or a send gate until a later time; `code` says why. No attempt is used. */
  | 'deferred'
  /** A delivery skipped DIGESTED went out in a digest message; `detail` names that message. */
  | 'digested'
  | 'sending'
  | 'sent'
  | 'retrying'
  | 'rate_limited'
  /** Held back by the channel account's flow limit; rescheduled without burning an attempt. */
  | 'flow_limited'
  /** Moved to the next account of its channel route (failover); `detail` names both accounts and why. */
  | 'rerouted'
  | 'failed'
  /** The platform reported the recipient got it (receipt, result query). */
  | 'delivered'
  /** The platform reported the recipient read it. */
  | 'read'
  /** The platform accepted the send but reported the recipient did not get it (receipt, result query); `code` is the platform's. */
  | 'undelivered'
  /** Taken back from the platform by a recall. */
  | 'recalled'
  /** A recall the platform refused; `code` says why. The delivery keeps its status. */
  | 'recall_failed'
  | 'canceled'
  /** A person acknowledged the delivery (API or signed link); `detail` says how. Stops its escalation. */
  | 'acknowledged'
  /** Message level: unacknowledged after an escalation step's delay, the message was sent again on the step's channels; `detail` names the new message. */
  | 'escalated'
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

const DETAIL_MAX_CHARS = 2000;

const EVENT_COLUMNS: ReadonlyArray<readonly [string, JsonColumnType]> = [
  ['id', 'text'],
  ['message_id', 'text'],
  ['delivery_id', 'text'],
  ['app_id', 'text'],
  ['type', 'text'],
  ['at', 'bigint'],
  ['attempt', 'integer'],
  ['code', 'text'],
  ['detail', 'text'],
];

/** The stored row of an event: its id, and the detail cut to a bounded length. */
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

/** Writes events in one INSERT, whatever their number (see json-rows.ts). */
export async function insertEvents(db: Kysely<HeraldSchema>, dialect: Dialect, events: readonly NewDeliveryEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((event) => {
    const row = eventRow(event);
    return EVENT_COLUMNS.map(([column]) => row[column as keyof EventsTable]);
  });
  await sql`insert into events (id, message_id, delivery_id, app_id, type, at, attempt, code, detail)
            select * from ${jsonRows(dialect, EVENT_COLUMNS, rows)} as new_events`.execute(db);
}

import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { Dialect } from '../storage/dialect.ts';
import { capabilitiesOf } from '../storage/dialect-capabilities.ts';
import type { CallbacksTable, DeliveriesTable, HeraldSchema, MessagesTable } from '../storage/schema.ts';
import type { NewDeliveryEvent } from './delivery-events.ts';
import { MESSAGE_TRANSITIONS, type DeliveryStatus, type FinalMessageStatus, type MessageStatus } from './delivery-status.ts';
import { isoTime } from '../iso-time.ts';

/**
 * Message bookkeeping when deliveries become final, inside the caller's transaction:
 * `pending_count` goes down, the message that reaches 0 gets its final status, and result
 * callbacks are queued (per message, and per delivery when the caller asked for it).
 * Message-level `completed` events are appended to the caller's `events`, so one INSERT
 * writes every event of the transaction.
 */

export type FinalDelivery = Pick<
  DeliveriesTable,
  'id' | 'message_id' | 'app_id' | 'channel' | 'address' | 'status' | 'attempts' | 'provider_message_id' | 'last_error_code' | 'last_error_message' | 'sent_at'
>;

/** One delivery as the result callback describes it. */
export interface CallbackDelivery {
  id: string;
  channel: string;
  address: string | null;
  status: DeliveryStatus;
  attempts: number;
  providerMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** ISO 8601. */
  sentAt: string | null;
}

/** The JSON body POSTed to the caller's callback URL. */
export interface CallbackPayload {
  /** `delivery.updated`: a final delivery changed later (a delivery receipt). */
  type: 'message.completed' | 'delivery.completed' | 'delivery.updated';
  messageId: string;
  /** The message's final status, or the delivery's for `delivery.completed`. */
  status: string;
  metadata: Record<string, string>;
  deliveries: CallbackDelivery[];
  /** ISO 8601. */
  completedAt: string;
}

export interface SettlementSummary {
  completedMessageIds: string[];
  callbacksQueued: number;
}

const IDS_PER_STATEMENT = 500;
const CALLBACK_ROWS_PER_STATEMENT = 200;

export const FINAL_DELIVERY_COLUMNS = [
  'id',
  'message_id',
  'app_id',
  'channel',
  'address',
  'status',
  'attempts',
  'provider_message_id',
  'last_error_code',
  'last_error_message',
  'sent_at',
] as const;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** completed: all sent/delivered/read/recalled/skipped; failed: all failed or undelivered; canceled: only canceled and skipped; otherwise partially_failed. */
export function finalMessageStatus(countsByStatus: ReadonlyMap<DeliveryStatus, number>): FinalMessageStatus {
  const count = (status: DeliveryStatus) => countsByStatus.get(status) ?? 0;
  const total = [...countsByStatus.values()].reduce((sum, n) => sum + n, 0);
  if (count('canceled') > 0 && count('canceled') + count('skipped') === total) return 'canceled';
  if (count('sent') + count('delivered') + count('read') + count('recalled') + count('skipped') === total) return 'completed';
  if (count('failed') + count('undelivered') === total) return 'failed';
  return 'partially_failed';
}

function callbackDelivery(delivery: FinalDelivery): CallbackDelivery {
  return {
    id: delivery.id,
    channel: delivery.channel,
    address: delivery.address,
    status: delivery.status,
    attempts: delivery.attempts,
    providerMessageId: delivery.provider_message_id,
    errorCode: delivery.last_error_code,
    errorMessage: delivery.last_error_message,
    sentAt: isoTime(delivery.sent_at),
  };
}

/** One callback per delivery, for the messages that asked for them (`callbackPerDelivery`). */
function deliveryCallbacks(
  type: 'delivery.completed' | 'delivery.updated',
  messages: ReadonlyArray<Pick<MessagesTable, 'id' | 'app_id' | 'callback_url' | 'callback_per_delivery' | 'metadata'>>,
  deliveriesByMessage: ReadonlyMap<string, readonly FinalDelivery[]>,
  nowMs: number,
): CallbacksTable[] {
  const callbacks: CallbacksTable[] = [];
  for (const message of messages) {
    if (message.callback_url === null || message.callback_per_delivery !== 1) continue;
    const metadata = JSON.parse(message.metadata) as Record<string, string>;
    for (const delivery of deliveriesByMessage.get(message.id) ?? []) {
      const payload: CallbackPayload = {
        type,
        messageId: message.id,
        status: delivery.status,
        metadata,
        deliveries: [callbackDelivery(delivery)],
        completedAt: new Date(nowMs).toISOString(),
      };
      callbacks.push(callbackRow({ ...message, callback_url: message.callback_url }, delivery.id, payload, nowMs));
    }
  }
  return callbacks;
}

/**
 * For deliveries that changed after they were final (a receipt said delivered or undelivered):
 * a `delivery.updated` callback each, for the messages that asked for per-delivery callbacks.
 * Call in the transaction that changed them; answers how many were queued.
 */
export async function queueDeliveryUpdateCallbacks(trx: Kysely<HeraldSchema>, changed: readonly FinalDelivery[], nowMs: number): Promise<number> {
  if (changed.length === 0) return 0;
  const byMessage = new Map<string, FinalDelivery[]>();
  for (const delivery of changed) byMessage.set(delivery.message_id, [...(byMessage.get(delivery.message_id) ?? []), delivery]);
  const messages = [];
  for (const chunk of chunks([...byMessage.keys()], IDS_PER_STATEMENT)) {
    messages.push(
      ...(await trx
        .selectFrom('messages')
        .select(['id', 'app_id', 'callback_url', 'callback_per_delivery', 'metadata'])
        .where('id', 'in', chunk)
        .where('callback_url', 'is not', null)
        .where('callback_per_delivery', '=', 1)
        .execute()),
    );
  }
  const callbacks = deliveryCallbacks('delivery.updated', messages, byMessage, nowMs);
  await insertCallbacks(trx, callbacks);
  return callbacks.length;
}

function callbackRow(
  message: { id: string; app_id: string; callback_url: string },
  deliveryId: string | null,
  payload: CallbackPayload,
  nowMs: number,
): CallbacksTable {
  return {
    id: newId('cbk', nowMs),
    message_id: message.id,
    delivery_id: deliveryId,
    app_id: message.app_id,
    url: message.callback_url,
    payload: JSON.stringify(payload),
    status: 'pending',
    attempts: 0,
    run_at: nowMs,
    lease_owner: null,
    lease_expires_at: null,
    last_error: null,
    created_at: nowMs,
    updated_at: nowMs,
  };
}

async function insertCallbacks(trx: Kysely<HeraldSchema>, rows: CallbacksTable[]): Promise<void> {
  for (const chunk of chunks(rows, CALLBACK_ROWS_PER_STATEMENT)) await trx.insertInto('callbacks').values(chunk).execute();
}

/**
 * Call in the transaction that made `finals` final. Message rows are locked in id order
 * first (PostgreSQL), so concurrent settlements of deliveries of the same messages cannot deadlock.
 * The lock is FOR NO KEY UPDATE, what the roll-up's UPDATE takes anyway: it leaves alone the
 * KEY SHARE locks that inserting a row referencing the message takes (the events of claims and
 * of other result writes), which FOR UPDATE would make wait until this transaction commits.
 */
export async function settleFinalDeliveries(
  trx: Kysely<HeraldSchema>,
  dialect: Dialect,
  finals: readonly FinalDelivery[],
  nowMs: number,
  events: NewDeliveryEvent[],
): Promise<SettlementSummary> {
  if (finals.length === 0) return { completedMessageIds: [], callbacksQueued: 0 };
  const finalsByMessage = new Map<string, FinalDelivery[]>();
  for (const delivery of finals) {
    const group = finalsByMessage.get(delivery.message_id);
    if (group) group.push(delivery);
    else finalsByMessage.set(delivery.message_id, [delivery]);
  }
  const messageIds = [...finalsByMessage.keys()].sort();
  if (!capabilitiesOf(dialect).singleWriter) {
    for (const chunk of chunks(messageIds, IDS_PER_STATEMENT)) {
      await trx.selectFrom('messages').select('id').where('id', 'in', chunk).orderBy('id').forNoKeyUpdate().execute();
    }
  }

  // Most messages lose one pending delivery per settlement: one statement per distinct decrement.
  const idsByDecrement = new Map<number, string[]>();
  for (const messageId of messageIds) {
    const decrement = finalsByMessage.get(messageId)!.length;
    const group = idsByDecrement.get(decrement);
    if (group) group.push(messageId);
    else idsByDecrement.set(decrement, [messageId]);
  }
  const updated: Array<Pick<MessagesTable, 'id' | 'app_id' | 'pending_count' | 'delivery_count' | 'callback_url' | 'callback_per_delivery' | 'metadata'>> = [];
  for (const [decrement, ids] of idsByDecrement) {
    for (const chunk of chunks(ids, IDS_PER_STATEMENT)) {
      const rows = await trx
        .updateTable('messages')
        .set((eb) => ({ pending_count: eb('pending_count', '-', decrement), updated_at: nowMs }))
        .where('id', 'in', chunk)
        .returning(['id', 'app_id', 'pending_count', 'delivery_count', 'callback_url', 'callback_per_delivery', 'metadata'])
        .execute();
      updated.push(...rows);
    }
  }

  const callbacks = deliveryCallbacks('delivery.completed', updated, finalsByMessage, nowMs);
  await insertCallbacks(trx, callbacks);

  // A message whose every delivery settles here needs no query to learn how its deliveries ended.
  const completed = updated.filter((message) => message.pending_count === 0);
  const known = new Map<string, FinalDelivery[]>();
  for (const message of completed) {
    const settled = finalsByMessage.get(message.id)!;
    if (settled.length === message.delivery_count) known.set(message.id, settled);
  }
  const completion = await finishMessages(trx, completed.map((message) => message.id), nowMs, events, known);
  return { completedMessageIds: completion.completedMessageIds, callbacksQueued: callbacks.length + completion.callbacksQueued };
}

/**
 * Gives messages with no pending delivery left their final status, appends a message-level
 * `completed` event to `events` and queues the `message.completed` callback. Also for the
 * accept path, when every delivery was skipped up front.
 */
export function completeMessages(trx: Kysely<HeraldSchema>, messageIds: readonly string[], nowMs: number, events: NewDeliveryEvent[]): Promise<SettlementSummary> {
  return finishMessages(trx, messageIds, nowMs, events, new Map());
}

async function finishMessages(
  trx: Kysely<HeraldSchema>,
  messageIds: readonly string[],
  nowMs: number,
  events: NewDeliveryEvent[],
  /** Every delivery of some of the messages, when the caller has them all at hand. */
  known: ReadonlyMap<string, FinalDelivery[]>,
): Promise<SettlementSummary> {
  if (messageIds.length === 0) return { completedMessageIds: [], callbacksQueued: 0 };
  const countsByMessage = new Map<string, Map<DeliveryStatus, number>>(messageIds.map((id) => [id, new Map()]));
  const count = (messageId: string, status: DeliveryStatus, n: number) => {
    const counts = countsByMessage.get(messageId)!;
    counts.set(status, (counts.get(status) ?? 0) + n);
  };
  for (const [messageId, deliveries] of known) for (const delivery of deliveries) count(messageId, delivery.status, 1);
  for (const chunk of chunks(messageIds.filter((id) => !known.has(id)), IDS_PER_STATEMENT)) {
    const rows = await trx
      .selectFrom('deliveries')
      .select((eb) => ['message_id', 'status', eb.fn.countAll<number>().as('count')])
      .where('message_id', 'in', chunk)
      .groupBy(['message_id', 'status'])
      .execute();
    for (const row of rows) count(row.message_id, row.status, Number(row.count));
  }

  const idsByStatus = new Map<FinalMessageStatus, string[]>();
  for (const [messageId, counts] of countsByMessage) {
    const status = finalMessageStatus(counts);
    const group = idsByStatus.get(status);
    if (group) group.push(messageId);
    else idsByStatus.set(status, [messageId]);
  }

  const completed: Array<Pick<MessagesTable, 'id' | 'app_id' | 'status' | 'callback_url' | 'metadata'>> = [];
  for (const [status, ids] of idsByStatus) {
    for (const chunk of chunks(ids, IDS_PER_STATEMENT)) {
      const rows = await trx
        .updateTable('messages')
        .set({ status, completed_at: nowMs, updated_at: nowMs })
        .where('id', 'in', chunk)
        .returning(['id', 'app_id', 'status', 'callback_url', 'metadata'])
        .execute();
      completed.push(...rows);
    }
  }
  for (const message of completed) {
    events.push({ messageId: message.id, deliveryId: null, appId: message.app_id, type: 'completed', at: nowMs, code: message.status });
  }

  const withCallback = completed.filter((message) => message.callback_url !== null);
  const deliveriesByMessage = new Map<string, FinalDelivery[]>(withCallback.map((message) => [message.id, []]));
  const toLoad: string[] = [];
  for (const messageId of deliveriesByMessage.keys()) {
    const deliveries = known.get(messageId);
    if (deliveries) deliveriesByMessage.set(messageId, [...deliveries].sort((a, b) => (a.id < b.id ? -1 : 1)));
    else toLoad.push(messageId);
  }
  for (const chunk of chunks(toLoad, IDS_PER_STATEMENT)) {
    const rows = await trx.selectFrom('deliveries').select(FINAL_DELIVERY_COLUMNS).where('message_id', 'in', chunk).orderBy('id').execute();
    for (const row of rows) deliveriesByMessage.get(row.message_id)!.push(row);
  }
  const callbacks = withCallback.map((message) =>
    callbackRow(
      { ...message, callback_url: message.callback_url! },
      null,
      {
        type: 'message.completed',
        messageId: message.id,
        status: message.status,
        metadata: JSON.parse(message.metadata) as Record<string, string>,
        deliveries: deliveriesByMessage.get(message.id)!.map(callbackDelivery),
        completedAt: new Date(nowMs).toISOString(),
      },
      nowMs,
    ),
  );
  await insertCallbacks(trx, callbacks);
  return { completedMessageIds: completed.map((message) => message.id), callbacksQueued: callbacks.length };
}

/**
 * Final messages some of whose sent deliveries the platform has since reported failed (result
 * queries): each is decided again from its deliveries, as far as MESSAGE_TRANSITIONS allows
 * (completed → partially_failed or failed), with a message-level `completed` event carrying the
 * new status. A message still pending is left alone: its last delivery to settle decides it.
 * Call in the transaction that failed the deliveries; answers the messages whose status changed.
 */
export async function reviseFinalMessages(
  trx: Kysely<HeraldSchema>,
  dialect: Dialect,
  messageIds: readonly string[],
  nowMs: number,
  events: NewDeliveryEvent[],
): Promise<string[]> {
  const ids = [...new Set(messageIds)].sort();
  const revised: string[] = [];
  for (const chunk of chunks(ids, IDS_PER_STATEMENT)) {
    // Locked first, as settlement does, so a settlement running now is decided before or after this, never beside it.
    let query = trx.selectFrom('messages').select(['id', 'app_id', 'status']).where('id', 'in', chunk).orderBy('id');
    if (!capabilitiesOf(dialect).singleWriter) query = query.forNoKeyUpdate();
    const messages = (await query.execute()).filter((message) => message.status !== 'accepted');
    if (messages.length === 0) continue;
    const counts = new Map<string, Map<DeliveryStatus, number>>(messages.map((message) => [message.id, new Map()]));
    const rows = await trx
      .selectFrom('deliveries')
      .select((eb) => ['message_id', 'status', eb.fn.countAll<number>().as('count')])
      .where('message_id', 'in', messages.map((message) => message.id))
      .groupBy(['message_id', 'status'])
      .execute();
    for (const row of rows) counts.get(row.message_id)!.set(row.status, Number(row.count));
    for (const message of messages) {
      const status = finalMessageStatus(counts.get(message.id)!);
      const allowed = MESSAGE_TRANSITIONS[message.status] as readonly MessageStatus[];
      if (status === message.status || !allowed.includes(status)) continue;
      await trx.updateTable('messages').set({ status, updated_at: nowMs }).where('id', '=', message.id).execute();
      events.push({ messageId: message.id, deliveryId: null, appId: message.app_id, type: 'completed', at: nowMs, code: status, detail: `was ${message.status}: the platform reported deliveries failed after sending` });
      revised.push(message.id);
    }
  }
  return revised;
}

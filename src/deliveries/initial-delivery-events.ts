import type { DeliveriesTable, EventsTable, MessagesTable } from '../storage/schema.ts';

/** The event types an accept writes for a delivery: a policy's decision, or (before the initial event was derived) its first status. */
const ACCEPT_EVENT_TYPES = new Set(['queued', 'scheduled', 'skipped', 'deferred']);

/**
 * A message's stored trail with each delivery's first event put back: `queued` or `scheduled` at
 * the delivery's creation. That event is not written (it was a third of the rows of an accept): it
 * is the delivery row's own creation. A delivery a policy decided on at accept starts with the
 * decision instead; so does one stored before the event was derived, which has its first event
 * as a row. Both are told by events written without an attempt: every later writer records one.
 *
 * The derived event's id is the delivery's with the `evt` prefix: stable, and as the accept made
 * the delivery id just before the event id it used to write, it sorts in the same place.
 * `events` are ordered by id; so is the answer.
 */
export function withInitialEvents(message: Pick<MessagesTable, 'send_at'>, deliveries: readonly DeliveriesTable[], events: readonly EventsTable[]): EventsTable[] {
  const startedAtAccept = new Set<string>();
  for (const event of events) if (event.delivery_id !== null && event.attempt === null && ACCEPT_EVENT_TYPES.has(event.type)) startedAtAccept.add(event.delivery_id);
  // Without a decision a delivery waits for the message's send time only; send_at is kept only when it was later than the accept.
  const type = message.send_at === null ? 'queued' : 'scheduled';
  const initial: EventsTable[] = [];
  for (const delivery of deliveries) {
    if (startedAtAccept.has(delivery.id)) continue;
    initial.push({ id: `evt_${delivery.id.slice('dlv_'.length)}`, message_id: delivery.message_id, delivery_id: delivery.id, app_id: delivery.app_id, type, at: delivery.created_at, attempt: null, code: null, detail: null });
  }
  if (initial.length === 0) return [...events];
  return [...events, ...initial].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

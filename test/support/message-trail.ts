import { withInitialEvents } from '../../src/deliveries/initial-delivery-events.ts';
import type { HeraldDatabase } from '../../src/storage/database.ts';
import type { EventsTable } from '../../src/storage/schema.ts';

/**
 * A message's trail as `GET /v1/messages/:id` answers it, as rows: the stored events with each
 * delivery's derived first event, for tests below the HTTP API.
 */
export async function messageTrail(database: HeraldDatabase, messageId: string): Promise<EventsTable[]> {
  const { db } = database;
  const [message, deliveries, events] = await Promise.all([
    db.selectFrom('messages').select('send_at').where('id', '=', messageId).executeTakeFirstOrThrow(),
    db.selectFrom('deliveries').selectAll().where('message_id', '=', messageId).orderBy('id').execute(),
    db.selectFrom('events').selectAll().where('message_id', '=', messageId).orderBy('id').execute(),
  ]);
  return withInitialEvents(message, deliveries, events);
}

/** One delivery's part of its message's trail. */
export async function deliveryTrail(database: HeraldDatabase, deliveryId: string): Promise<EventsTable[]> {
  const { message_id } = await database.db.selectFrom('deliveries').select('message_id').where('id', '=', deliveryId).executeTakeFirstOrThrow();
  return (await messageTrail(database, message_id)).filter((event) => event.delivery_id === deliveryId);
}

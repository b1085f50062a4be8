import type { HeraldContext } from '../../context/herald-context.ts';
import { invalid, notFound } from '../../errors.ts';
import type { DeliveriesTable, EventsTable, MessagesTable } from '../../storage/schema.ts';
import type { InlineContent } from '../../templates/template-content.ts';
import { PRIORITIES, type Receiver } from './send-request-schema.ts';
import { withInitialEvents } from '../../deliveries/initial-delivery-events.ts';
import { isoTime } from '../../iso-time.ts';
import { isId } from '../../ids.ts';
import { checkCursor } from '../page-cursor.ts';


/** `acknowledgedAtMs`: when someone acknowledged the delivery (API or signed link), which stops its escalation. */
export function toDeliveryView(row: DeliveriesTable, acknowledgedAtMs: number | null = null) {
  return {
    id: row.id,
    messageId: row.message_id,
    channel: row.channel,
    channelAccountId: row.channel_account_id,
    receiver: JSON.parse(row.receiver) as Receiver,
    address: row.address,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    nextAttemptAt: isoTime(row.run_at),
    providerMessageId: row.provider_message_id,
    error: row.last_error_code ? { code: row.last_error_code, message: row.last_error_message } : null,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    sentAt: isoTime(row.sent_at),
    acknowledgedAt: isoTime(acknowledgedAtMs),
  };
}

export function toEventView(row: EventsTable) {
  return { id: row.id, deliveryId: row.delivery_id, type: row.type, at: isoTime(row.at), attempt: row.attempt, code: row.code, detail: row.detail };
}

export function toMessageSummary(row: MessagesTable) {
  return {
    id: row.id,
    status: row.status,
    priority: PRIORITIES[row.priority],
    type: row.type_code,
    template: row.template_code ? { code: row.template_code, version: row.template_version } : null,
    content: row.content ? (JSON.parse(row.content) as InlineContent) : null,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    callbackUrl: row.callback_url,
    sendAt: isoTime(row.send_at),
    deliveryCount: row.delivery_count,
    pendingCount: row.pending_count,
    createdAt: isoTime(row.created_at),
    completedAt: isoTime(row.completed_at),
  };
}

export interface MessageFilter {
  status?: MessagesTable['status'];
  channel?: string;
  /** An address (e-mail, phone ...) or a subscriber external id. */
  receiver?: string;
  from?: string;
  to?: string;
  /** `key:value` of a metadata entry. */
  metadata?: string;
  /** A message type code. */
  type?: string;
  /** A reason code in the message's trail: a skip, hold or failure (`QUIET_HOURS`, `OPTED_OUT`, `WECOM_45009` ...). */
  reason?: string;
  cursor?: string;
  limit?: number;
}

export const DEFAULT_MESSAGE_PAGE_LIMIT = 20;
export const MAX_MESSAGE_PAGE_LIMIT = 100;

export type MessageQuery = ReturnType<typeof createMessageQuery>;

/** Reads for the tracking API: one message with its trail, and filtered lists with cursor pagination. */
export function createMessageQuery({ database: { db } }: HeraldContext) {
  const parseTime = (value: string, field: string) => {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw invalid('TIME_INVALID', `${field}: "${value}" is not an RFC 3339 time`, { field });
    return ms;
  };

  return {
    async get(appId: string, messageId: string) {
      const message = await db.selectFrom('messages').selectAll().where('id', '=', messageId).where('app_id', '=', appId).executeTakeFirst();
      if (!message) throw notFound('MESSAGE_NOT_FOUND', `No message "${messageId}" in this app`);
      const [deliveries, events, acknowledgements] = await Promise.all([
        db.selectFrom('deliveries').selectAll().where('message_id', '=', messageId).orderBy('id').execute(),
        db.selectFrom('events').selectAll().where('message_id', '=', messageId).orderBy('id').execute(),
        db.selectFrom('acknowledgements').select(['delivery_id', 'at']).where('message_id', '=', messageId).execute(),
      ]);
      const acknowledgedAt = new Map(acknowledgements.map((ack) => [ack.delivery_id, ack.at]));
      return {
        ...toMessageSummary(message),
        data: JSON.parse(message.data) as unknown,
        deliveries: deliveries.map((row) => toDeliveryView(row, acknowledgedAt.get(row.id) ?? null)),
        events: withInitialEvents(message, deliveries, events).map(toEventView),
      };
    },

    async list(appId: string, filter: MessageFilter) {
      let query = db.selectFrom('messages').selectAll().where('app_id', '=', appId);
      if (filter.status) query = query.where('status', '=', filter.status);
      if (filter.type) query = query.where('type_code', '=', filter.type);
      if (filter.from) query = query.where('created_at', '>=', parseTime(filter.from, 'from'));
      if (filter.to) query = query.where('created_at', '<', parseTime(filter.to, 'to'));
      checkCursor(filter.cursor, (cursor) => isId('msg', cursor));
      if (filter.cursor !== undefined) query = query.where('id', '<', filter.cursor);
      if (filter.channel) {
        const channel = filter.channel;
        query = query.where((eb) => eb.exists(eb.selectFrom('deliveries as d').select('d.id').whereRef('d.message_id', '=', 'messages.id').where('d.channel', '=', channel)));
      }
      if (filter.receiver) {
        const receiver = filter.receiver;
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('deliveries as d')
              .select('d.id')
              .whereRef('d.message_id', '=', 'messages.id')
              .where((inner) =>
                inner.or([
                  inner('d.address', '=', receiver),
                  inner('d.subscriber_id', 'in', inner.selectFrom('subscribers').select('id').where('app_id', '=', appId).where('external_id', '=', receiver)),
                ]),
              ),
          ),
        );
      }
      if (filter.reason) {
        const reason = filter.reason;
        query = query.where((eb) => eb.exists(eb.selectFrom('events as e').select('e.id').whereRef('e.message_id', '=', 'messages.id').where('e.code', '=', reason)));
      }
      if (filter.metadata) {
        const separator = filter.metadata.indexOf(':');
        if (separator < 1) throw invalid('METADATA_FILTER_INVALID', 'metadata: use key:value, e.g. metadata=orderId:1001', { field: 'metadata' });
        const key = filter.metadata.slice(0, separator);
        const value = filter.metadata.slice(separator + 1);
        query = query.where('id', 'in', db.selectFrom('message_tags').select('message_id').where('app_id', '=', appId).where('key', '=', key).where('value', '=', value));
      }
      const limit = filter.limit ?? DEFAULT_MESSAGE_PAGE_LIMIT;
      const rows = await query.orderBy('id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      return { items: page.map(toMessageSummary), nextCursor: rows.length > limit ? page.at(-1)!.id : null };
    },

    async getDelivery(appId: string, deliveryId: string) {
      const row = await db.selectFrom('deliveries').selectAll().where('id', '=', deliveryId).where('app_id', '=', appId).executeTakeFirst();
      if (!row) throw notFound('DELIVERY_NOT_FOUND', `No delivery "${deliveryId}" in this app`);
      const ack = await db.selectFrom('acknowledgements').select('at').where('delivery_id', '=', deliveryId).executeTakeFirst();
      return toDeliveryView(row, ack?.at ?? null);
    },
  };
}

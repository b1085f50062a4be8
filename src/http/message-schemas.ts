import { Type } from 'typebox';
import { Time, NullableTime, NullableString } from './response-fields.ts';
import { DELIVERY_STATUSES, MESSAGE_STATUSES } from '../deliveries/delivery-status.ts';
import { PRIORITIES } from '../domain/messages/send-request-schema.ts';

/**
 * What the message tracking routes answer (src/domain/messages/message-query.ts: toMessageSummary,
 * toDeliveryView, toEventView, get). Fastify's serializer drops what a response schema does not list,
 * so each lists every field of its view.
 */


export const DeliveryViewSchema = Type.Object({
  id: Type.String(),
  messageId: Type.String(),
  channel: Type.String(),
  channelAccountId: NullableString,
  receiver: Type.Union([Type.String(), Type.Record(Type.String(), Type.String())], { description: 'A subscriber external id, or a one-key object: {"email"}, {"subscriber"}, {"channelAccount"}, …' }),
  address: NullableString,
  status: Type.Enum(DELIVERY_STATUSES),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  nextAttemptAt: NullableTime,
  providerMessageId: NullableString,
  error: Type.Union([Type.Object({ code: Type.String(), message: NullableString }), Type.Null()], { description: 'The last failure' }),
  createdAt: Time,
  updatedAt: Time,
  sentAt: NullableTime,
  acknowledgedAt: Type.Union([Time, Type.Null()], { description: 'When someone acknowledged it, which stops its escalation' }),
});

const MessageEventSchema = Type.Object({
  id: Type.String(),
  deliveryId: NullableString,
  type: Type.String(),
  at: Time,
  attempt: Type.Union([Type.Integer(), Type.Null()]),
  code: NullableString,
  detail: NullableString,
});

export const MessageSummarySchema = Type.Object({
  id: Type.String(),
  status: Type.Enum(MESSAGE_STATUSES),
  priority: Type.Enum(PRIORITIES),
  type: Type.Union([Type.String(), Type.Null()], { description: 'The message type code it was sent by' }),
  template: Type.Union([Type.Object({ code: Type.String(), version: Type.Union([Type.Integer(), Type.Null()]) }), Type.Null()]),
  content: Type.Union(
    [Type.Object({ title: Type.Optional(Type.String()), summary: Type.Optional(Type.String()), body: Type.Optional(Type.String()) }, { additionalProperties: true, description: 'The inline content sent' }), Type.Null()],
  ),
  metadata: Type.Record(Type.String(), Type.String()),
  callbackUrl: NullableString,
  sendAt: NullableTime,
  deliveryCount: Type.Integer(),
  pendingCount: Type.Integer(),
  createdAt: Time,
  completedAt: NullableTime,
});

export const MessagePageSchema = Type.Object({
  items: Type.Array(MessageSummarySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** A message with its deliveries and full event trail. */
export const MessageDetailSchema = Type.Object({
  ...MessageSummarySchema.properties,
  data: Type.Unknown({ description: 'Template variables of the send' }),
  deliveries: Type.Array(DeliveryViewSchema),
  events: Type.Array(MessageEventSchema),
});

import { Type } from 'typebox';
import { appIdOf } from '../auth/access.ts';
import type { RouteModule } from '../route-module.ts';
import type { AcceptedMessage } from '../../domain/messages/message-intake.ts';
import { CHANNELS } from '../../channels/channel-catalog.ts';
import { DELIVERY_STATUSES, MESSAGE_STATUSES } from '../../deliveries/delivery-status.ts';
import { RECALL_OUTCOMES } from '../../dispatch/message-recall.ts';
import { BatchSendRequestSchema, SendRequestSchema } from '../../domain/messages/send-request-schema.ts';
import { MESSAGE_TYPE_CODE_MAX_LENGTH, MESSAGE_TYPE_CODE_PATTERN } from '../../domain/message-types/message-type-code.ts';
import { DEFAULT_MESSAGE_PAGE_LIMIT, MAX_MESSAGE_PAGE_LIMIT } from '../../domain/messages/message-query.ts';
import { AcceptedMessageSchema, AcknowledgementSchema, serializeAsBuilt, DeliveryViewSchema, MessageDetailSchema, MessagePageSchema } from '../message-schemas.ts';

const IdempotencyHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) });
const MessageParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const RecallReportSchema = Type.Object({
  id: Type.String(),
  deliveries: Type.Array(
    Type.Object({
      id: Type.String(),
      channel: Type.String(),
      address: Type.Union([Type.String(), Type.Null()]),
      status: Type.Enum(DELIVERY_STATUSES),
      outcome: Type.Enum(RECALL_OUTCOMES, {
        description:
          'recalled; canceled (not sent yet); not_recallable (the channel cannot take a message back); not_sent (failed or skipped before); already_recalled; in_flight (being sent: recall again); failed (the platform refused, e.g. its window passed; `code` says why)',
      }),
      code: Type.Optional(Type.String()),
      message: Type.Optional(Type.String()),
    }),
  ),
});

/** The send API and message tracking. */
export const registerMessageRoutes: RouteModule = (server, { intake, messageQuery, messageControl, messageRecall, acknowledgement }) => {
  const answer = (reply: { status(code: number): unknown; header(name: string, value: string): unknown }, accepted: AcceptedMessage) => {
    reply.status(202);
    if (accepted.replayed) reply.header('idempotent-replayed', 'true');
    const { replayed: _replayed, ...body } = accepted;
    return body;
  };

  server.post(
    '/messages',
    { config: { access: 'operate', rateLimit: 'send', audit: false }, serializerCompiler: serializeAsBuilt, schema: { tags: ['messages'], summary: 'Send a message to receivers on channels (202: accepted and queued)', body: SendRequestSchema, headers: IdempotencyHeaders, response: { 202: AcceptedMessageSchema } } },
    async (request, reply) => {
      const appId = appIdOf(request);
      return answer(reply, await intake.accept(appId, request.body, request.headers['idempotency-key']));
    },
  );

  server.post(
    '/messages/batch',
    { config: { access: 'operate', rateLimit: 'send', audit: false }, serializerCompiler: serializeAsBuilt, schema: { tags: ['messages'], summary: 'Send one message to up to 1,000 receivers, each with its own variables', body: BatchSendRequestSchema, headers: IdempotencyHeaders, response: { 202: AcceptedMessageSchema } } },
    async (request, reply) => {
      const appId = appIdOf(request);
      return answer(reply, await intake.accept(appId, request.body, request.headers['idempotency-key']));
    },
  );

  server.get(
    '/messages',
    {
      config: { access: 'read' },
      schema: {
        tags: ['messages'],
        summary: 'Search messages (newest first, cursor pagination)',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Enum(MESSAGE_STATUSES)),
            channel: Type.Optional(Type.Enum(CHANNELS)),
            receiver: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'An address or a subscriber external id' })),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            metadata: Type.Optional(Type.String({ minLength: 3, maxLength: 330, description: 'key:value' })),
            type: Type.Optional(Type.String({ pattern: MESSAGE_TYPE_CODE_PATTERN, maxLength: MESSAGE_TYPE_CODE_MAX_LENGTH, description: 'A message type code' })),
            reason: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description: 'A reason code in the trail: a skip, hold or failure (QUIET_HOURS, OPTED_OUT, DUPLICATE, WECOM_45009 ...)' })),
            cursor: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_MESSAGE_PAGE_LIMIT, default: DEFAULT_MESSAGE_PAGE_LIMIT })),
          },
          { additionalProperties: false },
        ),
        response: { 200: MessagePageSchema },
      },
    },
    async (request) => {
      const appId = appIdOf(request);
      return messageQuery.list(appId, request.query);
    },
  );

  server.get('/messages/:id', { config: { access: 'read' }, schema: { tags: ['messages'], summary: 'A message with its deliveries and full event trail', params: MessageParams, response: { 200: MessageDetailSchema } } }, async (request) => {
    const appId = appIdOf(request);
    return messageQuery.get(appId, request.params.id);
  });

  server.post('/messages/:id/cancel', { config: { access: 'operate' }, schema: { tags: ['messages'], summary: 'Cancel the deliveries not yet being sent', params: MessageParams, response: { 200: Type.Object({ id: Type.String(), canceled: Type.Integer({ description: 'Deliveries canceled' }) }) } } }, async (request) => {
    const appId = appIdOf(request);
    const canceled = await messageControl.cancelMessage(request.params.id, appId);
    return { id: request.params.id, canceled };
  });

  server.post(
    '/messages/:id/recall',
    {
      config: { access: 'operate' },
      schema: {
        tags: ['messages'],
        summary: 'Recall (撤回) a message: take sent deliveries back where the platform allows it, cancel those not sent yet, and say per delivery what happened',
        params: MessageParams,
        response: { 200: RecallReportSchema },
      },
    },
    async (request) => {
      const appId = appIdOf(request);
      return messageRecall.recall(appId, request.params.id);
    },
  );

  server.get('/deliveries/:id', { config: { access: 'read' }, schema: { tags: ['messages'], summary: 'One delivery', params: MessageParams, response: { 200: DeliveryViewSchema } } }, async (request) => {
    const appId = appIdOf(request);
    return messageQuery.getDelivery(appId, request.params.id);
  });

  server.post('/deliveries/:id/retry', { config: { access: 'operate' }, schema: { tags: ['messages'], summary: 'Queue a failed, undelivered or canceled delivery again', params: MessageParams, response: { 202: DeliveryViewSchema } } }, async (request, reply) => {
    const appId = appIdOf(request);
    await messageControl.retryDelivery(request.params.id, appId);
    reply.status(202);
    return messageQuery.getDelivery(appId, request.params.id);
  });

  server.post(
    '/deliveries/:id/ack',
    { config: { access: 'operate', audit: false }, schema: { tags: ['messages'], summary: 'Acknowledge a delivery: a person saw it; stops the escalation of its receiver', params: MessageParams, response: { 200: AcknowledgementSchema } } },
    async (request) => acknowledgement.acknowledge(request.params.id, appIdOf(request), 'api'),
  );
};

import { Type } from 'typebox';
import { CHANNELS } from '../../channels/channel-catalog.ts';
import { MESSAGE_TYPE_CODE_MAX_LENGTH, MESSAGE_TYPE_CODE_PATTERN } from '../../domain/message-types/message-type-code.ts';
import { MessageTypePoliciesSchema } from '../../domain/message-types/message-type-policies.ts';
import { MAX_RECEIVERS_PER_REQUEST, PRIORITIES, SendReceiverSchema } from '../../domain/messages/send-request-schema.ts';
import { appIdOf } from '../auth/access.ts';
import { pathParam, type AuditSnapshot } from '../audit-hooks.ts';
import type { RouteModule } from '../route-module.ts';
import { NoContent } from '../response-fields.ts';

const Code = Type.String({ pattern: MESSAGE_TYPE_CODE_PATTERN, maxLength: MESSAGE_TYPE_CODE_MAX_LENGTH, description: 'Stable code, e.g. server.down' });
const fields = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  category: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100, description: 'Free text, e.g. 服务器警告' }), Type.Null()])),
  urgency: Type.Optional(Type.Enum(PRIORITIES, { description: 'The default priority of its messages' })),
  critical: Type.Optional(Type.Boolean({ description: "Critical types bypass subscribers' opt-outs" })),
  channels: Type.Optional(Type.Array(Type.Enum(CHANNELS), { maxItems: CHANNELS.length, uniqueItems: true, description: 'Default channels ([]: the template\'s)' })),
  template: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128, description: 'Template code' }), Type.Null()])),
  receivers: Type.Optional(Type.Array(SendReceiverSchema, { maxItems: MAX_RECEIVERS_PER_REQUEST, description: 'Groups and subscribers: [{"group":"ops"}, "u1", {"subscriber":"u2"}]' })),
  policies: Type.Optional(MessageTypePoliciesSchema),
  enabled: Type.Optional(Type.Boolean({ description: 'A disabled type refuses sends with 422 MESSAGE_TYPE_DISABLED' })),
};
const CodeParams = Type.Object({ code: Code }, { additionalProperties: false });
/** What every route answers a type with (MessageTypeView); the response schema lists every field, as Fastify's serializer drops the rest. */
const MessageTypeViewSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  category: Type.Union([Type.String(), Type.Null()]),
  urgency: Type.Enum(PRIORITIES),
  critical: Type.Boolean(),
  channels: Type.Array(Type.Enum(CHANNELS)),
  template: Type.Union([Type.String(), Type.Null()]),
  receivers: Type.Array(Type.Union([Type.String(), Type.Record(Type.String(), Type.String())]), { description: 'A subscriber external id, or one-key objects: {"group"}, {"subscriber"}, {"email"}, {"channelAccount"}, …' }),
  policies: Type.Record(Type.String(), Type.Unknown()),
  enabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** Message types (the message pool): read to read, manage to change. */
export const registerMessageTypeRoutes: RouteModule = (server, { messageTypes }) => {
  const before: AuditSnapshot = (request) => messageTypes.get(appIdOf(request), pathParam(request, 'code'));
  server.post(
    '/message-types',
    { config: { access: 'manage' }, schema: { tags: ['message-types'], summary: 'Create a message type (409 MESSAGE_TYPE_EXISTS when the code is taken)', body: Type.Object({ code: Code, ...fields }, { additionalProperties: false }), response: { 201: MessageTypeViewSchema } } },
    async (request, reply) => reply.status(201).send(await messageTypes.create(appIdOf(request), request.body)),
  );

  server.get('/message-types', { config: { access: 'read' }, schema: { tags: ['message-types'], summary: 'All message types of the app, by code', response: { 200: Type.Object({ items: Type.Array(MessageTypeViewSchema) }) } } }, async (request) => ({
    items: await messageTypes.list(appIdOf(request)),
  }));

  server.get('/message-types/:code', { config: { access: 'read' }, schema: { tags: ['message-types'], summary: 'A message type', params: CodeParams, response: { 200: MessageTypeViewSchema } } }, async (request) =>
    messageTypes.get(appIdOf(request), request.params.code),
  );

  server.patch(
    '/message-types/:code',
    {
      config: { access: 'manage', audit: { before } },
      schema: { tags: ['message-types'], summary: 'Change some fields of a message type (null clears category or template)', params: CodeParams, body: Type.Object(fields, { additionalProperties: false }), response: { 200: MessageTypeViewSchema } },
    },
    async (request) => messageTypes.update(appIdOf(request), request.params.code, request.body),
  );

  server.delete('/message-types/:code', { config: { access: 'manage', audit: { before } }, schema: { tags: ['message-types'], summary: 'Delete a message type', params: CodeParams, response: { 204: NoContent } } }, async (request, reply) => {
    await messageTypes.delete(appIdOf(request), request.params.code);
    return reply.status(204).send(null);
  });
};

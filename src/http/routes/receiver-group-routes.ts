import { Type } from 'typebox';
import { NoContent, Time } from '../response-fields.ts';
import { MAX_STATIC_MEMBERS, MAX_TAG_FILTER, MAX_GROUP_RECEIVERS } from '../../domain/receiver-groups/receiver-group-service.ts';
import { MAX_EXTERNAL_ID_LENGTH, MAX_TAG_LENGTH } from '../../domain/subscribers/subscriber-fields.ts';
import { appIdOf } from '../auth/access.ts';
import { pathParam, type AuditSnapshot } from '../audit-hooks.ts';
import type { RouteModule } from '../route-module.ts';

const Name = Type.String({ minLength: 1, maxLength: 128, description: 'Unique in the app; sends name it as {"group": name}' });
const fields = {
  description: Type.Optional(Type.String({ maxLength: 500 })),
  members: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: MAX_EXTERNAL_ID_LENGTH }), { maxItems: MAX_STATIC_MEMBERS, description: 'Subscriber external ids' })),
  tagFilter: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: MAX_TAG_LENGTH }), { maxItems: MAX_TAG_FILTER, description: 'Also every subscriber having all of these tags' })),
};
const NameParams = Type.Object({ name: Name }, { additionalProperties: false });
/** What every route answers a group with (ReceiverGroupView); the response schema lists every field, as Fastify's serializer drops the rest. */
const ReceiverGroupViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  members: Type.Array(Type.String()),
  tagFilter: Type.Array(Type.String()),
  createdAt: Time,
  updatedAt: Time,
});

/** Receiver groups (接收人维护): read to read, manage to change. */
export const registerReceiverGroupRoutes: RouteModule = (server, { receiverGroups }) => {
  const before: AuditSnapshot = (request) => receiverGroups.get(appIdOf(request), pathParam(request, 'name'));
  server.post(
    '/receiver-groups',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['receiver-groups'],
        summary: 'Create a receiver group: static members and/or a tag filter (409 RECEIVER_GROUP_EXISTS when the name is taken)',
        description: `A message reaches at most ${MAX_GROUP_RECEIVERS} receivers: a send to a larger group is refused with 422 GROUP_TOO_LARGE.`,
        body: Type.Object({ name: Name, ...fields }, { additionalProperties: false }),
        response: { 201: ReceiverGroupViewSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await receiverGroups.create(appIdOf(request), request.body)),
  );

  server.get('/receiver-groups', { config: { access: 'read' }, schema: { tags: ['receiver-groups'], summary: 'All receiver groups of the app, by name', response: { 200: Type.Object({ items: Type.Array(ReceiverGroupViewSchema) }) } } }, async (request) => ({
    items: await receiverGroups.list(appIdOf(request)),
  }));

  server.get('/receiver-groups/:name', { config: { access: 'read' }, schema: { tags: ['receiver-groups'], summary: 'A receiver group', params: NameParams, response: { 200: ReceiverGroupViewSchema } } }, async (request) =>
    receiverGroups.get(appIdOf(request), request.params.name),
  );

  server.get(
    '/receiver-groups/:name/members',
    { config: { access: 'read' }, schema: { tags: ['receiver-groups'], summary: 'Who the group reaches now (subscriber external ids)', params: NameParams, response: { 200: Type.Object({ items: Type.Array(Type.String()) }) } } },
    async (request) => ({ items: await receiverGroups.members(appIdOf(request), request.params.name) }),
  );

  server.patch(
    '/receiver-groups/:name',
    { config: { access: 'manage', audit: { before } }, schema: { tags: ['receiver-groups'], summary: 'Change a group; members and tagFilter are replaced when given', params: NameParams, body: Type.Object(fields, { additionalProperties: false }), response: { 200: ReceiverGroupViewSchema } } },
    async (request) => receiverGroups.update(appIdOf(request), request.params.name, request.body),
  );

  server.delete('/receiver-groups/:name', { config: { access: 'manage', audit: { before } }, schema: { tags: ['receiver-groups'], summary: 'Delete a receiver group', params: NameParams, response: { 204: NoContent } } }, async (request, reply) => {
    await receiverGroups.delete(appIdOf(request), request.params.name);
    return reply.status(204).send(null);
  });
};

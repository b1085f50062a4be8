import { Type } from 'typebox';
import { MAX_ADDRESS_LENGTH, MAX_EXTERNAL_ID_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, SUBSCRIBER_ADDRESS_KINDS } from '../../domain/subscribers/subscriber-fields.ts';
import { SubscriberPreferencesSchema } from '../../domain/subscribers/subscriber-preferences.ts';
import { DEFAULT_SUBSCRIBER_PAGE_LIMIT, MAX_SUBSCRIBER_PAGE_LIMIT, MAX_SUBSCRIBERS_PER_UPSERT } from '../../domain/subscribers/subscriber-service.ts';
import { appIdOf } from '../auth/access.ts';
import type { RouteModule } from '../route-module.ts';
import { NoContent } from '../response-fields.ts';

const ExternalId = Type.String({ minLength: 1, maxLength: MAX_EXTERNAL_ID_LENGTH, description: "The calling system's own id for this receiver" });
const AddressValue = Type.String({ minLength: 1, maxLength: MAX_ADDRESS_LENGTH });
const Name = Type.String({ maxLength: 200 });
const Locale = Type.String({ maxLength: 64, description: 'BCP 47 language tag, e.g. zh-CN' });
const Timezone = Type.String({ maxLength: 64, description: 'IANA time zone, e.g. Asia/Shanghai' });
const Data = Type.Record(Type.String(), Type.Unknown(), { description: 'Custom data for templates (subscriber.data), at most 16 KiB of JSON' });

const Tags = Type.Array(Type.String({ minLength: 1, maxLength: MAX_TAG_LENGTH }), { maxItems: MAX_TAGS, description: 'Labels receiver groups select by (tagFilter), e.g. ["oncall", "dba"]' });

const Addresses = Type.Object(Object.fromEntries(SUBSCRIBER_ADDRESS_KINDS.map((kind) => [kind, Type.Optional(AddressValue)])), {
  additionalProperties: false,
  description: 'E-mail, E.164 phone (+8613800138000) and per-IM user ids',
});

const SubscriberInput = Type.Object(
  {
    externalId: ExternalId,
    name: Type.Optional(Name),
    locale: Type.Optional(Type.Union([Locale, Type.Null()])),
    timezone: Type.Optional(Type.Union([Timezone, Type.Null()])),
    addresses: Type.Optional(Addresses),
    data: Type.Optional(Data),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);

const ExternalIdParams = Type.Object({ externalId: ExternalId }, { additionalProperties: false });
/** What every route answers a subscriber with (SubscriberView); the response schema lists every field, as Fastify's serializer drops the rest. */
const SubscriberViewSchema = Type.Object({
  id: Type.String(),
  externalId: Type.String(),
  name: Type.String(),
  locale: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.Union([Type.String(), Type.Null()]),
  addresses: Addresses,
  data: Type.Record(Type.String(), Type.Unknown()),
  tags: Type.Array(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** Subscribers of the calling app (console users name the app in X-Herald-App): read to read, operate to write. */
export const registerSubscriberRoutes: RouteModule = (server, { subscribers, preferences }) => {
  server.post(
    '/subscribers',
    { config: { access: 'operate', audit: false }, schema: { tags: ['subscribers'], summary: 'Create a subscriber (409 SUBSCRIBER_EXISTS when the external id is taken)', body: SubscriberInput, response: { 201: SubscriberViewSchema } } },
    async (request, reply) => {
      const appId = appIdOf(request);
      return reply.status(201).send(await subscribers.create(appId, request.body));
    },
  );

  server.put(
    '/subscribers',
    {
      config: { access: 'operate', audit: false },
      schema: {
        tags: ['subscribers'],
        summary: `Create or replace up to ${MAX_SUBSCRIBERS_PER_UPSERT} subscribers in one transaction (all or nothing)`,
        body: Type.Object({ items: Type.Array(SubscriberInput, { description: `At most ${MAX_SUBSCRIBERS_PER_UPSERT}` }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ created: Type.Integer(), updated: Type.Integer() }) },
      },
    },
    async (request) => {
      const appId = appIdOf(request);
      return subscribers.upsertMany(appId, request.body.items);
    },
  );

  server.get(
    '/subscribers',
    {
      config: { access: 'read' },
      schema: {
        tags: ['subscribers'],
        summary: 'List subscribers in creation order, a page at a time, optionally by external id or name prefix and tag',
        querystring: Type.Object(
          {
            cursor: Type.Optional(Type.String({ maxLength: 64, description: 'nextCursor of the previous page' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SUBSCRIBER_PAGE_LIMIT, default: DEFAULT_SUBSCRIBER_PAGE_LIMIT })),
            q: Type.Optional(Type.String({ maxLength: MAX_EXTERNAL_ID_LENGTH, description: 'Only subscribers whose external id or name starts with this, ignoring case' })),
            tag: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_TAG_LENGTH, description: 'Only subscribers with this tag' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(SubscriberViewSchema), nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last page' }) }) },
      },
    },
    async (request) => {
      const appId = appIdOf(request);
      return subscribers.list(appId, request.query);
    },
  );

  server.get('/subscribers/:externalId', { config: { access: 'read' }, schema: { tags: ['subscribers'], summary: 'Get a subscriber by external id', params: ExternalIdParams, response: { 200: SubscriberViewSchema } } }, async (request) => {
    const appId = appIdOf(request);
    return subscribers.get(appId, request.params.externalId);
  });

  server.patch(
    '/subscribers/:externalId',
    {
      config: { access: 'operate', audit: false },
      schema: {
        tags: ['subscribers'],
        summary: 'Change some fields of a subscriber',
        description: 'Omitted fields stay. null clears locale or timezone; addresses merge per kind, null removing one; data is replaced as a whole.',
        params: ExternalIdParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            locale: Type.Optional(Type.Union([Locale, Type.Null()])),
            timezone: Type.Optional(Type.Union([Timezone, Type.Null()])),
            addresses: Type.Optional(
              Type.Object(Object.fromEntries(SUBSCRIBER_ADDRESS_KINDS.map((kind) => [kind, Type.Optional(Type.Union([AddressValue, Type.Null()]))])), { additionalProperties: false }),
            ),
            data: Type.Optional(Data),
            tags: Type.Optional(Tags),
          },
          { additionalProperties: false },
        ),
        response: { 200: SubscriberViewSchema },
      },
    },
    async (request) => {
      const appId = appIdOf(request);
      return subscribers.update(appId, request.params.externalId, request.body);
    },
  );

  server.get(
    '/subscribers/:externalId/preferences',
    { config: { access: 'read' }, schema: { tags: ['subscribers'], summary: "A subscriber's opt-outs ({} when none)", params: ExternalIdParams, response: { 200: SubscriberPreferencesSchema } } },
    async (request) => preferences.get(appIdOf(request), request.params.externalId),
  );

  server.put(
    '/subscribers/:externalId/preferences',
    {
      config: { access: 'operate', audit: false },
      schema: {
        tags: ['subscribers'],
        summary: "Replace a subscriber's opt-outs",
        description:
          'A message of a type is received unless the most specific setting among types[code], categories[category], all is false; and not on a channel whose channels[channel] is false. Critical types bypass opt-outs. Skipped deliveries have reason OPTED_OUT.',
        params: ExternalIdParams,
        body: SubscriberPreferencesSchema,
        response: { 200: SubscriberPreferencesSchema },
      },
    },
    async (request) => preferences.put(appIdOf(request), request.params.externalId, request.body),
  );

  server.delete('/subscribers/:externalId', { config: { access: 'operate', audit: false }, schema: { tags: ['subscribers'], summary: 'Delete a subscriber', params: ExternalIdParams, response: { 204: NoContent } } }, async (request, reply) => {
    const appId = appIdOf(request);
    await subscribers.delete(appId, request.params.externalId);
    return reply.status(204).send(null);
  });
};

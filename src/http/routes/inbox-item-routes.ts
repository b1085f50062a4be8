import { Type } from 'typebox';
import { DEFAULT_INBOX_PAGE_LIMIT, MAX_INBOX_PAGE_LIMIT } from '../../domain/inbox/inbox-service.ts';
import { InboxAuthQuery, InboxAuthQueryProperties, InboxCountsSchema, InboxEntryParams, InboxEntrySchema } from '../inbox-schemas.ts';
import { inboxSubscriberOf } from '../auth/inbox-subscriber.ts';
import type { RouteModule } from '../route-module.ts';

const ACTIONS = ['read', 'unread', 'archive', 'unarchive'] as const;

/** A subscriber's own inbox: list, counts, marking, deleting. Another subscriber's entry is a 404, never a 403. */
export const registerInboxItemRoutes: RouteModule = (server, { inbox }) => {
  server.get(
    '/items',
    {
      schema: {
        tags: ['inbox'],
        summary: "The subscriber's inbox, newest first (private items and announcements)",
        querystring: Type.Object(
          {
            ...InboxAuthQueryProperties,
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_INBOX_PAGE_LIMIT, default: DEFAULT_INBOX_PAGE_LIMIT })),
            cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
            category: Type.Optional(Type.String({ maxLength: 64 })),
            unread: Type.Optional(Type.Boolean()),
            archived: Type.Optional(Type.Boolean({ default: false })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(InboxEntrySchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (request) => {
      const { limit, cursor, category, unread, archived } = request.query;
      return inbox.list(inboxSubscriberOf(request), { limit, cursor, category, unread, archived });
    },
  );

  server.get(
    '/counts',
    { schema: { tags: ['inbox'], summary: 'Unread unarchived entries, in all and per category', querystring: InboxAuthQuery, response: { 200: InboxCountsSchema } } },
    async (request) => inbox.counts(inboxSubscriberOf(request)),
  );

  server.post(
    '/items/read-all',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Mark every entry read (of one category when given)',
        querystring: InboxAuthQuery,
        body: Type.Optional(Type.Object({ category: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false })),
        response: { 200: InboxCountsSchema },
      },
    },
    async (request) => inbox.readAll(inboxSubscriberOf(request), request.body?.category),
  );

  for (const action of ACTIONS) {
    server.post(
      `/items/:id/${action}`,
      { schema: { tags: ['inbox'], summary: `Mark an entry ${action === 'archive' || action === 'unarchive' ? `${action}d` : action}`, params: InboxEntryParams, querystring: InboxAuthQuery, response: { 200: InboxEntrySchema } } },
      async (request) => inbox.mark(inboxSubscriberOf(request), request.params.id, action),
    );
  }

  server.delete(
    '/items/:id',
    { schema: { tags: ['inbox'], summary: "Delete an entry from the subscriber's inbox", params: InboxEntryParams, querystring: InboxAuthQuery, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await inbox.delete(inboxSubscriberOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

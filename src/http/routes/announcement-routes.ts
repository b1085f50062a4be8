import { Type } from 'typebox';
import { ANNOUNCEMENT_STATUSES, AnnouncementInputSchema, AnnouncementPatchSchema, AnnouncementViewSchema } from '../../domain/inbox/announcement-schema.ts';
import { DEFAULT_ANNOUNCEMENT_PAGE_LIMIT, MAX_ANNOUNCEMENT_PAGE_LIMIT } from '../../domain/inbox/announcement-service.ts';
import { appIdOf } from '../auth/access.ts';
import { pathParam, type AuditSnapshot } from '../audit-hooks.ts';
import type { RouteModule } from '../route-module.ts';

const tags = ['announcements'];
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(ANNOUNCEMENT_STATUSES, { description: 'Only announcements in this status now' })),
    cursor: Type.Optional(Type.String({ maxLength: 64, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ANNOUNCEMENT_PAGE_LIMIT, default: DEFAULT_ANNOUNCEMENT_PAGE_LIMIT })),
  },
  { additionalProperties: false },
);
const Page = Type.Object({ items: Type.Array(AnnouncementViewSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** Announcements: one message to a whole audience of the app's inboxes. Sending rights to change, read to read. */
export const registerAnnouncementRoutes: RouteModule = (server, { announcements }) => {
  const before: AuditSnapshot = (request) => announcements.get(appIdOf(request), pathParam(request, 'id'));
  server.post(
    '/announcements',
    {
      config: { access: 'operate' },
      schema: {
        tags,
        summary: "Announce to the app's inboxes: everyone, a receiver group or subscribers with tags; stored once however large the audience",
        description: 'The body is Markdown, rendered once into sanitised HTML. Without publishAt it is live at once.',
        body: AnnouncementInputSchema,
        response: { 201: AnnouncementViewSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await announcements.create(appIdOf(request), request.body)),
  );

  server.get('/announcements', { config: { access: 'read' }, schema: { tags, summary: 'Announcements newest first, a page at a time', querystring: ListQuery, response: { 200: Page } } }, async (request) =>
    announcements.list(appIdOf(request), request.query),
  );

  server.get('/announcements/:id', { config: { access: 'read' }, schema: { tags, summary: 'An announcement with its status now', params: IdParams, response: { 200: AnnouncementViewSchema } } }, async (request) =>
    announcements.get(appIdOf(request), request.params.id),
  );

  server.patch(
    '/announcements/:id',
    {
      config: { access: 'operate', audit: { before } },
      schema: {
        tags,
        summary: 'Change an announcement: inboxes show the new content at once (409 ANNOUNCEMENT_WITHDRAWN once withdrawn)',
        params: IdParams,
        body: AnnouncementPatchSchema,
        response: { 200: AnnouncementViewSchema },
      },
    },
    async (request) => announcements.update(appIdOf(request), request.params.id, request.body),
  );

  server.post(
    '/announcements/:id/withdraw',
    { config: { access: 'operate', audit: { before } }, schema: { tags, summary: 'Withdraw an announcement: gone from every inbox at once (again: no change)', params: IdParams, response: { 200: AnnouncementViewSchema } } },
    async (request) => announcements.withdraw(appIdOf(request), request.params.id),
  );
};

import { Type } from 'typebox';
import { DEFAULT_AUDIT_PAGE_LIMIT, MAX_AUDIT_PAGE_LIMIT } from '../../domain/audit/audit-log-service.ts';
import { forbidden } from '../../errors.ts';
import { principalOf, requireRole } from '../auth/access.ts';
import type { RouteModule } from '../route-module.ts';

const Snapshot = Type.Unknown({ description: 'The target as the API showed it, secrets masked; null when there is none' });
const AuditRecord = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  appId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String({ description: 'Console user id or access key id' }),
  actorKind: Type.Union([Type.Literal('user'), Type.Literal('access-key')]),
  actorEmail: Type.Union([Type.String(), Type.Null()]),
  action: Type.String({ description: 'The route, e.g. "PATCH /v1/channel-accounts/{idOrName}"' }),
  target: Type.String({ description: 'The id of what changed' }),
  address: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  before: Snapshot,
  after: Snapshot,
});

/**
 * Searches the audit log: console admins and owners see every app's rows (or one app's with
 * `app`); an access key sees its own app's rows only.
 */
export const registerAuditLogRoutes: RouteModule = (server, { auditLog, apps }) => {
  server.get(
    '/audit-log',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit log, newest first',
        description: 'Console users need the admin role; an access key sees the rows of its own app.',
        querystring: Type.Object(
          {
            actor: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Console user id or access key id' })),
            target: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            action: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'e.g. "PATCH /v1/channel-accounts/{idOrName}"' })),
            app: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Console users: only this app (id or name)' })),
            from: Type.Optional(Type.String({ format: 'date-time', description: 'Rows at or after this time' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'Rows at or before this time' })),
            cursor: Type.Optional(Type.String({ maxLength: 64, description: 'nextCursor of the previous page' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AUDIT_PAGE_LIMIT, default: DEFAULT_AUDIT_PAGE_LIMIT })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(AuditRecord), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { app, from, to, ...filter } = request.query;
      let appId: string | undefined;
      if (principal.kind === 'app') {
        if (app !== undefined && (await apps.get(app)).id !== principal.appId) throw forbidden('APP_FORBIDDEN', 'An access key can only read its own app\'s audit log; leave out app');
        appId = principal.appId;
      } else {
        requireRole(request, 'admin');
        appId = app === undefined ? undefined : (await apps.get(app)).id;
      }
      return auditLog.search({
        ...filter,
        ...(appId === undefined ? {} : { appId }),
        ...(from === undefined ? {} : { fromMs: Date.parse(from) }),
        ...(to === undefined ? {} : { toMs: Date.parse(to) }),
      });
    },
  );
};

import { Type } from 'typebox';
import { NoContent, NullableTime, Time } from '../response-fields.ts';
import { AppSettingsSchema } from '../../domain/apps/app-service.ts';
import { appIdOf, principalOf } from '../auth/access.ts';
import type { FastifyRequest } from 'fastify';
import { pathParam, type AuditSnapshot } from '../audit-hooks.ts';
import type { RouteModule } from '../route-module.ts';

const AppIdParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 100 }) });
const InboxSecretView = Type.Object({ inboxSecret: Type.String() });
const CallbackSecretView = Type.Object({ callbackSecret: Type.String({ description: 'The HMAC-SHA256 key of the X-Herald-Signature header on result callbacks' }) });
// What the routes answer an app and a key with (AppView, AccessKeyView); a response schema lists every field, as Fastify's serializer drops the rest.
const AppViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  settings: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Time,
  updatedAt: Time,
});
// Never with its secret: the key created answers without a response schema, as its secret is shown only there.
const AccessKeyViewSchema = Type.Object({
  accessKeyId: Type.String(),
  appId: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
  createdAt: Time,
  lastUsedAt: NullableTime,
  revokedAt: NullableTime,
});
const CreatedAccessKeySchema = Type.Object({
  ...AccessKeyViewSchema.properties,
  secretAccessKey: Type.String({ description: 'Shown only in this answer; Herald keeps it encrypted and never returns it again' }),
});

/**
 * Apps and their access keys: console users manage them (admin and up); a signed
 * request may only read its own app and its callback secret, and rotate that secret.
 */
export const registerAppRoutes: RouteModule = (server, { apps, keys }) => {
  const appBefore: AuditSnapshot = (request) => apps.get(pathParam(request, 'app'));
  // Console-only routes on one app: its own access keys find these rows in their audit log.
  const app = async (request: FastifyRequest) => (await apps.get(pathParam(request, 'app'))).id;
  server.post(
    '/apps',
    {
      config: { access: { consoleRole: 'admin' } },
      schema: {
        tags: ['apps'],
        summary: 'Create an app',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 63 }), description: Type.Optional(Type.String({ maxLength: 1000 })), settings: Type.Optional(AppSettingsSchema) },
          { additionalProperties: false },
        ),
        response: { 201: AppViewSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await apps.create(request.body)),
  );

  server.get('/apps', { config: { access: 'authenticated' }, schema: { tags: ['apps'], summary: 'List apps (a signed request sees its own)', response: { 200: Type.Object({ items: Type.Array(AppViewSchema) }) } } }, async (request) => {
    const principal = principalOf(request);
    if (principal.kind === 'app') return { items: [await apps.get(principal.appId)] };
    return { items: await apps.list() };
  });

  server.get('/apps/:app', { config: { access: { appParam: 'read' } }, schema: { tags: ['apps'], summary: 'Get an app by id or name', params: AppIdParams, response: { 200: AppViewSchema } } }, async (request) =>
    apps.get(appIdOf(request)),
  );

  server.patch(
    '/apps/:app',
    {
      config: { access: { consoleRole: 'admin' }, audit: { before: appBefore, app } },
      schema: {
        tags: ['apps'],
        summary: 'Update, disable or enable an app',
        params: AppIdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
            description: Type.Optional(Type.String({ maxLength: 1000 })),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
            settings: Type.Optional(AppSettingsSchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: AppViewSchema },
      },
    },
    async (request) => apps.update(request.params.app, request.body),
  );

  // An app verifies its result callbacks with this secret, so its own access key may read and rotate it.
  server.get(
    '/apps/:app/callback-secret',
    { config: { access: { appParam: 'manage' } }, schema: { tags: ['apps'], summary: 'The secret signing result callbacks', params: AppIdParams, response: { 200: CallbackSecretView } } },
    async (request) => ({ callbackSecret: await apps.callbackSecret(appIdOf(request)) }),
  );

  server.post(
    '/apps/:app/callback-secret/rotate',
    { config: { access: { appParam: 'manage' } }, schema: { tags: ['apps'], summary: 'Replace the callback secret', params: AppIdParams, response: { 200: CallbackSecretView } } },
    async (request) => ({ callbackSecret: await apps.rotateCallbackSecret(appIdOf(request)) }),
  );

  // The app's backend signs subscriber hashes with this secret, so its own access key may read and rotate it.
  server.get(
    '/apps/:app/inbox-secret',
    {
      config: { access: { appParam: 'manage' } },
      schema: { tags: ['inbox'], summary: 'The secret signing subscriber hashes and inbox tokens', params: AppIdParams, response: { 200: InboxSecretView } },
    },
    async (request) => ({ inboxSecret: await apps.inboxSecret(appIdOf(request)) }),
  );

  server.post(
    '/apps/:app/inbox-secret/rotate',
    {
      config: { access: { appParam: 'manage' } },
      schema: { tags: ['inbox'], summary: 'Replace the inbox secret (hashes and tokens signed with the old one stop working)', params: AppIdParams, response: { 200: InboxSecretView } },
    },
    async (request) => ({ inboxSecret: await apps.rotateInboxSecret(appIdOf(request)) }),
  );

  server.post(
    '/apps/:app/inbox-tokens',
    {
      config: { access: { appParam: 'manage' }, audit: false },
      schema: {
        tags: ['inbox'],
        summary: 'Mint an expiring token proving a subscriber to the inbox API',
        params: AppIdParams,
        body: Type.Object(
          {
            subscriberId: Type.String({ minLength: 1, maxLength: 128, description: "The subscriber's external id" }),
            ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 2_592_000, default: 3600 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }) },
      },
    },
    async (request) => apps.mintInboxToken(appIdOf(request), request.body.subscriberId, request.body.ttlSeconds ?? 3600),
  );

  server.post(
    '/apps/:app/keys',
    { config: { access: { consoleRole: 'admin' }, audit: { app } }, schema: { tags: ['keys'], summary: 'Create an access key (the secret is shown only in this response)', params: AppIdParams, response: { 201: CreatedAccessKeySchema } } },
    async (request, reply) => reply.status(201).send(await keys.create(request.params.app)),
  );

  server.get(
    '/apps/:app/keys',
    { config: { access: { consoleRole: 'admin' } }, schema: { tags: ['keys'], summary: 'List access keys (never their secrets)', params: AppIdParams, response: { 200: Type.Object({ items: Type.Array(AccessKeyViewSchema) }) } } },
    async (request) => ({ items: await keys.list(request.params.app) }),
  );

  server.delete(
    '/apps/:app/keys/:accessKeyId',
    {
      config: { access: { consoleRole: 'admin' }, audit: { app } },
      schema: { tags: ['keys'], summary: 'Revoke an access key', params: Type.Object({ app: Type.String(), accessKeyId: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 204: NoContent } },
    },
    async (request, reply) => {
      const app = await apps.get(request.params.app);
      await keys.revoke(request.params.accessKeyId, app.id);
      return reply.status(204).send(null);
    },
  );
};

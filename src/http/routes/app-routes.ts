import { Type } from 'typebox';
import { forbidden } from '../../errors.ts';
import { requireRole } from '../auth/access.ts';
import type { RouteModule } from '../create-http-server.ts';

const RetryPolicy = Type.Object(
  {
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    maxAgeSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 2_592_000 })),
  },
  { additionalProperties: false },
);
const AppSettings = Type.Object(
  { ...RetryPolicy.properties, channels: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z]+$' }), RetryPolicy)) },
  { additionalProperties: false },
);
const AppIdParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 100 }) });

/**
 * Apps and their access keys: console users manage them (admin and up); a signed
 * request may only read its own app.
 */
export const registerAppRoutes: RouteModule = (server, { apps, keys }) => {
  server.post(
    '/v1/apps',
    {
      schema: {
        tags: ['apps'],
        summary: 'Create an app',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 63 }), description: Type.Optional(Type.String({ maxLength: 1000 })), settings: Type.Optional(AppSettings) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      requireRole(request, 'admin');
      return reply.status(201).send(await apps.create(request.body));
    },
  );

  server.get('/v1/apps', { schema: { tags: ['apps'], summary: 'List apps (a signed request sees its own)' } }, async (request) => {
    const principal = request.principal!;
    if (principal.kind === 'app') return { items: [await apps.get(principal.appId)] };
    return { items: await apps.list() };
  });

  server.get('/v1/apps/:app', { schema: { tags: ['apps'], summary: 'Get an app by id or name', params: AppIdParams } }, async (request) => {
    const app = await apps.get(request.params.app);
    const principal = request.principal!;
    if (principal.kind === 'app' && principal.appId !== app.id) throw forbidden('APP_FORBIDDEN', 'An access key can only read its own app');
    return app;
  });

  server.patch(
    '/v1/apps/:app',
    {
      schema: {
        tags: ['apps'],
        summary: 'Update, disable or enable an app',
        params: AppIdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
            description: Type.Optional(Type.String({ maxLength: 1000 })),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
            settings: Type.Optional(AppSettings),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      return apps.update(request.params.app, request.body);
    },
  );

  server.get('/v1/apps/:app/callback-secret', { schema: { tags: ['apps'], summary: 'The secret signing result callbacks', params: AppIdParams } }, async (request) => {
    requireRole(request, 'admin');
    return { callbackSecret: await apps.callbackSecret(request.params.app) };
  });

  server.post('/v1/apps/:app/callback-secret/rotate', { schema: { tags: ['apps'], summary: 'Replace the callback secret', params: AppIdParams } }, async (request) => {
    requireRole(request, 'admin');
    return { callbackSecret: await apps.rotateCallbackSecret(request.params.app) };
  });

  server.post('/v1/apps/:app/keys', { schema: { tags: ['keys'], summary: 'Create an access key (the secret is shown only in this response)', params: AppIdParams } }, async (request, reply) => {
    requireRole(request, 'admin');
    return reply.status(201).send(await keys.create(request.params.app));
  });

  server.get('/v1/apps/:app/keys', { schema: { tags: ['keys'], summary: 'List access keys (never their secrets)', params: AppIdParams } }, async (request) => {
    requireRole(request, 'admin');
    return { items: await keys.list(request.params.app) };
  });

  server.delete(
    '/v1/apps/:app/keys/:accessKeyId',
    { schema: { tags: ['keys'], summary: 'Revoke an access key', params: Type.Object({ app: Type.String(), accessKeyId: Type.String({ minLength: 1, maxLength: 64 }) }) } },
    async (request, reply) => {
      requireRole(request, 'admin');
      const app = await apps.get(request.params.app);
      await keys.revoke(request.params.accessKeyId, app.id);
      return reply.status(204).send();
    },
  );
};

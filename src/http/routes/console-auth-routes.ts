import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { toUserView, type UserView } from '../../domain/users/user-service.ts';
import { unauthenticated } from '../../errors.ts';
import { SESSION_COOKIE } from '../auth/authenticate.ts';
import { refuseCrossSite, requireSameOrigin } from '../auth/csrf-guard.ts';
import { NoContent } from '../response-fields.ts';
import type { RouteModule } from '../route-module.ts';
import { UserViewSchema } from '../user-schemas.ts';

const Credentials = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

/**
 * Console sign-in and first-run setup; everything else uses the session on /v1. These routes sit
 * outside the signed API, whose hooks audit its changes, so they write their own audit rows: who
 * became the first owner, and every sign-in and sign-out with its address.
 */
export const registerConsoleAuthRoutes: RouteModule = (server, { users, sessions, auditLog, context }) => {
  const audit = async (request: FastifyRequest, user: UserView, after: unknown) => {
    const entry = {
      appId: undefined,
      actor: user.id,
      actorKind: 'user' as const,
      actorEmail: user.email,
      action: `POST ${request.routeOptions.url!}`,
      target: user.id,
      address: request.ip,
      requestId: request.id,
      before: null,
      after,
    };
    try {
      await auditLog.record(entry);
    } catch (error) {
      context.logger.error({ err: error, audit: entry }, 'AUDIT_WRITE_FAILED: the sign-in change was made but its audit row was not written');
    }
  };

  const cookieOptions = (expiresAt: number) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: context.config.auth.cookieSecure,
    expires: new Date(expiresAt),
  });

  server.get('/auth/setup', { schema: { tags: ['console'], summary: 'Whether first-run setup is still open', response: { 200: Type.Object({ setupOpen: Type.Boolean() }) } } }, async () => ({
    setupOpen: !(await users.hasUsers()),
  }));

  server.post(
    '/auth/setup',
    {
      onRequest: async (request) => refuseCrossSite(request),
      schema: {
        tags: ['console'],
        summary: 'Create the first owner (only while Herald has no users)',
        body: Type.Object({ ...Credentials.properties, name: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
        response: { 201: UserViewSchema },
      },
    },
    async (request, reply) => {
      const user = await users.createFirstOwner(request.body);
      await audit(request, user, user);
      return reply.status(201).send(user);
    },
  );

  server.post('/auth/login', { onRequest: async (request) => refuseCrossSite(request), schema: { tags: ['console'], summary: 'Sign in; sets an HttpOnly session cookie', body: Credentials, response: { 200: UserViewSchema } } }, async (request, reply) => {
    const { token, user, expiresAt } = await sessions.login(request.body.email, request.body.password, request.ip);
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(expiresAt));
    const view = toUserView(user);
    await audit(request, view, { sessionExpiresAt: new Date(expiresAt).toISOString() });
    return view;
  });

  const logoutGuard = async (request: FastifyRequest) => {
    if (request.cookies[SESSION_COOKIE]) requireSameOrigin(request);
  };
  server.post('/auth/logout', { onRequest: logoutGuard, schema: { tags: ['console'], summary: 'End the session', response: { 204: NoContent } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    const user = token ? await sessions.userFor(token) : undefined;
    if (token) await sessions.logout(token);
    if (user) await audit(request, toUserView(user), null);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  server.get('/auth/me', { schema: { tags: ['console'], summary: 'The signed-in user', response: { 200: UserViewSchema } } }, async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    const user = token ? await sessions.userFor(token) : undefined;
    if (!user) throw unauthenticated('SESSION_MISSING', 'Not signed in');
    return toUserView(user);
  });
};

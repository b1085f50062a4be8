import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ApiServices } from './api-services.ts';
import { reservePrefix } from './prefix-guard.ts';
import { SUBSCRIBER_HASH_HEADER, SUBSCRIBER_HEADER, type InboxAuthenticator } from './auth/inbox-authenticate.ts';
import type { HeraldServer, RouteModule } from './route-module.ts';
import { registerInboxItemRoutes } from './routes/inbox-item-routes.ts';
import { registerInboxPreferenceRoutes } from './routes/inbox-preference-routes.ts';
import { registerInboxStreamRoutes } from './routes/inbox-stream-routes.ts';
import { registerInboxWebPushRoutes } from './routes/inbox-web-push-routes.ts';
import './auth/inbox-subscriber.ts';

export const INBOX_API_PREFIX = '/inbox/v1';

const INBOX_API_ROUTES: RouteModule[] = [registerInboxItemRoutes, registerInboxPreferenceRoutes, registerInboxStreamRoutes, registerInboxWebPushRoutes];

const ALLOWED_METHODS = 'GET, POST, PUT, DELETE';
const ALLOWED_HEADERS = `authorization, content-type, ${SUBSCRIBER_HEADER}, ${SUBSCRIBER_HASH_HEADER}, last-event-id`;
/** How long a browser may reuse a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The CORS preflight route of the inbox API: answered without authentication. */
    inboxPreflight?: true;
  }
}

/**
 * Grants CORS to an origin the app (`?app=`) allows, on every inbox response including errors,
 * so the widget can read a 401. Any other origin gets no Access-Control-* header at all.
 */
async function grantCors(inboxAuth: InboxAuthenticator, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply.header('vary', 'Origin');
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const app = await inboxAuth.appOf(request);
  if (app?.allowedOrigins.includes(origin)) reply.header('access-control-allow-origin', origin);
}

/**
 * The subscriber-facing inbox API: every /inbox/v1 route, in one encapsulated plugin whose hooks
 * authenticate a subscriber (hash or token, never SigV4 nor a console session). As with the
 * signed API, authentication is a property of the matched route, not of the URL's spelling.
 */
export async function registerInboxApi(server: HeraldServer, services: ApiServices): Promise<void> {
  const markPlugin = reservePrefix(server, INBOX_API_PREFIX, 'inbox API');
  const { inboxAuth } = services;
  await server.register(
    async (instance) => {
      const api = instance.withTypeProvider<TypeBoxTypeProvider>();
      markPlugin(api);
      api.decorateRequest('inboxSubscriber', undefined);
      api.addHook('onRoute', declareInboxRoute);
      api.addHook('onRequest', async (request, reply) => {
        await grantCors(inboxAuth, request, reply);
        if (!request.routeOptions.config.inboxPreflight) request.inboxSubscriber = await inboxAuth.authenticate(request);
      });

      // A preflight carries no credentials; it is granted (or not) by the origin alone.
      api.options('/*', { config: { inboxPreflight: true }, schema: { hide: true } }, async (_request, reply) => {
        if (reply.hasHeader('access-control-allow-origin')) {
          reply.header('access-control-allow-methods', ALLOWED_METHODS);
          reply.header('access-control-allow-headers', ALLOWED_HEADERS);
          reply.header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
        }
        return reply.status(204).send();
      });

      for (const register of INBOX_API_ROUTES) register(api, services);
    },
    { prefix: INBOX_API_PREFIX },
  );
}

/** Credentials EventSource must put in the query; request logs show that they were given, never what. */
const CREDENTIAL_QUERY = /([?&](?:token|subscriberHash)=)[^&#]*/gi;

function inboxRequestLog(request: FastifyRequest) {
  return { method: request.method, url: request.url.replaceAll(CREDENTIAL_QUERY, '$1[redacted]'), host: request.host, remoteAddress: request.ip };
}

/** Every inbox route documents its proofs, and logs its requests without the credentials of their query. */
function declareInboxRoute(route: RouteOptions): void {
  route.schema = { ...route.schema, security: [{ inboxSubscriberHash: [], inboxSubscriber: [] }, { inboxToken: [] }] };
  route.logSerializers = { ...route.logSerializers, req: inboxRequestLog };
}

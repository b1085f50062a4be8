import type { RouteOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ApiServices } from './api-services.ts';
import { reservePrefix } from './prefix-guard.ts';
import { chargeAppRateLimit } from './app-rate-limit.ts';
import { registerAuditHooks } from './audit-hooks.ts';
import { authorize, describeAccess } from './auth/access.ts';
import { presentedCredentials } from './auth/authenticate.ts';
import { isStateChanging, requireSameOrigin } from './auth/csrf-guard.ts';
import type { HeraldServer, RouteModule } from './route-module.ts';
import { registerAlarmRoutes } from './routes/alarm-routes.ts';
import { registerAnnouncementRoutes } from './routes/announcement-routes.ts';
import { registerAuditLogRoutes } from './routes/audit-log-routes.ts';
import { registerStatsRoutes } from './routes/stats-routes.ts';
import { registerAppRoutes } from './routes/app-routes.ts';
import { registerChannelAccountRoutes } from './routes/channel-account-routes.ts';
import { registerAccountQuotaRoutes } from './routes/account-quota-routes.ts';
import { registerChannelRouteRoutes } from './routes/channel-route-routes.ts';
import { registerMessageRoutes } from './routes/message-routes.ts';
import { registerMessageTypeRoutes } from './routes/message-type-routes.ts';
import { registerReceiverGroupRoutes } from './routes/receiver-group-routes.ts';
import { registerScheduleRoutes } from './routes/schedule-routes.ts';
import { registerSubscriberRoutes } from './routes/subscriber-routes.ts';
import { registerTemplateRoutes } from './routes/template-routes.ts';
import { registerUserRoutes } from './routes/user-routes.ts';
import { registerWebPushRoutes } from './routes/web-push-routes.ts';
import { registerWhoamiRoutes } from './routes/whoami-routes.ts';

const SIGNED_API_PREFIX = '/v1';

const SIGNED_API_ROUTES: RouteModule[] = [
  registerWhoamiRoutes,
  registerAppRoutes,
  registerUserRoutes,
  registerSubscriberRoutes,
  registerWebPushRoutes,
  registerChannelAccountRoutes,
  registerAccountQuotaRoutes,
  registerChannelRouteRoutes,
  registerMessageRoutes,
  registerMessageTypeRoutes,
  registerReceiverGroupRoutes,
  registerTemplateRoutes,
  registerScheduleRoutes,
  registerAnnouncementRoutes,
  registerAuditLogRoutes,
  registerStatsRoutes,
  registerAlarmRoutes,
];

/**
 * The signed API: every /v1 route, in one encapsulated plugin whose hooks authenticate each of
 * them. Authentication is a property of the matched route, so however a URL is spelled
 * (`/%761/...`, absolute-form), if the router sends it to a /v1 route it passes these hooks.
 */
export async function registerSignedApi(server: HeraldServer, services: ApiServices): Promise<void> {
  const markPlugin = reservePrefix(server, SIGNED_API_PREFIX, 'signed API');
  await server.register(
    async (instance) => {
      const api = instance.withTypeProvider<TypeBoxTypeProvider>();
      markPlugin(api);
      api.decorateRequest('principal', undefined);
      api.decorateRequest('appId', undefined);
      api.addHook('onRoute', declareAccess);

      // Headers only, before the body is read: unsigned requests and cross-site cookie writes stop here.
      api.addHook('onRequest', async (request) => {
        if (presentedCredentials(request).kind === 'session' && isStateChanging(request)) requireSameOrigin(request);
      });
      // The signature covers the body's hash, so it is checked once the body is read, but before
      // the schema is applied: a caller who is not authenticated learns nothing about the schema.
      api.addHook('preValidation', async (request, reply) => {
        request.principal = await services.authenticator.authenticate(request);
        request.appId = await authorize(request, request.routeOptions.config.access!, services.apps);
        // After authentication, so an unauthenticated flood cannot drain a real app's bucket.
        await chargeAppRateLimit(request, reply, services.rateLimits);
      });
      registerAuditHooks(api, services.auditLog, services.context.logger);

      for (const register of SIGNED_API_ROUTES) register(api, services);
    },
    { prefix: SIGNED_API_PREFIX },
  );
}

/** Every route states its access (refusing to start otherwise), and the OpenAPI document shows it. */
function declareAccess(route: RouteOptions): void {
  const access = route.config?.access;
  if (access === undefined) throw new Error(`${route.method} ${route.url} declares no config.access; every signed API route must`);
  const consoleOnly = typeof access === 'object' && 'consoleRole' in access;
  const security: Record<string, string[]>[] = consoleOnly ? [{ session: [] }] : [{ sigv4: [] }, { session: [] }];
  const documented = { security, 'x-herald-access': describeAccess(access) };
  route.schema = { ...route.schema, ...documented };
}

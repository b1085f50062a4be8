import { Type } from 'typebox';
import { MAX_ROUTE_ACCOUNTS, ROUTE_MODES } from '../../domain/channel-accounts/channel-route-service.ts';
import { appIdOf } from '../auth/access.ts';
import { pathParam, type AuditSnapshot } from '../audit-hooks.ts';
import type { RouteModule } from '../route-module.ts';
import { NoContent } from '../response-fields.ts';

const ChannelParams = Type.Object({ channel: Type.String({ minLength: 1, maxLength: 32 }) }, { additionalProperties: false });
const RouteBody = Type.Object(
  {
    mode: Type.Enum(ROUTE_MODES, {
      description: 'failover: the first account, then the next on a transient failure or an open circuit; weighted: split by weight (failing over the same way)',
    }),
    accounts: Type.Array(
      Type.Object(
        {
          account: Type.String({ minLength: 1, maxLength: 128, description: 'Channel account id or name' }),
          weight: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Share of sends in weighted mode' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_ROUTE_ACCOUNTS, description: 'In failover order' },
    ),
  },
  { additionalProperties: false },
);

/** What the routes answer a route with (ChannelRouteView); the response schema lists every field, as Fastify's serializer drops the rest. */
const ChannelRouteViewSchema = Type.Object({
  channel: Type.String(),
  mode: Type.Enum(ROUTE_MODES),
  accounts: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      type: Type.String(),
      weight: Type.Integer(),
      circuitOpenUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: "While the account's circuit breaker is open, when it closes" }),
    }),
    { description: 'In failover order' },
  ),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** How the app spreads a channel over several accounts: failover or weighted, with a circuit breaker per account. */
export const registerChannelRouteRoutes: RouteModule = (server, { channelRoutes }) => {
  const before: AuditSnapshot = async (request) => (await channelRoutes.list(appIdOf(request))).find((route) => route.channel === pathParam(request, 'channel')) ?? null;
  server.get('/channel-routes', { config: { access: 'read' }, schema: { tags: ['channel accounts'], summary: "The app's routes over several accounts per channel", response: { 200: Type.Object({ items: Type.Array(ChannelRouteViewSchema) }) } } }, async (request) => ({
    items: await channelRoutes.list(appIdOf(request)),
  }));

  server.put(
    '/channel-routes/:channel',
    { config: { access: 'manage', audit: { before } }, schema: { tags: ['channel accounts'], summary: 'Route a channel over several accounts (failover or weighted)', params: ChannelParams, body: RouteBody, response: { 200: ChannelRouteViewSchema } } },
    async (request) => channelRoutes.put(appIdOf(request), request.params.channel, request.body),
  );

  server.delete(
    '/channel-routes/:channel',
    { config: { access: 'manage', audit: { before } }, schema: { tags: ['channel accounts'], summary: "Remove a channel's route: it sends through its default account again", params: ChannelParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await channelRoutes.delete(appIdOf(request), request.params.channel);
      return reply.status(204).send(null);
    },
  );
};

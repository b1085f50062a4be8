import { Type } from 'typebox';
import { Time } from '../response-fields.ts';
import { WAITING_DELIVERY_STATUSES } from '../../deliveries/delivery-status.ts';
import { appIdOf } from '../auth/access.ts';
import type { RouteModule } from '../route-module.ts';

const DAY_MS = 86_400_000;
// What the routes answer (provider-call-stats.ts, queue-stats.ts); a response schema lists every field, as Fastify's serializer drops the rest.
const ProviderCallStatsSchema = Type.Object({
  from: Time,
  to: Time,
  bucketSeconds: Type.Integer(),
  series: Type.Array(
    Type.Object({
      key: Type.String({ description: 'The channel name, or the channel account id' }),
      succeeded: Type.Integer(),
      failed: Type.Integer(),
      successPercent: Type.Union([Type.Number(), Type.Null()], { description: 'Succeeded ÷ all calls, in percent (one decimal); null without calls' }),
      points: Type.Array(Type.Object({ at: Time, succeeded: Type.Integer(), failed: Type.Integer() })),
    }),
  ),
});
const QueueBacklogSchema = Type.Object({
  depth: Type.Object(Object.fromEntries(WAITING_DELIVERY_STATUSES.map((status) => [status, Type.Integer()])) as Record<(typeof WAITING_DELIVERY_STATUSES)[number], ReturnType<typeof Type.Integer>>, {
    description: 'Waiting deliveries by status, zeros included',
  }),
  oldestDueSeconds: Type.Integer({ description: 'How long the oldest due delivery has been due; 0 when none is' }),
  at: Type.String({ format: 'date-time', description: 'When these figures were read' }),
});

/** Dashboard figures of the calling app. */
export const registerStatsRoutes: RouteModule = (server, { providerCallStats, queueStats, context: { clock } }) => {
  server.get(
    '/stats/provider-calls',
    {
      config: { access: 'read' },
      schema: {
        tags: ['stats'],
        summary: 'Provider calls over time per channel or channel account: sent vs failed (retried, rate limited or failed), with success rates',
        description: 'Read from per-minute counters kept for 31 days. Every series has a point per bucket, zeros included.',
        querystring: Type.Object(
          {
            groupBy: Type.Optional(Type.Union([Type.Literal('channel'), Type.Literal('account')], { description: 'One series per channel (default) or per channel account id' })),
            from: Type.Optional(Type.String({ format: 'date-time', description: 'Default: 24 hours before to' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
            bucketSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 2_678_400, description: 'Whole minutes; default 3600' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ProviderCallStatsSchema },
      },
    },
    async (request) => {
      const { groupBy = 'channel', from, to, bucketSeconds = 3600 } = request.query;
      const toMs = to === undefined ? clock.now() : Date.parse(to);
      const fromMs = from === undefined ? toMs - DAY_MS : Date.parse(from);
      return providerCallStats.series(appIdOf(request), { groupBy, fromMs, toMs, bucketSeconds });
    },
  );

  server.get(
    '/stats/queue',
    {
      config: { access: 'read' },
      schema: {
        tags: ['stats'],
        summary: "The app's backlog: waiting deliveries by status and how long the oldest due one has been due",
        description: 'Cached for 5 seconds per app.',
        response: { 200: QueueBacklogSchema },
      },
    },
    async (request) => queueStats.backlog(appIdOf(request)),
  );
};

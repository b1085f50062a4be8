import { Type } from 'typebox';
import type { Clock } from '../../clock.ts';
import type { StatsRange } from '../../domain/stats/stats-window.ts';
import { AcceptedStatsSchema, LatencyStatsSchema, ProviderCallStatsSchema, QueueBacklogSchema, StatsRangeFields, StatsRangeQuery } from '../stats-schemas.ts';
import { appIdOf } from '../auth/access.ts';
import type { RouteModule } from '../route-module.ts';

const DAY_MS = 86_400_000;
const COUNTERS_KEPT = 'Read from per-minute counters kept for 31 days. Every series has a point per bucket, zeros included.';

/** The range a time series query names, with its defaults: the day up to now, hourly. */
function rangeOf({ from, to, bucketSeconds = 3600 }: { from?: string; to?: string; bucketSeconds?: number }, clock: Clock): StatsRange {
  const toMs = to === undefined ? clock.now() : Date.parse(to);
  return { fromMs: from === undefined ? toMs - DAY_MS : Date.parse(from), toMs, bucketSeconds };
}

/** Dashboard figures of the calling app. */
export const registerStatsRoutes: RouteModule = (server, { providerCallStats, deliveryStats, queueStats, context: { clock } }) => {
  server.get(
    '/stats/provider-calls',
    {
      config: { access: 'read' },
      schema: {
        tags: ['stats'],
        summary: 'Provider calls over time per channel or channel account: sent vs failed (retried, rate limited or failed), with success rates',
        description: COUNTERS_KEPT,
        querystring: Type.Object(
          {
            groupBy: Type.Optional(Type.Union([Type.Literal('channel'), Type.Literal('account')], { description: 'One series per channel (default) or per channel account id' })),
            ...StatsRangeFields,
          },
          { additionalProperties: false },
        ),
        response: { 200: ProviderCallStatsSchema },
      },
    },
    async (request) => providerCallStats.series(appIdOf(request), { groupBy: request.query.groupBy ?? 'channel', ...rangeOf(request.query, clock) }),
  );

  server.get(
    '/stats/accepted',
    {
      config: { access: 'read' },
      schema: {
        tags: ['stats'],
        summary: 'Deliveries accepted over time per channel',
        description: `Counted when a message is accepted (a delivery per receiver and channel, skipped-up-front ones included). ${COUNTERS_KEPT}`,
        querystring: StatsRangeQuery,
        response: { 200: AcceptedStatsSchema },
      },
    },
    async (request) => deliveryStats.accepted(appIdOf(request), rangeOf(request.query, clock)),
  );

  server.get(
    '/stats/latency',
    {
      config: { access: 'read' },
      schema: {
        tags: ['stats'],
        summary: 'Accept-to-sent latency over time per channel: p50, p90 and p99',
        description:
          'Percentiles are estimated from a per-minute histogram of sent deliveries (bucket bounds 50 ms, 100 ms, 250 ms, 500 ms, 1 s, 2.5 s, 5 s, 10 s, 30 s, 1 min, 5 min, 15 min, 1 h): ' +
          'linear within a bucket, and "at least 1 h" (3600000) beyond the last bound. Latency runs from the delivery\'s acceptance, so a scheduled message counts its wait. ' +
          `${COUNTERS_KEPT} Buckets without sends have null percentiles.`,
        querystring: StatsRangeQuery,
        response: { 200: LatencyStatsSchema },
      },
    },
    async (request) => deliveryStats.latency(appIdOf(request), rangeOf(request.query, clock)),
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

import { Type } from 'typebox';
import { WAITING_DELIVERY_STATUSES } from '../deliveries/delivery-status.ts';
import { Time } from './response-fields.ts';

// What the stats routes take and answer (src/domain/stats/); a response schema lists every field, as Fastify's serializer drops the rest.

/** The range and bucket every time series takes; the domain checks what the counters can answer (stats-window.ts). */
export const StatsRangeFields = {
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Default: 24 hours before to' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
  bucketSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 2_678_400, description: 'Whole minutes; default 3600' })),
};
export const StatsRangeQuery = Type.Object(StatsRangeFields, { additionalProperties: false });

const envelope = { from: Time, to: Time, bucketSeconds: Type.Integer() };

export const ProviderCallStatsSchema = Type.Object({
  ...envelope,
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

export const AcceptedStatsSchema = Type.Object({
  ...envelope,
  series: Type.Array(
    Type.Object({
      channel: Type.String(),
      accepted: Type.Integer({ description: 'Deliveries accepted over the range, skipped-up-front ones included' }),
      points: Type.Array(Type.Object({ at: Time, accepted: Type.Integer() })),
    }),
  ),
});

const NullableMs = (description: string) => Type.Union([Type.Integer(), Type.Null()], { description });
const latencyFigures = {
  sent: Type.Integer({ description: 'Deliveries sent' }),
  p50Ms: NullableMs('Median accept-to-sent latency, estimated from the histogram; null without sends'),
  p90Ms: NullableMs('90th percentile, estimated from the histogram; null without sends'),
  p99Ms: NullableMs('99th percentile, estimated from the histogram; null without sends'),
};
export const LatencyStatsSchema = Type.Object({
  ...envelope,
  series: Type.Array(Type.Object({ channel: Type.String(), ...latencyFigures, points: Type.Array(Type.Object({ at: Time, ...latencyFigures })) })),
});

export const QueueBacklogSchema = Type.Object({
  depth: Type.Object(Object.fromEntries(WAITING_DELIVERY_STATUSES.map((status) => [status, Type.Integer()])) as Record<(typeof WAITING_DELIVERY_STATUSES)[number], ReturnType<typeof Type.Integer>>, {
    description: 'Waiting deliveries by status, zeros included',
  }),
  oldestDueSeconds: Type.Integer({ description: 'How long the oldest due delivery has been due; 0 when none is' }),
  at: Type.String({ format: 'date-time', description: 'When these figures were read' }),
});

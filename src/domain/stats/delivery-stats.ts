import type { HeraldContext } from '../../context/herald-context.ts';
import { estimateLatencyPercentile } from '../../deliveries/latency-histogram.ts';
import { entriesByKey, statsWindow, type StatsRange, type StatsWindow } from './stats-window.ts';

export interface AcceptedSeries {
  channel: string;
  accepted: number;
  points: Array<{ at: string; accepted: number }>;
}

/** Accept-to-sent latency percentiles in milliseconds, estimated from the histogram; null without sends. */
export interface LatencyFigures {
  sent: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
}

export interface LatencySeries extends LatencyFigures {
  channel: string;
  points: Array<{ at: string } & LatencyFigures>;
}

type Envelope = ReturnType<StatsWindow['envelope']>;

function latencyFigures(histogram: ReadonlyMap<number, number>): LatencyFigures {
  const sent = [...histogram.values()].reduce((sum, count) => sum + count, 0);
  return { sent, p50Ms: estimateLatencyPercentile(histogram, 50), p90Ms: estimateLatencyPercentile(histogram, 90), p99Ms: estimateLatencyPercentile(histogram, 99) };
}

/**
 * Deliveries accepted per channel over time, and their accept-to-sent latency, read from the
 * per-minute counters the accepts and the workers' sent events feed (counter-buffer.ts): a
 * primary-key range per app, never a scan of deliveries or events. Every series has a point per
 * bucket, zeros (and null percentiles) included.
 */
export function createDeliveryStats({ database: { db } }: HeraldContext) {
  return {
    async accepted(appId: string, range: StatsRange): Promise<Envelope & { series: AcceptedSeries[] }> {
      const window = statsWindow(range);
      const rows = await db
        .selectFrom('accept_counters')
        .select(['channel', 'bucket_start', 'accepted'])
        .where('app_id', '=', appId)
        .where('bucket_start', '>=', window.startMs)
        .where('bucket_start', '<', window.toMs)
        .execute();
      const byChannel = new Map<string, Map<number, number>>();
      for (const row of rows) {
        const buckets = byChannel.get(row.channel) ?? new Map<number, number>();
        const at = window.bucketOf(Number(row.bucket_start));
        buckets.set(at, (buckets.get(at) ?? 0) + Number(row.accepted));
        byChannel.set(row.channel, buckets);
      }
      const series = entriesByKey(byChannel).map(([channel, buckets]): AcceptedSeries => {
        const points = window.starts().map((at) => ({ at: new Date(at).toISOString(), accepted: buckets.get(at) ?? 0 }));
        return { channel, accepted: points.reduce((sum, point) => sum + point.accepted, 0), points };
      });
      return { ...window.envelope(), series };
    },

    async latency(appId: string, range: StatsRange): Promise<Envelope & { series: LatencySeries[] }> {
      const window = statsWindow(range);
      const rows = await db
        .selectFrom('latency_counters')
        .select(['channel', 'bucket_start', 'from_ms', 'sent'])
        .where('app_id', '=', appId)
        .where('bucket_start', '>=', window.startMs)
        .where('bucket_start', '<', window.toMs)
        .execute();
      // Per channel: a histogram per bucket, and one over the whole range (fixed bounds: they add up).
      const byChannel = new Map<string, { whole: Map<number, number>; buckets: Map<number, Map<number, number>> }>();
      const add = (histogram: Map<number, number>, fromMs: number, sent: number) => histogram.set(fromMs, (histogram.get(fromMs) ?? 0) + sent);
      for (const row of rows) {
        const channel = byChannel.get(row.channel) ?? { whole: new Map<number, number>(), buckets: new Map<number, Map<number, number>>() };
        const at = window.bucketOf(Number(row.bucket_start));
        const bucket = channel.buckets.get(at) ?? new Map<number, number>();
        add(bucket, Number(row.from_ms), Number(row.sent));
        add(channel.whole, Number(row.from_ms), Number(row.sent));
        channel.buckets.set(at, bucket);
        byChannel.set(row.channel, channel);
      }
      const empty = new Map<number, number>();
      const series = entriesByKey(byChannel).map(([channel, { whole, buckets }]): LatencySeries => ({
        channel,
        ...latencyFigures(whole),
        points: window.starts().map((at) => ({ at: new Date(at).toISOString(), ...latencyFigures(buckets.get(at) ?? empty) })),
      }));
      return { ...window.envelope(), series };
    },
  };
}

export type DeliveryStats = ReturnType<typeof createDeliveryStats>;

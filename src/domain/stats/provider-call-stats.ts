import type { HeraldContext } from '../../context/herald-context.ts';
import { COUNTER_BUCKET_MS } from '../../deliveries/alarm-rule-kinds.ts';
import { invalid } from '../../errors.ts';

/** The series a dashboard draws: provider calls per channel or per channel account. */
export type ProviderCallGrouping = 'channel' | 'account';

export interface ProviderCallQuery {
  groupBy: ProviderCallGrouping;
  fromMs: number;
  toMs: number;
  /** A whole number of minutes; the counters are kept per minute. */
  bucketSeconds: number;
}

export interface ProviderCallPoint {
  at: string;
  succeeded: number;
  failed: number;
}

export interface ProviderCallSeries {
  /** The channel name, or the channel account id. */
  key: string;
  succeeded: number;
  failed: number;
  /** Succeeded ÷ all calls, in percent (one decimal); null without calls. */
  successPercent: number | null;
  points: ProviderCallPoint[];
}

/** Counters are purged after 31 days (src/dispatch/outcome-counters.ts): older ranges would read as empty. */
export const MAX_STATS_RANGE_MS = 31 * 86_400_000;
/** Points per series at most, so a month per minute cannot be asked for in one answer. */
export const MAX_STATS_POINTS = 1500;

const percent = (succeeded: number, failed: number) => (succeeded + failed === 0 ? null : Math.round((succeeded / (succeeded + failed)) * 1000) / 10);

/** The first subject after every `<prefix>:...` subject: `;` follows `:`, so the range is served by the counters' primary key. */
const subjectRange = (grouping: ProviderCallGrouping): [string, string] => (grouping === 'channel' ? ['channel:', 'channel;'] : ['account:', 'account;']);

/**
 * Provider calls over time (sent vs failed, retried or rate limited), read from the per-minute
 * outcome counters the workers' events feed: a dashboard's volumes and success rates cost a
 * primary-key range per app, never a scan of deliveries.
 */
export function createProviderCallStats({ database: { db } }: HeraldContext) {
  return {
    async series(appId: string, query: ProviderCallQuery): Promise<{ from: string; to: string; bucketSeconds: number; series: ProviderCallSeries[] }> {
      const { fromMs, toMs, bucketSeconds } = query;
      if (fromMs >= toMs) throw invalid('STATS_RANGE_INVALID', 'from: must be earlier than to', { field: 'from' });
      if (toMs - fromMs > MAX_STATS_RANGE_MS) throw invalid('STATS_RANGE_TOO_LONG', 'from: the range may span at most 31 days (older counts are not kept)', { field: 'from' });
      const bucketMs = bucketSeconds * 1000;
      if (bucketMs % COUNTER_BUCKET_MS !== 0) throw invalid('STATS_BUCKET_INVALID', 'bucketSeconds: must be a whole number of minutes (60, 300, 3600 ...)', { field: 'bucketSeconds' });
      const startMs = Math.floor(fromMs / bucketMs) * bucketMs;
      const points = Math.ceil((toMs - startMs) / bucketMs);
      if (points > MAX_STATS_POINTS) {
        throw invalid('STATS_BUCKET_TOO_SMALL', `bucketSeconds: ${bucketSeconds} gives ${points} points over this range, more than ${MAX_STATS_POINTS}; choose a larger bucket`, { field: 'bucketSeconds' });
      }
      const [first, after] = subjectRange(query.groupBy);
      const rows = await db
        .selectFrom('outcome_counters')
        .select(['subject', 'bucket_start', 'succeeded', 'failed'])
        .where('app_id', '=', appId)
        .where('subject', '>=', first)
        .where('subject', '<', after)
        .where('bucket_start', '>=', startMs)
        .where('bucket_start', '<', toMs)
        .execute();
      const bySubject = new Map<string, Map<number, { succeeded: number; failed: number }>>();
      for (const row of rows) {
        const key = row.subject.slice(first.length);
        const buckets = bySubject.get(key) ?? new Map<number, { succeeded: number; failed: number }>();
        const at = startMs + Math.floor((Number(row.bucket_start) - startMs) / bucketMs) * bucketMs;
        const point = buckets.get(at) ?? { succeeded: 0, failed: 0 };
        point.succeeded += Number(row.succeeded);
        point.failed += Number(row.failed);
        buckets.set(at, point);
        bySubject.set(key, buckets);
      }
      const series = [...bySubject.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, buckets]): ProviderCallSeries => {
          const filled = Array.from({ length: points }, (_, index) => {
            const at = startMs + index * bucketMs;
            const point = buckets.get(at) ?? { succeeded: 0, failed: 0 };
            return { at: new Date(at).toISOString(), ...point };
          });
          const succeeded = filled.reduce((sum, point) => sum + point.succeeded, 0);
          const failed = filled.reduce((sum, point) => sum + point.failed, 0);
          return { key, succeeded, failed, successPercent: percent(succeeded, failed), points: filled };
        });
      return { from: new Date(startMs).toISOString(), to: new Date(toMs).toISOString(), bucketSeconds, series };
    },
  };
}

export type ProviderCallStats = ReturnType<typeof createProviderCallStats>;

import type { HeraldContext } from '../../context/herald-context.ts';
import { entriesByKey, statsWindow, type StatsRange, type StatsWindow } from './stats-window.ts';

/** The series a dashboard draws: provider calls per channel or per channel account. */
export type ProviderCallGrouping = 'channel' | 'account';

export interface ProviderCallQuery extends StatsRange {
  groupBy: ProviderCallGrouping;
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
    async series(appId: string, query: ProviderCallQuery): Promise<ReturnType<StatsWindow['envelope']> & { series: ProviderCallSeries[] }> {
      const window = statsWindow(query);
      const [first, after] = subjectRange(query.groupBy);
      const rows = await db
        .selectFrom('outcome_counters')
        .select(['subject', 'bucket_start', 'succeeded', 'failed'])
        .where('app_id', '=', appId)
        .where('subject', '>=', first)
        .where('subject', '<', after)
        .where('bucket_start', '>=', window.startMs)
        .where('bucket_start', '<', window.toMs)
        .execute();
      const bySubject = new Map<string, Map<number, { succeeded: number; failed: number }>>();
      for (const row of rows) {
        const key = row.subject.slice(first.length);
        const buckets = bySubject.get(key) ?? new Map<number, { succeeded: number; failed: number }>();
        const at = window.bucketOf(Number(row.bucket_start));
        const point = buckets.get(at) ?? { succeeded: 0, failed: 0 };
        point.succeeded += Number(row.succeeded);
        point.failed += Number(row.failed);
        buckets.set(at, point);
        bySubject.set(key, buckets);
      }
      const series = entriesByKey(bySubject).map(([key, buckets]): ProviderCallSeries => {
        const filled = window.starts().map((at) => {
          const point = buckets.get(at) ?? { succeeded: 0, failed: 0 };
          return { at: new Date(at).toISOString(), ...point };
        });
        const succeeded = filled.reduce((sum, point) => sum + point.succeeded, 0);
        const failed = filled.reduce((sum, point) => sum + point.failed, 0);
        return { key, succeeded, failed, successPercent: percent(succeeded, failed), points: filled };
      });
      return { ...window.envelope(), series };
    },
  };
}

export type ProviderCallStats = ReturnType<typeof createProviderCallStats>;

import { COUNTER_BUCKET_MS } from '../../deliveries/alarm-rule-kinds.ts';
import { COUNTER_RETENTION_MS } from '../../deliveries/counter-buffer.ts';
import { invalid } from '../../errors.ts';

/** What a stats query asks for: a range, cut into buckets. */
export interface StatsRange {
  fromMs: number;
  toMs: number;
  /** A whole number of minutes; the counters are kept per minute. */
  bucketSeconds: number;
}

/** Counters are purged after 31 days (counter-buffer.ts): older ranges would read as empty. */
export const MAX_STATS_RANGE_MS = COUNTER_RETENTION_MS;
/** Points per series at most, so a month per minute cannot be asked for in one answer. */
export const MAX_STATS_POINTS = 1500;

/** A checked range: buckets aligned to whole multiples of their length, the first one holding `from`. */
export interface StatsWindow {
  startMs: number;
  toMs: number;
  bucketMs: number;
  points: number;
  /** The start of the bucket a counter minute falls in. */
  bucketOf(atMs: number): number;
  /** The start of every bucket, in order. */
  starts(): number[];
  /** The envelope every stats answer has. */
  envelope(): { from: string; to: string; bucketSeconds: number };
}

/** Checks a range against what the counters can answer; refusals name the field to change. */
export function statsWindow({ fromMs, toMs, bucketSeconds }: StatsRange): StatsWindow {
  if (fromMs >= toMs) throw invalid('STATS_RANGE_INVALID', 'from: must be earlier than to', { field: 'from' });
  if (toMs - fromMs > MAX_STATS_RANGE_MS) throw invalid('STATS_RANGE_TOO_LONG', 'from: the range may span at most 31 days (older counts are not kept)', { field: 'from' });
  const bucketMs = bucketSeconds * 1000;
  if (bucketMs % COUNTER_BUCKET_MS !== 0) throw invalid('STATS_BUCKET_INVALID', 'bucketSeconds: must be a whole number of minutes (60, 300, 3600 ...)', { field: 'bucketSeconds' });
  const startMs = Math.floor(fromMs / bucketMs) * bucketMs;
  const points = Math.ceil((toMs - startMs) / bucketMs);
  if (points > MAX_STATS_POINTS) {
    throw invalid('STATS_BUCKET_TOO_SMALL', `bucketSeconds: ${bucketSeconds} gives ${points} points over this range, more than ${MAX_STATS_POINTS}; choose a larger bucket`, { field: 'bucketSeconds' });
  }
  return {
    startMs,
    toMs,
    bucketMs,
    points,
    bucketOf: (atMs) => startMs + Math.floor((atMs - startMs) / bucketMs) * bucketMs,
    starts: () => Array.from({ length: points }, (_, index) => startMs + index * bucketMs),
    envelope: () => ({ from: new Date(startMs).toISOString(), to: new Date(toMs).toISOString(), bucketSeconds }),
  };
}

/** A map's entries in key order: every stats answer lists its series by name. */
export const entriesByKey = <T>(map: ReadonlyMap<string, T>): Array<[string, T]> => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

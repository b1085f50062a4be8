/**
 * Accept-to-sent latency kept as a fixed-boundary histogram (latency_counters): each bucket is named
 * by its lower bound, and holds sends that took from there up to the next bound; the last is open.
 * Fixed bounds make minutes, channels and processes add up by plain sums.
 */
export const LATENCY_BUCKET_FROM_MS = [0, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000] as const;

/** The lower bound of the bucket a latency falls in (negative latencies, from clock skew, count as 0). */
export function latencyBucketFrom(latencyMs: number): number {
  let from = 0;
  for (const bound of LATENCY_BUCKET_FROM_MS) {
    if (latencyMs < bound) break;
    from = bound;
  }
  return from;
}

/**
 * The latency under which `percentile` % of the counted sends fell, estimated from the histogram
 * (sends by bucket lower bound): linear within the bucket the rank lands in, as if its sends were
 * spread evenly; in the open last bucket, its lower bound (the estimate is "at least" that).
 * Whole milliseconds; null without sends.
 */
export function estimateLatencyPercentile(sentByFromMs: ReadonlyMap<number, number>, percentile: number): number | null {
  const total = [...sentByFromMs.values()].reduce((sum, sent) => sum + sent, 0);
  if (total === 0) return null;
  const rank = (percentile / 100) * total;
  let below = 0;
  for (const [index, from] of LATENCY_BUCKET_FROM_MS.entries()) {
    const sent = sentByFromMs.get(from) ?? 0;
    if (sent === 0) continue;
    const upTo = LATENCY_BUCKET_FROM_MS[index + 1];
    if (upTo === undefined) return from;
    if (below + sent >= rank) return Math.round(from + ((rank - below) / sent) * (upTo - from));
    below += sent;
  }
  return LATENCY_BUCKET_FROM_MS.at(-1)!;
}

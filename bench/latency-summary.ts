/**
 * Wall-clock time with sub-millisecond resolution, comparable across processes on one machine
 * (each process's time origin is taken from the same clock). Date.now() would round every
 * latency to whole milliseconds.
 */
export function preciseEpochMs(): number {
  return performance.timeOrigin + performance.now();
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Nearest-rank percentiles of latencies in ms. */
export function summarizeLatencies(valuesMs: readonly number[]): LatencySummary {
  if (valuesMs.length === 0) return { count: 0, p50Ms: NaN, p99Ms: NaN, maxMs: NaN, meanMs: NaN };
  const sorted = Float64Array.from(valuesMs).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return { count: sorted.length, p50Ms: rank(50), p99Ms: rank(99), maxMs: sorted[sorted.length - 1], meanMs: total / sorted.length };
}

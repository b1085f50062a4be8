import type { BenchDialect } from './bench-herald.ts';

/**
 * The targets of performance round 2 (issue 17), per dialect, against which a full run marks its
 * figures met or missed. Throughput targets are ratios to a baseline of the same run, so a busier
 * machine moves both sides; the end-to-end targets are set for 1,000 messages a second.
 */
export interface PerformanceTargets {
  /** Accepted single messages/s ÷ the bare Fastify route. */
  ingestVsBareRoute: number;
  batchReceiversPerSecond: number;
  dispatchVsRawUndici: number;
  dispatchVsBullmq: number;
  /** Accept-to-sink and 202 p99 at 1,000 messages/s. */
  endToEndP99Ms: number;
}

export const PERFORMANCE_TARGETS: Record<BenchDialect, PerformanceTargets> = {
  sqlite: { ingestVsBareRoute: 0.4, batchReceiversPerSecond: 60_000, dispatchVsRawUndici: 0.6, dispatchVsBullmq: 1.5, endToEndP99Ms: 50 },
  postgres: { ingestVsBareRoute: 0.3, batchReceiversPerSecond: 40_000, dispatchVsRawUndici: 0.5, dispatchVsBullmq: 1.3, endToEndP99Ms: 100 },
};

/** Idle RSS of one process running every role, either dialect. */
export const IDLE_RSS_TARGET_MIB = 100;

/** "≥ 40% of the bare route", "≥ 1.5× BullMQ". */
const share = (ratio: number, baseline: string) => (ratio >= 1 ? `${ratio}× ${baseline}` : `${Math.round(ratio * 100)}% of ${baseline}`);

/** A figure's target: at least `ratio` of its baseline. */
export const atLeastRatio = (ratio: number, baseline: string) => ({ text: `≥ ${share(ratio, baseline)}`, met: (actual: number) => actual >= ratio });

/** A figure's target on its own value: below `limit`. */
export const below = (limit: number, unit: string, note = '') => ({ text: `< ${limit.toLocaleString('en-US')} ${unit}${note}`, met: (_ratio: number, value: number) => value < limit });

/** A figure's target on its own value: at least `limit`. */
export const atLeast = (limit: number, unit: string) => ({ text: `≥ ${limit.toLocaleString('en-US')} ${unit}`, met: (_ratio: number, value: number) => value >= limit });

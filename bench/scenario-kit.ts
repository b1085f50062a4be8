import type { BenchDialect } from './bench-herald.ts';
import type { BenchScale } from './bench-scales.ts';

/** What every scenario gets, returns, and how it cleans up after itself. */

export const SCENARIO_NAMES = ['ingest', 'batch-ingest', 'dispatch', 'end-to-end', 'template-render', 'render-abuse', 'inbox', 'api-processes'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Scenarios that need PostgreSQL (several Herald processes on one database); skipped on SQLite. */
export const POSTGRES_ONLY_SCENARIOS: ReadonlySet<ScenarioName> = new Set(['api-processes']);

export interface ScenarioContext {
  dialect: BenchDialect;
  /** A PostgreSQL server to create the benchmark's databases in. */
  postgresAdminUrl?: string;
  scale: BenchScale;
  /** Node flags for Herald's processes (profiling). */
  heraldExecArgv?: string[];
  log(message: string): void;
}

export interface Figure {
  label: string;
  value: number;
  unit: string;
  /** The same quantity measured on the baseline in the same run. */
  baseline?: { label: string; value: number };
  /** value ÷ baseline (for latencies and memory too: below 1 is better there). */
  ratio?: number;
  target?: { text: string; met: boolean };
}

export interface ScenarioResult {
  scenario: ScenarioName | 'memory';
  /** Template rendering touches no database. */
  dialect: BenchDialect | 'none';
  figures: Figure[];
  /** Memory figures, gathered into their own table section by the runner. */
  memory?: Figure[];
  /** The raw measurements behind the figures. */
  details: Record<string, unknown>;
  /** 1-minute load average before and after the scenario: other work on the machine shows here. */
  loadAverage?: { before: number; after: number };
}

export function compared(label: string, value: number, unit: string, baselineLabel: string, baselineValue: number, target?: { text: string; met(ratio: number, value: number): boolean }): Figure {
  // A zero baseline (e.g. a latency below the timer's resolution) has no meaningful ratio.
  const ratio = baselineValue === 0 ? NaN : value / baselineValue;
  return {
    label,
    value,
    unit,
    baseline: { label: baselineLabel, value: baselineValue },
    ratio,
    ...(target ? { target: { text: target.text, met: target.met(ratio, value) } } : {}),
  };
}

export const MEBIBYTE = 1024 * 1024;

/** Runs `body` and then closes everything it registered, in reverse order, even when it throws. */
export async function withCleanup<T>(body: (register: <R extends object>(resource: R, close: (resource: R) => Promise<unknown>) => R) => Promise<T>): Promise<T> {
  const closers: Array<() => Promise<unknown>> = [];
  try {
    return await body((resource, close) => {
      closers.push(() => close(resource));
      return resource;
    });
  } finally {
    const failures: unknown[] = [];
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) console.error('cleanup failed:', ...failures);
  }
}

/** Throws with the server's answers when a load run saw any unexpected response. */
export function expectNoFailures(what: string, result: { failed: number; failureSamples: string[] }): void {
  if (result.failed > 0) throw new Error(`${what}: ${result.failed} requests failed, e.g.\n${result.failureSamples.join('\n')}`);
}

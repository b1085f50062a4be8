import type { BenchReport } from './results-report.ts';
import type { Figure, ScenarioResult } from './scenario-kit.ts';

/** A change smaller than this (either way) is within a shared machine's noise: reported as "same". */
export const NOISE_FRACTION = 0.1;

export type Verdict = 'better' | 'worse' | 'same' | 'new' | 'gone';

export interface FigureChange {
  dialect: ScenarioResult['dialect'];
  scenario: ScenarioResult['scenario'];
  label: string;
  unit: string;
  /** What was compared: the ratio to the same run's baseline when both runs have one (it cancels the machine out), else the value. */
  compared: 'ratio' | 'value';
  before: number | undefined;
  now: number | undefined;
  /** now ÷ before − 1; undefined when either side is missing. */
  change: number | undefined;
  verdict: Verdict;
}

/** Throughputs, counts and gains (×): more is better. Latencies and memory (ms, MiB) and their ratios: less is. */
const higherIsBetter = (unit: string) => unit.endsWith('/s') || unit === 'streams' || unit === '×';

const figuresOf = (report: BenchReport) => {
  const figures = new Map<string, { result: ScenarioResult; figure: Figure }>();
  for (const result of report.results) for (const figure of result.figures) figures.set(`${result.dialect}\u0000${result.scenario}\u0000${figure.label}`, { result, figure });
  return figures;
};

const usable = (value: number | undefined): value is number => value !== undefined && Number.isFinite(value);

/** Every figure of `now` against the same figure of `before` (matched by dialect, scenario and label), and the figures `before` had that `now` lacks. */
export function compareReports(before: BenchReport, now: BenchReport): FigureChange[] {
  const earlier = figuresOf(before);
  const current = figuresOf(now);
  const changes: FigureChange[] = [];
  for (const [key, { result, figure }] of current) {
    const old = earlier.get(key)?.figure;
    const byRatio = usable(figure.ratio) && usable(old?.ratio);
    const nowValue = byRatio ? figure.ratio : figure.value;
    const beforeValue = old === undefined ? undefined : byRatio ? old.ratio : old.value;
    const base = { dialect: result.dialect, scenario: result.scenario, label: figure.label, unit: figure.unit, compared: byRatio ? ('ratio' as const) : ('value' as const) };
    if (!usable(beforeValue) || beforeValue === 0 || !usable(nowValue)) {
      changes.push({ ...base, before: beforeValue, now: nowValue, change: undefined, verdict: 'new' });
      continue;
    }
    const change = nowValue / beforeValue - 1;
    const improved = higherIsBetter(figure.unit) ? change > 0 : change < 0;
    changes.push({ ...base, before: beforeValue, now: nowValue, change, verdict: Math.abs(change) < NOISE_FRACTION ? 'same' : improved ? 'better' : 'worse' });
  }
  for (const [key, { result, figure }] of earlier) {
    if (current.has(key)) continue;
    changes.push({ dialect: result.dialect, scenario: result.scenario, label: figure.label, unit: figure.unit, compared: 'value', before: figure.value, now: undefined, change: undefined, verdict: 'gone' });
  }
  return changes;
}

const number = (value: number | undefined) => (value === undefined ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 }));

/** The comparison as a table, regressions first, with both runs' dates. */
export function formatComparison(before: BenchReport, changes: readonly FigureChange[]): string {
  const order: Verdict[] = ['worse', 'gone', 'better', 'new', 'same'];
  const rows = [...changes]
    .sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict))
    .map((change) => [
      change.verdict.toUpperCase(),
      change.dialect,
      change.scenario,
      change.label,
      change.compared === 'ratio' ? 'ratio to baseline' : change.unit,
      number(change.before),
      number(change.now),
      change.change === undefined ? '' : `${change.change >= 0 ? '+' : ''}${(change.change * 100).toFixed(1)} %`,
    ]);
  const header = ['verdict', 'dialect', 'scenario', 'figure', 'compared', 'before', 'now', 'change'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  const worse = changes.filter((change) => change.verdict === 'worse').length;
  return [
    `Compared with ${before.generatedAt} (${before.scale}); changes within ±${NOISE_FRACTION * 100} % count as the same. ${worse} figure(s) worse.`,
    render(header),
    render(widths.map((width) => '-'.repeat(width))),
    ...rows.map(render),
  ].join('\n');
}

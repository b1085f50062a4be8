import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareReports, formatComparison } from './results-comparison.ts';
import type { BenchReport } from './results-report.ts';
import type { ScenarioResult } from './scenario-kit.ts';

const report = (generatedAt: string, results: ScenarioResult[]): BenchReport => ({
  generatedAt,
  scale: 'full',
  machine: { cpuModel: 'test', cores: 2, memoryGiB: 24, os: 'linux', node: 'v24' },
  results,
  failures: [],
});

const figure = (label: string, value: number, unit: string, baselineValue?: number) => ({
  label,
  value,
  unit,
  ...(baselineValue === undefined ? {} : { baseline: { label: 'base', value: baselineValue }, ratio: value / baselineValue }),
});

test('figures are compared by their ratio to the same run baseline, in the direction that is better for their unit', () => {
  const before = report('2026-11-01T00:00:00.000Z', [
    { scenario: 'ingest', dialect: 'postgres', details: {}, figures: [figure('signed single message', 600, 'messages/s', 5000), figure('p99', 40, 'ms', 10)] },
    { scenario: 'dispatch', dialect: 'postgres', details: {}, figures: [figure('deliveries', 1000, 'deliveries/s', 3000), figure('retired figure', 1, 'ms')] },
  ]);
  const now = report('2026-12-01T00:00:00.000Z', [
    // A busier machine: both Herald and its baseline are slower, the ratio improved (0.12 → 0.15).
    { scenario: 'ingest', dialect: 'postgres', details: {}, figures: [figure('signed single message', 600, 'messages/s', 4000), figure('p99', 60, 'ms', 10)] },
    { scenario: 'dispatch', dialect: 'postgres', details: {}, figures: [figure('deliveries', 1050, 'deliveries/s', 3000), figure('new figure', 5, 'ms')] },
  ]);
  const changes = compareReports(before, now);
  const verdictOf = (label: string) => changes.find((change) => change.label === label)!;
  assert.equal(verdictOf('signed single message').verdict, 'better');
  assert.equal(verdictOf('signed single message').compared, 'ratio');
  assert.ok(Math.abs(verdictOf('signed single message').change! - 0.25) < 1e-9);
  assert.equal(verdictOf('p99').verdict, 'worse', 'a latency ratio that grew is a regression');
  assert.equal(verdictOf('deliveries').verdict, 'same', 'a 5 % change is within the noise');
  assert.equal(verdictOf('new figure').verdict, 'new');
  assert.equal(verdictOf('retired figure').verdict, 'gone');

  const text = formatComparison(before, changes);
  assert.match(text, /1 figure\(s\) worse/);
  assert.match(text.split('\n')[3]!, /^WORSE\s+postgres\s+ingest\s+p99\s+ratio to baseline\s+4\s+6\s+\+50\.0 %$/, 'regressions come first');
});

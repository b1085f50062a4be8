import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runApiProcessesScenario } from './api-processes-scenario.ts';
import { runBatchIngestScenario } from './batch-ingest-scenario.ts';
import type { BenchDialect } from './bench-herald.ts';
import { BENCH_SCALES, type BenchScale } from './bench-scales.ts';
import { runDispatchScenario } from './dispatch-scenario.ts';
import { runEndToEndScenario } from './end-to-end-scenario.ts';
import { runInboxScenario } from './inbox-scenario.ts';
import { runIngestScenario } from './ingest-scenario.ts';
import { runRenderAbuseScenario } from './render-abuse-scenario.ts';
import { compareReports, formatComparison } from './results-comparison.ts';
import { describeMachine, formatReport, writeReport, type BenchReport, type ScenarioFailure } from './results-report.ts';
import { POSTGRES_ONLY_SCENARIOS, SCENARIO_NAMES, type ScenarioContext, type ScenarioName, type ScenarioResult } from './scenario-kit.ts';
import { runTemplateRenderScenario } from './template-render-scenario.ts';

export const SCENARIOS: Record<ScenarioName, (context: ScenarioContext) => Promise<ScenarioResult>> = {
  ingest: runIngestScenario,
  'batch-ingest': runBatchIngestScenario,
  dispatch: runDispatchScenario,
  'end-to-end': runEndToEndScenario,
  'template-render': runTemplateRenderScenario,
  'render-abuse': runRenderAbuseScenario,
  inbox: runInboxScenario,
  'api-processes': runApiProcessesScenario,
};

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

const USAGE = `Usage: npm run bench -- [options]

  --scale tiny|full              sizes (default full; BENCH_SCALE)
  --dialect sqlite|postgres|both (default both when a PostgreSQL URL is set, else sqlite; BENCH_DIALECT)
  --scenario NAME[,NAME]         ${SCENARIO_NAMES.join(', ')} (default all; BENCH_SCENARIOS)
  --workers N                    Herald worker processes in the dispatch scenario (default 1)
  --rate N                       messages/s of the end-to-end scenario (default 500)
  --out FILE                     results file (default bench/results.json)
  --compare FILE                 print each figure's change against an earlier results file
                                 (e.g. bench/baseline.json): ratios to the same run's baselines where
                                 both runs have them, so a slower or busier machine cancels out
  --cpu-prof                     profile Herald's processes into bench/profiles/

PostgreSQL: HERALD_BENCH_POSTGRES_URL (or HERALD_TEST_POSTGRES_URL) names a server; every
scenario creates a fresh database there and drops it afterwards. The BullMQ baselines need
Redis on 127.0.0.1:6379.`;

export interface BenchRunOptions {
  scale: BenchScale;
  dialects: BenchDialect[];
  scenarios: ScenarioName[];
  postgresAdminUrl?: string;
  heraldExecArgv?: string[];
  log(message: string): void;
}

/** Runs the scenarios on each dialect (template rendering once, it uses no database). */
export async function runBenchmarks(options: BenchRunOptions): Promise<BenchReport> {
  const results: ScenarioResult[] = [];
  const failures: ScenarioFailure[] = [];
  const run = async (scenario: ScenarioName, dialect: BenchDialect) => {
    const started = performance.now();
    const loadBefore = os.loadavg()[0];
    try {
      const result = await SCENARIOS[scenario]({ dialect, postgresAdminUrl: options.postgresAdminUrl, scale: options.scale, heraldExecArgv: options.heraldExecArgv, log: options.log });
      results.push({ ...result, loadAverage: { before: loadBefore, after: os.loadavg()[0] } });
    } catch (error) {
      options.log(`${scenario} on ${dialect} failed: ${error instanceof Error ? error.stack : error}`);
      failures.push({ scenario, dialect, error: error instanceof Error ? error.message : String(error) });
    }
    options.log(`${scenario} on ${dialect} took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };
  for (const dialect of options.dialects) {
    for (const scenario of options.scenarios) {
      if (scenario === 'template-render') continue;
      if (dialect === 'sqlite' && POSTGRES_ONLY_SCENARIOS.has(scenario)) {
        options.log(`${scenario}: PostgreSQL only, not run on sqlite`);
        continue;
      }
      await run(scenario, dialect);
    }
    const memory = results.filter((result) => result.dialect === dialect).flatMap((result) => result.memory ?? []);
    if (memory.length > 0) results.push({ scenario: 'memory', dialect, figures: memory, details: {} });
  }
  if (options.scenarios.includes('template-render')) await run('template-render', options.dialects[0]);
  return {
    generatedAt: new Date().toISOString(),
    scale: options.scale.name,
    machine: await describeMachine(options.dialects.includes('postgres') ? options.postgresAdminUrl : undefined),
    results,
    failures,
  };
}

function parseCommandLine(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      scale: { type: 'string', default: process.env.BENCH_SCALE ?? 'full' },
      dialect: { type: 'string', default: process.env.BENCH_DIALECT },
      scenario: { type: 'string', default: process.env.BENCH_SCENARIOS ?? SCENARIO_NAMES.join(',') },
      workers: { type: 'string' },
      rate: { type: 'string' },
      out: { type: 'string', default: path.join(BENCH_DIR, 'results.json') },
      compare: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const postgresAdminUrl = process.env.HERALD_BENCH_POSTGRES_URL || process.env.HERALD_TEST_POSTGRES_URL || undefined;
  const baseScale = BENCH_SCALES[values.scale as BenchScale['name']];
  if (!baseScale) throw new Error(`--scale must be tiny or full, got "${values.scale}"`);
  const wholeNumber = (option: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!(Number.isInteger(value) && value >= 1)) throw new Error(`--${option} must be a whole number ≥ 1, got "${text}"`);
    return value;
  };
  const workers = wholeNumber('workers', values.workers);
  const rate = wholeNumber('rate', values.rate);
  const scale: BenchScale = {
    ...baseScale,
    dispatch: { ...baseScale.dispatch, workerProcesses: workers ?? baseScale.dispatch.workerProcesses },
    endToEnd: { ...baseScale.endToEnd, ratePerSecond: rate ?? baseScale.endToEnd.ratePerSecond },
  };
  const dialect = values.dialect ?? (postgresAdminUrl ? 'both' : 'sqlite');
  const dialects: BenchDialect[] = dialect === 'both' ? ['sqlite', 'postgres'] : dialect === 'sqlite' || dialect === 'postgres' ? [dialect] : [];
  if (dialects.length === 0) throw new Error(`--dialect must be sqlite, postgres or both, got "${dialect}"`);
  if (dialects.includes('postgres') && !postgresAdminUrl) throw new Error('PostgreSQL benchmarks need HERALD_BENCH_POSTGRES_URL (or HERALD_TEST_POSTGRES_URL), e.g. postgres://postgres@127.0.0.1:5432/postgres');
  const scenarios = values.scenario.split(',').map((name) => name.trim()) as ScenarioName[];
  const unknown = scenarios.filter((name) => !SCENARIO_NAMES.includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; use ${SCENARIO_NAMES.join(', ')}`);
  const heraldExecArgv = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.join(BENCH_DIR, 'profiles')}`] : undefined;
  const compareWith = values.compare === undefined ? undefined : (JSON.parse(fs.readFileSync(values.compare, 'utf8')) as BenchReport);
  return { options: { scale, dialects, scenarios, postgresAdminUrl, heraldExecArgv }, out: values.out, compareWith };
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    return 2;
  }
  if (!parsed) {
    console.log(USAGE);
    return 0;
  }
  const report = await runBenchmarks({ ...parsed.options, log: (message) => console.error(`[bench] ${message}`) });
  console.log(formatReport(report));
  if (parsed.compareWith) console.log(`\n${formatComparison(parsed.compareWith, compareReports(parsed.compareWith, report))}`);
  writeReport(parsed.out, report);
  console.log(`\nResults written to ${path.relative(process.cwd(), parsed.out)}`);
  return report.failures.length > 0 ? 1 : 0;
}

if (import.meta.main) process.exitCode = await main();

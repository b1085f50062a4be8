import { startBareRouteServer } from './bare-route-server.ts';
import { singleSendBody } from './bench-content.ts';
import { createBenchHerald, type BenchHerald, type HeraldProcess } from './bench-herald.ts';
import { createBenchQueue, startBullmqWorkers } from './bullmq-baseline.ts';
import type { BenchProcess } from './child-process.ts';
import { startHttpSink, type HttpSink } from './http-sink.ts';
import { summarizeLatencies, type LatencySummary } from './latency-summary.ts';
import { startLoadGenerator, type LoadGenerator, type LoadResult } from './load-generator.ts';
import { compared, expectNoFailures, MEBIBYTE, withCleanup, type ScenarioContext, type ScenarioResult } from './scenario-kit.ts';
import { below, IDLE_RSS_TARGET_MIB, PERFORMANCE_TARGETS } from './performance-targets.ts';
import type { BenchCredentials } from './signed-requests.ts';

const BASELINE_WORKER_CONCURRENCY = 64;

export interface PipelineLatency {
  load: LoadResult;
  /** From the 202 answer to the arrival at the sink. */
  acceptToSink: LatencySummary;
  /** From when the request was due to be sent to the arrival at the sink (includes ingest). */
  requestToSink: LatencySummary;
  peakRssBytes: number;
}

/**
 * Scenario 4: a steady rate of signed single-message sends for a while, into Herald running
 * every role in one process (the default deployment); each message is timed from its 202 to
 * its arrival at the sink. Baseline: the same load through a bare Fastify route adding BullMQ
 * jobs, with a BullMQ worker process posting to the sink.
 */
export async function runEndToEndScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const scale = context.scale.endToEnd;
  return withCleanup(async (register) => {
    const [sink, load, { herald, all }] = await Promise.all([
      startHttpSink().then((s) => register(s, (r) => r.stop())),
      startLoadGenerator().then((g) => register(g, (r) => r.stop())),
      createBenchHerald({ dialect: context.dialect, postgresAdminUrl: context.postgresAdminUrl, execArgv: context.heraldExecArgv }).then(async (h) => {
        register(h, (r) => r.close());
        return { herald: h, all: await h.start() };
      }),
    ]);
    const measure: Measure = (origin, credentials, processes) => measurePipeline(context, { sink, load, origin, credentials, processes });
    const heraldRun = await measureHerald(context, herald, all, sink, measure);
    // The baseline gets the machine to itself.
    await herald.close();
    const bullmqRun = await measureBullmqPipeline(context, sink, measure);

    const p99Target = below(PERFORMANCE_TARGETS[context.dialect].endToEndP99Ms, 'ms', ' (set for 1,000/s)');
    return {
      scenario: 'end-to-end',
      dialect: context.dialect,
      figures: [
        compared('accept-to-sink p50', heraldRun.acceptToSink.p50Ms, 'ms', 'BullMQ pipeline', bullmqRun.acceptToSink.p50Ms),
        compared('accept-to-sink p99', heraldRun.acceptToSink.p99Ms, 'ms', 'BullMQ pipeline', bullmqRun.acceptToSink.p99Ms, p99Target),
        compared('request-to-sink p99', heraldRun.requestToSink.p99Ms, 'ms', 'BullMQ pipeline', bullmqRun.requestToSink.p99Ms),
        compared('accept (202) latency p99', heraldRun.load.latency.p99Ms, 'ms', 'BullMQ pipeline', bullmqRun.load.latency.p99Ms, p99Target),
      ],
      memory: [
        compared('RSS idle, all roles', heraldRun.idleRssBytes / MEBIBYTE, 'MiB', 'BullMQ route + worker idle', bullmqRun.idleRssBytes / MEBIBYTE, below(IDLE_RSS_TARGET_MIB, 'MiB')),
        compared('RSS peak, all roles at steady load', heraldRun.peakRssBytes / MEBIBYTE, 'MiB', 'BullMQ route + worker peak', bullmqRun.peakRssBytes / MEBIBYTE),
      ],
      details: { ...scale, herald: heraldRun, bullmqPipeline: bullmqRun },
    };
  });
}

type Measure = (origin: string, credentials: BenchCredentials, processes: BenchProcess[]) => Promise<PipelineLatency>;

/** Herald with every role in one process: its idle memory, then the load. */
async function measureHerald(context: ScenarioContext, herald: BenchHerald, all: HeraldProcess, sink: HttpSink, measure: Measure) {
  const scale = context.scale.endToEnd;
  await herald.createSinkAccount(all, sink.url);
  await settle(scale.idleSettleMs);
  const idleRssBytes = all.memory().rssBytes;
  context.log(`end-to-end: Herald, all roles in one process (${context.dialect}), ${scale.ratePerSecond}/s for ${scale.durationSeconds} s`);
  const latency = await measure(all.origin!, herald.credentials, [all]);
  await herald.waitForSent(latency.load.succeededIncludingWarmup, scale.timeoutMs);
  const statuses = await herald.deliveryStatusCounts();
  return { ...latency, idleRssBytes, statuses };
}

/** A bare Fastify route adding BullMQ jobs, and a BullMQ worker process posting them to the sink. */
async function measureBullmqPipeline(context: ScenarioContext, sink: HttpSink, measure: Measure) {
  const scale = context.scale.endToEnd;
  return withCleanup(async (register) => {
    const queue = register(createBenchQueue(), async (q) => {
      await q.obliterate({ force: true });
      await q.close();
    });
    const [front, workers] = await Promise.all([
      startBareRouteServer({ enqueueTo: queue.name }).then((f) => register(f, (r) => r.stop())),
      startBullmqWorkers(queue.name, sink.url, { processes: 1, concurrency: BASELINE_WORKER_CONCURRENCY }).then((w) => register(w, (r) => r.stop())),
    ]);
    await settle(scale.idleSettleMs);
    const idleRssBytes = front.process.memory().rssBytes + workers.processes[0].memory().rssBytes;
    context.log(`end-to-end: BullMQ pipeline, ${scale.ratePerSecond}/s for ${scale.durationSeconds} s`);
    // The bare route does not check signatures; the client signs anyway so it does the same work.
    const latency = await measure(front.origin, { accessKeyId: 'AKBASELINE', secretAccessKey: 'baseline' }, [front.process, ...workers.processes]);
    return { ...latency, idleRssBytes };
  });
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Warm-up (not measured), then the measured run; every accepted message must reach the sink exactly once. */
async function measurePipeline(
  context: ScenarioContext,
  target: { sink: HttpSink; load: LoadGenerator; origin: string; credentials: BenchCredentials; processes: BenchProcess[] },
): Promise<PipelineLatency> {
  const { ratePerSecond, durationSeconds, warmupSeconds, timeoutMs } = context.scale.endToEnd;
  const { sink, load } = target;
  let acceptedIncludingWarmup = 0;
  const run = async (seconds: number) => {
    await sink.reset({ recordArrivals: true });
    const result = await load.openLoop({
      origin: target.origin,
      request: { method: 'POST', path: '/v1/messages', body: singleSendBody(), credentials: target.credentials },
      ratePerSecond,
      durationSeconds: seconds,
      maxInFlight: 64,
      expectStatus: 202,
    });
    expectNoFailures(`end-to-end load on ${target.origin}`, result);
    acceptedIncludingWarmup += result.succeeded;
    const stats = await Promise.race([sink.waitForDeliveries(result.succeeded, timeoutMs), ...target.processes.map((p) => p.unexpectedExit)]);
    if (stats.duplicates > 0 || stats.requests !== result.succeeded) throw new Error(`${result.succeeded} accepted, the sink got ${JSON.stringify(stats)}`);
    return result;
  };
  if (warmupSeconds > 0) await run(warmupSeconds);
  const result = await run(durationSeconds);
  const acceptedAtMs = result.acceptedAtMs!;
  const arrivals = await sink.arrivals();
  if (arrivals.length !== result.succeeded) throw new Error(`the sink timed ${arrivals.length} of ${result.succeeded} messages`);
  return {
    load: { ...result, succeededIncludingWarmup: acceptedIncludingWarmup, acceptedAtMs: undefined },
    acceptToSink: summarizeLatencies(arrivals.map(([n, , arrivedAtMs]) => arrivedAtMs - acceptedAtMs[n - 1]!)),
    requestToSink: summarizeLatencies(arrivals.map(([, sentAtMs, arrivedAtMs]) => arrivedAtMs - sentAtMs)),
    peakRssBytes: target.processes.reduce((sum, p) => sum + p.memory().peakRssBytes, 0),
  };
}

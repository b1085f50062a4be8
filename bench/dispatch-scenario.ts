import { batchSendBody } from './bench-content.ts';
import { createBenchHerald, type BenchHerald } from './bench-herald.ts';
import { runBullmqDispatchBaseline } from './bullmq-baseline.ts';
import { startHttpSink, type HttpSink } from './http-sink.ts';
import { compared, MEBIBYTE, withCleanup, type ScenarioContext, type ScenarioResult } from './scenario-kit.ts';
import { atLeastRatio, PERFORMANCE_TARGETS } from './performance-targets.ts';
import { runUndiciBaseline } from './undici-baseline.ts';

const SEED_REQUESTS_IN_FLIGHT = 2;

/**
 * Scenario 3: a backlog of webhook deliveries to the local sink, sent by worker processes
 * started once it is queued. Timed from the first arrival at the sink until the database says
 * every delivery is `sent`. The backlog goes in through the product's own batch API (one
 * delivery per `{ to: { channelAccount } }` receiver) while no worker runs.
 *
 * Baselines, posting the same bodies to the same sink with as many sends in flight:
 * (a) a bare undici client; (b) a BullMQ queue on the local Redis with worker processes.
 */
export async function runDispatchScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { deliveries, receiversPerBatch, workerProcesses, workerConcurrency, timeoutMs } = context.scale.dispatch;
  if (deliveries % receiversPerBatch !== 0) throw new Error('dispatch: deliveries must be a multiple of receiversPerBatch');
  return withCleanup(async (register) => {
    const [sink, herald] = await Promise.all([
      startHttpSink().then((s) => register(s, (r) => r.stop())),
      createBenchHerald({
        dialect: context.dialect,
        postgresAdminUrl: context.postgresAdminUrl,
        execArgv: context.heraldExecArgv,
        env: { HERALD_WORKER_CONCURRENCY: String(workerConcurrency) },
      }).then((h) => register(h, (r) => r.close())),
    ]);
    const heraldRun = await sendBacklogWithHerald(context, herald, sink);
    // The baselines get the machine to themselves.
    await herald.close();

    context.log(`dispatch: raw undici baseline, ${workerProcesses * workerConcurrency} requests in flight`);
    await sink.reset();
    const undici = await runUndiciBaseline({ url: sink.url, count: deliveries, concurrency: workerProcesses * workerConcurrency });
    const undiciSink = await sink.stats();
    if (undici.failed > 0 || undiciSink.uniqueDeliveries !== deliveries) throw new Error(`raw undici baseline: ${undici.failed} failed, the sink got ${undiciSink.uniqueDeliveries}`);
    const undiciPerSecond = deliveries / ((undici.finishedAtMs - undiciSink.firstArrivalMs!) / 1000);

    context.log(`dispatch: BullMQ baseline, ${workerProcesses} worker process(es), concurrency ${workerConcurrency}`);
    const bullmq = await runBullmqDispatchBaseline({ sink, count: deliveries, workerProcesses, concurrency: workerConcurrency, timeoutMs });

    const targets = PERFORMANCE_TARGETS[context.dialect];
    return {
      scenario: 'dispatch',
      dialect: context.dialect,
      figures: [
        compared('deliveries/s', heraldRun.deliveriesPerSecond, '/s', 'raw undici', undiciPerSecond, atLeastRatio(targets.dispatchVsRawUndici, 'raw undici')),
        compared('deliveries/s', heraldRun.deliveriesPerSecond, '/s', 'BullMQ + Redis', bullmq.deliveriesPerSecond, atLeastRatio(targets.dispatchVsBullmq, 'BullMQ')),
      ],
      memory: [compared('RSS peak, worker during dispatch', heraldRun.workerPeakRssBytes / MEBIBYTE, 'MiB', 'BullMQ worker peak', bullmq.workerPeakRssBytes / MEBIBYTE)],
      details: {
        deliveries,
        receiversPerBatch,
        workerProcesses,
        workerConcurrency,
        herald: heraldRun,
        rawUndici: { ...undici, deliveriesPerSecond: undiciPerSecond, sink: undiciSink },
        bullmq,
      },
    };
  });
}

/** Seeds the backlog with only the api role running, then starts the worker processes and times them. */
async function sendBacklogWithHerald(context: ScenarioContext, herald: BenchHerald, sink: HttpSink) {
  const { deliveries, receiversPerBatch, workerProcesses, workerConcurrency, timeoutMs } = context.scale.dispatch;
  const api = await herald.start(['api']);
  await herald.createSinkAccount(api, sink.url);

  context.log(`dispatch: seeding ${deliveries} deliveries through the batch API (${context.dialect})`);
  const seedStarted = performance.now();
  const body = batchSendBody(receiversPerBatch, { perReceiverData: false });
  let nextBatch = 0;
  const seeder = async () => {
    while (nextBatch < deliveries / receiversPerBatch) {
      // A different body per request: Herald accepts each signature once.
      const answer = await herald.call(api, 'POST', '/v1/messages/batch', { ...body, metadata: { batch: String(nextBatch++) } });
      if (answer.status !== 202) throw new Error(`seeding the backlog failed: ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`);
    }
  };
  await Promise.all(Array.from({ length: SEED_REQUESTS_IN_FLIGHT }, seeder));
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const queued = (await herald.deliveryStatusCounts()).queued ?? 0;
  if (queued !== deliveries) throw new Error(`the backlog has ${queued} queued deliveries, expected ${deliveries}`);

  context.log(`dispatch: ${workerProcesses} Herald worker process(es), ${workerConcurrency} sends in flight each`);
  await sink.reset();
  const workers = await Promise.all(Array.from({ length: workerProcesses }, () => herald.start(['worker'])));
  const arrived = await Promise.race([sink.waitForDeliveries(deliveries, timeoutMs), ...workers.map((worker) => worker.unexpectedExit)]);
  const allSentAtMs = await herald.waitForSent(deliveries, timeoutMs);
  const statuses = await herald.deliveryStatusCounts();
  const sinkStats = await sink.stats();
  return {
    seedSeconds,
    seededDeliveriesPerSecond: deliveries / seedSeconds,
    firstArrivalMs: arrived.firstArrivalMs!,
    allSentAtMs,
    deliveriesPerSecond: deliveries / ((allSentAtMs - arrived.firstArrivalMs!) / 1000),
    statuses,
    sink: sinkStats,
    workerPeakRssBytes: Math.max(...workers.map((worker) => worker.memory().peakRssBytes)),
    apiPeakRssBytes: api.memory().peakRssBytes,
  };
}

import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Agent, request } from 'undici';
import { webhookPayload } from './bench-content.ts';
import { forkBenchChild, serveParent, type IpcProcess } from './child-process.ts';
import { DELIVERY_ID_HEADER, type HttpSink } from './http-sink.ts';

/**
 * Dispatch baseline (b), what a team would build instead of Herald: a BullMQ queue on the
 * local Redis and worker processes posting each job's body to the sink. Each run uses its
 * own queue name and removes only that queue's keys afterwards.
 */

export const REDIS_CONNECTION = { host: '127.0.0.1', port: 6379 };
const JOBS_PER_BULK_ADD = 1000;
const POLL_INTERVAL_MS = 20;

/** A job as the BullMQ pipeline carries it: the webhook body, ready to post. */
export interface SinkJob {
  deliveryId: string;
  body: string;
}

/** Retries like a notification pipeline would have them; the sink never fails, so they cost nothing here. */
export const SINK_JOB_OPTIONS = { attempts: 8, backoff: { type: 'exponential', delay: 2000 } };

export function createBenchQueue(): Queue<SinkJob> {
  return new Queue<SinkJob>(`herald-bench-${randomBytes(4).toString('hex')}`, { connection: REDIS_CONNECTION });
}

export interface BullmqWorkers {
  readonly processes: IpcProcess[];
  peakRssBytes(): number;
  stop(): Promise<void>;
}

/** Worker processes for `queueName`, each with `concurrency` jobs in flight. */
export async function startBullmqWorkers(queueName: string, sinkUrl: string, options: { processes: number; concurrency: number }): Promise<BullmqWorkers> {
  const processes = await Promise.all(Array.from({ length: options.processes }, (_, index) => forkBenchChild(`bullmq-worker-${index}`, new URL(import.meta.url))));
  await Promise.all(processes.map((child) => child.call('start', { queueName, sinkUrl, concurrency: options.concurrency })));
  return {
    processes,
    peakRssBytes: () => Math.max(...processes.map((child) => child.memory().peakRssBytes)),
    async stop() {
      await Promise.all(processes.map((child) => child.call('close')));
      await Promise.all(processes.map((child) => child.stop()));
    },
  };
}

/** Polls until the queue has `count` completed jobs; answers when that was seen (epoch ms). */
export async function waitForCompleted(queue: Queue<SinkJob>, count: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { completed = 0, failed = 0 } = await queue.getJobCounts('completed', 'failed');
    if (failed > 0) throw new Error(`${failed} BullMQ jobs failed`);
    if (completed >= count) return Date.now();
    if (Date.now() > deadline) throw new Error(`${completed} of ${count} BullMQ jobs completed after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

export interface BullmqDispatchResult {
  deliveries: number;
  seedSeconds: number;
  firstArrivalMs: number;
  allCompletedAtMs: number;
  deliveriesPerSecond: number;
  duplicates: number;
  workerPeakRssBytes: number;
}

/** A backlog of `count` jobs, then workers started; timed from the first arrival at the sink until all jobs are completed. */
export async function runBullmqDispatchBaseline(options: { sink: HttpSink; count: number; workerProcesses: number; concurrency: number; timeoutMs: number }): Promise<BullmqDispatchResult> {
  const queue = createBenchQueue();
  let workers: BullmqWorkers | undefined;
  try {
    const seedStarted = performance.now();
    for (let start = 0; start < options.count; start += JOBS_PER_BULK_ADD) {
      const jobs = Array.from({ length: Math.min(JOBS_PER_BULK_ADD, options.count - start) }, (_, offset) => ({
        name: 'deliver',
        data: webhookPayload(start + offset),
        opts: SINK_JOB_OPTIONS,
      }));
      await queue.addBulk(jobs);
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    await options.sink.reset();
    workers = await startBullmqWorkers(queue.name, options.sink.url, { processes: options.workerProcesses, concurrency: options.concurrency });
    const arrived = await Promise.race([options.sink.waitForDeliveries(options.count, options.timeoutMs), ...workers.processes.map((child) => child.unexpectedExit)]);
    const allCompletedAtMs = await waitForCompleted(queue, options.count, options.timeoutMs);
    const firstArrivalMs = arrived.firstArrivalMs!;
    const stats = await options.sink.stats();
    return {
      deliveries: options.count,
      seedSeconds,
      firstArrivalMs,
      allCompletedAtMs,
      deliveriesPerSecond: options.count / ((allCompletedAtMs - firstArrivalMs) / 1000),
      duplicates: stats.duplicates,
      workerPeakRssBytes: workers.peakRssBytes(),
    };
  } finally {
    await workers?.stop();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** The worker process: posts each job's body to the sink, failing the job on a non-2xx answer. */
function runWorkerProcess(): void {
  let worker: Worker<SinkJob> | undefined;
  const dispatcher = new Agent();
  serveParent({
    async start({ queueName, sinkUrl, concurrency }: { queueName: string; sinkUrl: string; concurrency: number }) {
      worker = new Worker<SinkJob>(
        queueName,
        async (job) => {
          const response = await request(sinkUrl, {
            method: 'POST',
            dispatcher,
            headers: { 'content-type': 'application/json', [DELIVERY_ID_HEADER]: job.data.deliveryId },
            body: job.data.body,
          });
          await response.body.text();
          if (response.statusCode >= 300) throw new Error(`the sink answered ${response.statusCode}`);
        },
        { connection: { ...REDIS_CONNECTION, maxRetriesPerRequest: null }, concurrency },
      );
      await worker.waitUntilReady();
    },
    async close() {
      await worker?.close();
      await dispatcher.close();
    },
  });
}

if (import.meta.main) runWorkerProcess();

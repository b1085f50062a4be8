import { Pool } from 'undici';
import { forkBenchChild, serveParent, type IpcProcess } from './child-process.ts';
import { preciseEpochMs, summarizeLatencies, type LatencySummary } from './latency-summary.ts';
import { createRequestFactory, type BuiltRequest, type RequestTemplate } from './signed-requests.ts';

/**
 * The load generator, in its own process, on undici. Closed loop: a fixed number of
 * connections, each sending its next request when the last one is answered — for
 * throughput. Open loop: requests at a steady rate whatever the answers do, each timed from
 * when it was due, so a stall shows in the latency instead of lowering the rate.
 *
 * Not autocannon: rebuilding and signing every request in its `setupRequest` hook capped it
 * at about 3,400 requests/s on the 2-core benchmark machine against a server that does
 * nothing, while this client signs and sends about 7,300/s there.
 */

export interface ClosedLoopJob {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  request: RequestTemplate;
  connections: number;
  durationSeconds: number;
  /** Load sent first and not measured (JIT, caches, connection set-up). */
  warmupSeconds: number;
  expectStatus: number;
}

export interface OpenLoopJob {
  origin: string;
  request: RequestTemplate;
  ratePerSecond: number;
  durationSeconds: number;
  /** Requests in flight at most; beyond that they wait in the client (and their latency grows). */
  maxInFlight: number;
  expectStatus: number;
}

export interface LoadResult {
  /** Answered with the expected status during the measured run. */
  succeeded: number;
  /** Any other status, a network error or a timeout. */
  failed: number;
  /** Also counting warm-up: how many requests the server should have acted on. */
  succeededIncludingWarmup: number;
  durationSeconds: number;
  succeededPerSecond: number;
  latency: LatencySummary;
  /** The first few unexpected answers, to say what went wrong. */
  failureSamples: string[];
  /** Open loop: when request number n (`metadata.n`) was answered with the expected status, epoch ms, at index n - 1. */
  acceptedAtMs?: Array<number | null>;
}

export interface LoadGenerator {
  readonly process: IpcProcess;
  closedLoop(job: ClosedLoopJob): Promise<LoadResult>;
  openLoop(job: OpenLoopJob): Promise<LoadResult>;
  stop(): Promise<void>;
}

export async function startLoadGenerator(): Promise<LoadGenerator> {
  const child = await forkBenchChild('load-generator', new URL(import.meta.url));
  return {
    process: child,
    closedLoop: (job) => child.call('closedLoop', job),
    openLoop: (job) => child.call('openLoop', job),
    stop: () => child.stop(),
  };
}

const MAX_FAILURE_SAMPLES = 5;

/** Sends one request; answers whether it got the expected status, keeping a few samples of what went wrong. */
async function sendOne(pool: Pool, method: string, built: BuiltRequest, expectStatus: number, failureSamples: string[]): Promise<boolean> {
  try {
    const response = await pool.request({ method, path: built.path, headers: built.headers, body: built.body });
    const text = await response.body.text();
    if (response.statusCode === expectStatus) return true;
    if (failureSamples.length < MAX_FAILURE_SAMPLES) failureSamples.push(`${response.statusCode} ${text.slice(0, 300)}`);
  } catch (error) {
    if (failureSamples.length < MAX_FAILURE_SAMPLES) failureSamples.push(String(error));
  }
  return false;
}

async function closedLoop(job: ClosedLoopJob): Promise<LoadResult> {
  const nextRequest = createRequestFactory(job.request, new URL(job.origin).host);
  const pool = new Pool(job.origin, { connections: job.connections, pipelining: 1 });
  const failureSamples: string[] = [];
  const run = async (durationSeconds: number) => {
    const latencies: number[] = [];
    let succeeded = 0;
    let failed = 0;
    const startedAt = performance.now();
    const deadline = startedAt + durationSeconds * 1000;
    const connection = async () => {
      while (performance.now() < deadline) {
        const built = nextRequest(Date.now());
        const sentAt = performance.now();
        const ok = await sendOne(pool, job.request.method, built, job.expectStatus, failureSamples);
        latencies.push(performance.now() - sentAt);
        if (ok) succeeded++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: job.connections }, connection));
    return { succeeded, failed, latencies, durationSeconds: (performance.now() - startedAt) / 1000 };
  };
  const warmup = job.warmupSeconds > 0 ? await run(job.warmupSeconds) : undefined;
  const measured = await run(job.durationSeconds);
  await pool.close();
  return {
    succeeded: measured.succeeded,
    failed: measured.failed,
    succeededIncludingWarmup: measured.succeeded + (warmup?.succeeded ?? 0),
    durationSeconds: measured.durationSeconds,
    succeededPerSecond: measured.succeeded / measured.durationSeconds,
    latency: summarizeLatencies(measured.latencies),
    failureSamples,
  };
}

async function openLoop(job: OpenLoopJob): Promise<LoadResult> {
  const host = new URL(job.origin).host;
  const nextRequest = createRequestFactory(job.request, host);
  const pool = new Pool(job.origin, { connections: job.maxInFlight, pipelining: 1 });
  const total = Math.round(job.ratePerSecond * job.durationSeconds);
  const intervalMs = 1000 / job.ratePerSecond;
  const latencies: number[] = [];
  const failureSamples: string[] = [];
  const requests: Promise<void>[] = [];
  let succeeded = 0;
  let failed = 0;
  const acceptedAtMs = new Array<number | null>(total).fill(null);

  const fire = async (index: number, dueAtPerfMs: number, dueAtEpochMs: number) => {
    const built = nextRequest(Math.round(dueAtEpochMs * 1000) / 1000);
    const ok = await sendOne(pool, job.request.method, built, job.expectStatus, failureSamples);
    latencies.push(performance.now() - dueAtPerfMs);
    if (ok) {
      succeeded++;
      acceptedAtMs[index] = preciseEpochMs();
    } else failed++;
  };

  const startPerfMs = performance.now();
  const startEpochMs = performance.timeOrigin + startPerfMs;
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - startPerfMs) / intervalMs) + 1);
    for (; sent < due; sent++) requests.push(fire(sent, startPerfMs + sent * intervalMs, startEpochMs + sent * intervalMs));
    await new Promise((resolve) => setTimeout(resolve, Math.max(1, intervalMs / 2)));
  }
  await Promise.all(requests);
  const durationSeconds = (performance.now() - startPerfMs) / 1000;
  await pool.close();
  return {
    succeeded,
    failed,
    succeededIncludingWarmup: succeeded,
    durationSeconds,
    succeededPerSecond: succeeded / durationSeconds,
    latency: summarizeLatencies(latencies),
    failureSamples,
    acceptedAtMs,
  };
}

if (import.meta.main) serveParent({ closedLoop, openLoop });

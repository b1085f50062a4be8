import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { forkBenchChild, serveParent, type IpcProcess } from './child-process.ts';
import { preciseEpochMs } from './latency-summary.ts';

/**
 * The webhook endpoint every dispatch benchmark posts to, in its own process: answers 200 at
 * once, counts requests and distinct `x-herald-delivery-id`s (so a duplicate send shows), and
 * in latency mode records when each request arrived with the `metadata.n` (request number)
 * and `metadata.t` (send time, epoch ms) the load generator put into the message.
 */

export interface SinkStats {
  requests: number;
  uniqueDeliveries: number;
  duplicates: number;
  /** Epoch ms of the first and the last request; null before any. */
  firstArrivalMs: number | null;
  lastArrivalMs: number | null;
}

/** `[metadata.n, metadata.t, arrival epoch ms]` */
export type SinkArrival = [requestNumber: number, sentAtMs: number, arrivedAtMs: number];

export interface HttpSink {
  readonly url: string;
  readonly process: IpcProcess<{ port: number }>;
  /** Clears the counters; `recordArrivals` makes the sink read `metadata.n` and `metadata.t` out of each body. */
  reset(options?: { recordArrivals?: boolean }): Promise<void>;
  stats(): Promise<SinkStats>;
  /** Resolves once `count` distinct deliveries arrived; rejects after `timeoutMs`. */
  waitForDeliveries(count: number, timeoutMs: number): Promise<SinkStats>;
  arrivals(): Promise<SinkArrival[]>;
  stop(): Promise<void>;
}

export const DELIVERY_ID_HEADER = 'x-herald-delivery-id';
export const SINK_PATH = '/hooks/bench';

export async function startHttpSink(): Promise<HttpSink> {
  const child = await forkBenchChild<{ port: number }>('http-sink', new URL(import.meta.url));
  return {
    url: `http://127.0.0.1:${child.ready.port}${SINK_PATH}`,
    process: child,
    reset: (options = {}) => child.call('reset', options),
    stats: () => child.call('stats'),
    waitForDeliveries: (count, timeoutMs) => child.call('waitForDeliveries', { count, timeoutMs }),
    arrivals: () => child.call('arrivals'),
    stop: () => child.stop(),
  };
}

async function runSink(): Promise<void> {
  let recordArrivals = false;
  let requests = 0;
  let duplicates = 0;
  let firstArrivalMs: number | null = null;
  let lastArrivalMs: number | null = null;
  let deliveryIds = new Set<string>();
  let arrivals: SinkArrival[] = [];
  let waiters: Array<{ count: number; resolve(stats: SinkStats): void }> = [];
  const stampPattern = /"n":"(\d+)","t":"(\d+(?:\.\d+)?)"/;

  const stats = (): SinkStats => ({ requests, uniqueDeliveries: deliveryIds.size, duplicates, firstArrivalMs, lastArrivalMs });
  const answer = Buffer.from('{"id":"sink"}');

  const server = createServer({ keepAlive: true, keepAliveTimeout: 60_000 }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => recordArrivals && chunks.push(chunk));
    request.on('end', () => {
      const nowMs = preciseEpochMs();
      requests++;
      firstArrivalMs ??= nowMs;
      lastArrivalMs = nowMs;
      const id = request.headers[DELIVERY_ID_HEADER];
      if (typeof id === 'string') {
        if (deliveryIds.has(id)) duplicates++;
        else deliveryIds.add(id);
      }
      if (recordArrivals) {
        const stamp = stampPattern.exec(Buffer.concat(chunks).toString('utf8'));
        if (stamp) arrivals.push([Number(stamp[1]), Number(stamp[2]), nowMs]);
      }
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length }).end(answer);
      if (waiters.length > 0) {
        const reached = waiters.filter((waiter) => deliveryIds.size >= waiter.count);
        waiters = waiters.filter((waiter) => deliveryIds.size < waiter.count);
        for (const waiter of reached) waiter.resolve(stats());
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  serveParent(
    {
      reset(options: { recordArrivals?: boolean }) {
        recordArrivals = options.recordArrivals ?? false;
        requests = duplicates = 0;
        firstArrivalMs = lastArrivalMs = null;
        deliveryIds = new Set();
        arrivals = [];
      },
      stats,
      arrivals: () => arrivals,
      waitForDeliveries({ count, timeoutMs }: { count: number; timeoutMs: number }) {
        if (deliveryIds.size >= count) return stats();
        return new Promise<SinkStats>((resolve, reject) => {
          const timer = setTimeout(() => {
            waiters = waiters.filter((waiter) => waiter !== entry);
            reject(new Error(`the sink got ${deliveryIds.size} of ${count} deliveries within ${timeoutMs} ms (${JSON.stringify(stats())})`));
          }, timeoutMs);
          const entry = {
            count,
            resolve: (value: SinkStats) => {
              clearTimeout(timer);
              resolve(value);
            },
          };
          waiters.push(entry);
        });
      },
    },
    { port: (server.address() as AddressInfo).port },
  );
}

if (import.meta.main) await runSink();

import type { HeraldContext } from '../context/herald-context.ts';
import { HeraldError } from '../errors.ts';
import { storageUnavailableError } from '../storage/storage-unavailable.ts';
import { readQueueSnapshot } from './metrics/queue-snapshot.ts';
import { scrapeCache } from './metrics/scrape-cache.ts';

export interface ReadinessReport {
  status: 'ready';
  database: string;
  /** How long the oldest due waiting delivery has waited for a worker; 0 when none is due. */
  workerLagSeconds: number;
  /** Workers whose last heartbeat is within HERALD_WORKER_DEAD_AFTER_SECONDS. */
  liveWorkers: number;
}

/** How long the queue facts behind /readyz are reused: probes from many load balancers, or a flood, cost one grouped query a second. */
export const READINESS_FACTS_TTL_MS = 1000;

interface QueueFacts {
  oldestDueAtMs: number | null;
  liveWorkers: number;
}

/**
 * What /readyz answers: ready while the database takes writes, with the worker lag and the live
 * workers. The lag fails readiness only past HERALD_READY_MAX_LAG_SECONDS: when set, a load
 * balancer stops sending accepts to a deployment whose workers no longer keep up. The database
 * is pinged on every call; the queue facts (a count over the waiting deliveries) are read at most
 * once per READINESS_FACTS_TTL_MS, and concurrent calls share one read.
 */
export function createReadinessCheck(context: HeraldContext): () => Promise<ReadinessReport> {
  const { database, clock, config } = context;
  // Read at most once per TTL; concurrent probes share the read in flight.
  const currentFacts = scrapeCache(clock, READINESS_FACTS_TTL_MS, async (nowMs): Promise<QueueFacts> => {
    const [queue, workers] = await Promise.all([
      readQueueSnapshot(database, nowMs),
      database.db
        .selectFrom('workers')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('heartbeat_at', '>=', nowMs - config.worker.deadAfterSeconds * 1000)
        .executeTakeFirstOrThrow(),
    ]);
    return { oldestDueAtMs: queue.oldestDueAtMs, liveWorkers: Number(workers.count) };
  });

  return async () => {
    if (!(await database.ping())) throw storageUnavailableError();
    const nowMs = clock.now();
    const { oldestDueAtMs, liveWorkers } = await currentFacts();
    const workerLagSeconds = oldestDueAtMs === null ? 0 : Math.max(0, nowMs - oldestDueAtMs) / 1000;
    const maxLagSeconds = config.readiness.maxLagSeconds;
    if (maxLagSeconds !== undefined && workerLagSeconds > maxLagSeconds) {
      throw new HeraldError(
        'unavailable',
        'WORKER_LAG_TOO_HIGH',
        `The oldest due delivery has waited ${workerLagSeconds} seconds for a worker, over HERALD_READY_MAX_LAG_SECONDS (${maxLagSeconds}); start more workers or look at why they stall`,
        { workerLagSeconds, maxLagSeconds },
      );
    }
    return { status: 'ready', database: database.dialect, workerLagSeconds, liveWorkers };
  };
}

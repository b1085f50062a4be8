import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../clock.ts';
import type { HeraldDatabase } from '../../storage/database.ts';
import { readQueueSnapshot, type QueueSnapshot } from './queue-snapshot.ts';
import { scrapeCache } from './scrape-cache.ts';

/** The statuses of deliveries still in the queue: waiting, or leased by a worker (`sending`). */
const QUEUE_STATUSES = ['queued', 'scheduled', 'retrying', 'sending'] as const;

/**
 * Queue depth by status, the age of the oldest due delivery and the deliveries each worker holds,
 * read when scraped (one query, see queue-snapshot.ts). The answer is shared for `cacheTtlMs`, so
 * frequent or parallel scrapes cost one query.
 */
export function registerQueueMetrics(registry: Registry, options: { database: HeraldDatabase; clock: Clock; cacheTtlMs: number }): void {
  const { database, clock, cacheTtlMs } = options;
  const snapshot = scrapeCache<QueueSnapshot>(clock, cacheTtlMs, (nowMs) => readQueueSnapshot(database, nowMs));

  const registers = [registry];
  new Gauge({
    name: 'herald_queue_depth',
    help: 'Deliveries in the queue, by status (sending: claimed by a worker)',
    labelNames: ['status'],
    registers,
    async collect() {
      const { depth } = await snapshot();
      for (const status of QUEUE_STATUSES) this.set({ status }, depth.get(status) ?? 0);
    },
  });
  new Gauge({
    name: 'herald_queue_oldest_due_seconds',
    help: 'How long the oldest due waiting delivery has been due; 0 when none is due',
    registers,
    async collect() {
      const { oldestDueAtMs } = await snapshot();
      this.set(oldestDueAtMs === null ? 0 : Math.max(0, clock.now() - oldestDueAtMs) / 1000);
    },
  });
  new Gauge({
    name: 'herald_worker_leases',
    help: 'Deliveries each worker holds under lease (sending)',
    labelNames: ['worker'],
    registers,
    async collect() {
      const { leasesByWorker } = await snapshot();
      this.reset();
      for (const [worker, count] of leasesByWorker) this.set({ worker }, count);
    },
  });
}

import { sql } from 'kysely';
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../clock.ts';
import type { HeraldDatabase } from '../../storage/database.ts';

/** The statuses of deliveries still in the queue: waiting, or leased by a worker (`sending`). */
const QUEUE_STATUSES = ['queued', 'scheduled', 'retrying', 'sending'] as const;

interface QueueSnapshot {
  depth: Map<string, number>;
  oldestDueAtMs: number | null;
  leasesByWorker: Map<string, number>;
}

/**
 * Queue depth by status, the age of the oldest due delivery and the deliveries each worker holds,
 * read when scraped from one grouped query over the queue's two partial indexes (waiting rows have
 * `run_at`, leased ones `lease_expires_at`). The answer is shared for `cacheTtlMs`, so frequent
 * or parallel scrapes cost one query.
 */
export function registerQueueMetrics(registry: Registry, options: { database: HeraldDatabase; clock: Clock; cacheTtlMs: number }): void {
  const { database, clock, cacheTtlMs } = options;
  let cached: { atMs: number; snapshot: Promise<QueueSnapshot> } | undefined;

  async function read(nowMs: number): Promise<QueueSnapshot> {
    const rows = await database.db
      .selectFrom('deliveries')
      .select(['status', 'lease_owner'])
      .select((eb) => [eb.fn.countAll().as('count'), sql<number | string | null>`min(case when run_at <= ${nowMs} then run_at end)`.as('oldest_due')])
      .where((eb) => eb.or([eb('run_at', 'is not', null), eb('lease_expires_at', 'is not', null)]))
      .groupBy(['status', 'lease_owner'])
      .execute();
    const snapshot: QueueSnapshot = { depth: new Map(), oldestDueAtMs: null, leasesByWorker: new Map() };
    for (const row of rows) {
      const count = Number(row.count);
      snapshot.depth.set(row.status, (snapshot.depth.get(row.status) ?? 0) + count);
      if (row.oldest_due !== null && row.status !== 'sending') {
        const due = Number(row.oldest_due);
        snapshot.oldestDueAtMs = snapshot.oldestDueAtMs === null ? due : Math.min(snapshot.oldestDueAtMs, due);
      }
      if (row.status === 'sending' && row.lease_owner !== null) snapshot.leasesByWorker.set(row.lease_owner, (snapshot.leasesByWorker.get(row.lease_owner) ?? 0) + count);
    }
    return snapshot;
  }

  function snapshot(): Promise<QueueSnapshot> {
    const nowMs = clock.now();
    if (cached && nowMs >= cached.atMs && nowMs - cached.atMs < cacheTtlMs) return cached.snapshot;
    const entry = { atMs: nowMs, snapshot: read(nowMs) };
    // A failed read is not kept: the next scrape asks the database again.
    entry.snapshot.catch(() => {
      if (cached === entry) cached = undefined;
    });
    cached = entry;
    return entry.snapshot;
  }

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

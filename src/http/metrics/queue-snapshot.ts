import { sql } from 'kysely';
import type { HeraldDatabase } from '../../storage/database.ts';

export interface QueueSnapshot {
  depth: Map<string, number>;
  /** When the oldest due waiting delivery (queued, scheduled, retrying) became due; null when none is due. */
  oldestDueAtMs: number | null;
  leasesByWorker: Map<string, number>;
}

/**
 * Queue depth by status, the oldest due waiting delivery and the deliveries each worker holds,
 * from one grouped query over the queue's two partial indexes (waiting rows have `run_at`,
 * leased ones `lease_expires_at`). The metrics and /readyz both read it.
 */
export async function readQueueSnapshot(database: HeraldDatabase, nowMs: number): Promise<QueueSnapshot> {
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

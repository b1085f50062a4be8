import type { HeraldContext } from '../../context/herald-context.ts';
import { WAITING_DELIVERY_STATUSES, type DeliveryStatus } from '../../deliveries/delivery-status.ts';
import { createTtlCache } from '../../ttl-cache.ts';

/** How long one app's figures are reused: a dashboard refreshing (or many tabs open) costs one query per app per window. */
export const QUEUE_STATS_CACHE_MS = 5_000;

export interface QueueBacklog {
  /** Waiting deliveries by status (queued, scheduled, retrying), zeros included. */
  depth: Record<(typeof WAITING_DELIVERY_STATUSES)[number], number>;
  /** How long the oldest due delivery (waiting, its time come) has been due; 0 when none is. */
  oldestDueSeconds: number;
  /** When these figures were read (they may be up to QUEUE_STATS_CACHE_MS old). */
  at: string;
}

/**
 * The app's backlog: waiting deliveries by status and the age of the oldest due one. Only waiting
 * deliveries have a `run_at` (the queue's partial index), so the query reads the queue, not history.
 */
export function createQueueStats({ database: { db }, clock }: HeraldContext) {
  const cache = createTtlCache<QueueBacklog>({ ttlMs: QUEUE_STATS_CACHE_MS, clock });

  async function readBacklog(appId: string): Promise<QueueBacklog> {
    const nowMs = clock.now();
    const rows = await db
      .selectFrom('deliveries')
      .select((eb) => ['status', eb.fn.countAll<string | number>().as('count'), eb.fn.min('run_at').as('due_at')])
      .where('app_id', '=', appId)
      .where('status', 'in', WAITING_DELIVERY_STATUSES)
      .where('run_at', 'is not', null)
      .groupBy('status')
      .execute();
    const depth = Object.fromEntries(WAITING_DELIVERY_STATUSES.map((status) => [status, 0])) as QueueBacklog['depth'];
    let oldestDueMs: number | null = null;
    for (const row of rows) {
      depth[row.status as (typeof WAITING_DELIVERY_STATUSES)[number] & DeliveryStatus] = Number(row.count);
      const dueAt = row.due_at === null ? null : Number(row.due_at);
      // A scheduled delivery whose time has not come is waiting but not yet due.
      if (dueAt !== null && dueAt <= nowMs && (oldestDueMs === null || dueAt < oldestDueMs)) oldestDueMs = dueAt;
    }
    return { depth, oldestDueSeconds: oldestDueMs === null ? 0 : Math.floor((nowMs - oldestDueMs) / 1000), at: new Date(nowMs).toISOString() };
  }

  return {
    backlog: (appId: string): Promise<QueueBacklog> => cache.get(appId, () => readBacklog(appId)),
  };
}

export type QueueStatsService = ReturnType<typeof createQueueStats>;

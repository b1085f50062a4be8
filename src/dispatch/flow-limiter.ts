import type { Clock } from '../clock.ts';
import type { FlowLimit } from '../providers/provider.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { capabilitiesOf } from '../storage/dialect-capabilities.ts';

export interface FlowGrant {
  /** How many of the wanted sends may go now. */
  granted: number;
  /** For each refused send, in order, when a slot is expected to free up (epoch ms). */
  retryAtMs: number[];
}

export interface FlowLimiter {
  /** Takes up to `wanted` send slots of one channel account at once, within every one of its windows, shared by every worker process. */
  acquire(channelAccountId: string, limits: readonly FlowLimit[], wanted: number): Promise<FlowGrant>;
}

/**
 * A sliding-window log per channel account in `flow_windows`: the send times inside its
 * longest window, against which every window is counted (Feishu robot: 5 per second and
 * 100 per minute hold together). Read-modify-write happens under a row lock (PostgreSQL: insert-if-missing, then
 * SELECT ... FOR UPDATE; SQLite: the insert takes the database write lock first), so
 * workers in any number of processes never exceed the limit together.
 */
export function createFlowLimiter({ database, clock }: { database: HeraldDatabase; clock: Clock }): FlowLimiter {
  return {
    async acquire(channelAccountId, limits, wanted) {
      if (wanted <= 0 || limits.length === 0) return { granted: 0, retryAtMs: [] };
      const longestWindowMs = Math.max(...limits.map((limit) => limit.perSeconds * 1000));
      return database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('flow_windows')
          .values({ channel_account_id: channelAccountId, sent_times: '[]' })
          .onConflict((conflict) => conflict.column('channel_account_id').doNothing())
          .execute();
        let select = trx.selectFrom('flow_windows').select('sent_times').where('channel_account_id', '=', channelAccountId);
        if (!capabilitiesOf(database.dialect).singleWriter) select = select.forUpdate();
        const row = await select.executeTakeFirstOrThrow();

        const nowMs = clock.now();
        const sentTimes = (JSON.parse(row.sent_times) as number[]).filter((atMs) => atMs > nowMs - longestWindowMs);
        const inWindow = (limit: FlowLimit) => sentTimes.filter((atMs) => atMs > nowMs - limit.perSeconds * 1000);
        const granted = Math.max(0, Math.min(wanted, ...limits.map((limit) => limit.count - inWindow(limit).length)));
        for (let i = 0; i < granted; i++) sentTimes.push(nowMs);
        await trx
          .updateTable('flow_windows')
          .set({ sent_times: JSON.stringify(sentTimes) })
          .where('channel_account_id', '=', channelAccountId)
          .execute();

        // In each window the k-th refused send gets the slot the k-th oldest send frees (beyond a
        // full window, the next window's); it may go once every window has one.
        const windows = limits.map((limit) => ({ limit, sentTimes: inWindow(limit) }));
        const retryAtMs = Array.from({ length: wanted - granted }, (_, k) => Math.max(...windows.map((window) => slotFreedAt(window.limit, window.sentTimes, k, nowMs))));
        return { granted, retryAtMs };
      });
    },
  };
}

/** When `limit`'s window, holding `sentTimes` (oldest first), has room for the k-th send beyond those it already granted. */
function slotFreedAt(limit: FlowLimit, sentTimes: readonly number[], k: number, nowMs: number): number {
  const windowMs = limit.perSeconds * 1000;
  const free = limit.count - sentTimes.length;
  if (k < free) return nowMs;
  if (sentTimes.length === 0) return nowMs + windowMs;
  const waiting = k - Math.max(0, free);
  return sentTimes[waiting % sentTimes.length]! + windowMs * (1 + Math.floor(waiting / sentTimes.length));
}

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
  /** Takes up to `wanted` send slots of one channel account at once, shared by every worker process. */
  acquire(channelAccountId: string, limit: FlowLimit, wanted: number): Promise<FlowGrant>;
}

/**
 * A sliding-window log per channel account in `flow_windows`: the send times inside the
 * window. Read-modify-write happens under a row lock (PostgreSQL: insert-if-missing, then
 * SELECT ... FOR UPDATE; SQLite: the insert takes the database write lock first), so
 * workers in any number of processes never exceed the limit together.
 */
export function createFlowLimiter({ database, clock }: { database: HeraldDatabase; clock: Clock }): FlowLimiter {
  return {
    async acquire(channelAccountId, limit, wanted) {
      if (wanted <= 0) return { granted: 0, retryAtMs: [] };
      const windowMs = limit.perSeconds * 1000;
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
        const sentTimes = (JSON.parse(row.sent_times) as number[]).filter((atMs) => atMs > nowMs - windowMs);
        const granted = Math.max(0, Math.min(wanted, limit.count - sentTimes.length));
        for (let i = 0; i < granted; i++) sentTimes.push(nowMs);
        await trx
          .updateTable('flow_windows')
          .set({ sent_times: JSON.stringify(sentTimes) })
          .where('channel_account_id', '=', channelAccountId)
          .execute();

        // The k-th refused send gets the slot the k-th oldest send frees; beyond a full window, the next window's.
        const retryAtMs: number[] = [];
        for (let k = 0; k < wanted - granted; k++) {
          if (sentTimes.length === 0) retryAtMs.push(nowMs + windowMs);
          else retryAtMs.push(sentTimes[k % sentTimes.length] + windowMs * (1 + Math.floor(k / sentTimes.length)));
        }
        return { granted, retryAtMs };
      });
    },
  };
}

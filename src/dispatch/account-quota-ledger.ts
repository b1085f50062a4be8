import type { Clock } from '../clock.ts';
import { exhaustionOf, quotaOf, quotaPeriodAt, usedInPeriods, type AccountQuota, type QuotaExhaustion } from '../deliveries/account-quotas.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { capabilitiesOf } from '../storage/dialect-capabilities.ts';

export interface AccountQuotaLedger {
  /** Counts up to `wanted` sends against the account's quota in its current period, shared by every worker process; answers how many it may make. */
  reserve(accountId: string, quota: AccountQuota, wanted: number): Promise<number>;
  /** The accounts among `accountIds` that cannot send now: marked exhausted, or their configured quota used up. */
  exhaustedAmong(accountIds: readonly string[]): Promise<Set<string>>;
  /** Records that a provider's quota error marks the account exhausted (a newer mark replaces an older one). */
  markExhausted(accountId: string, mark: QuotaExhaustion): Promise<void>;
}

/**
 * Usage against configured quotas in `account_quota_usage`, one row per account and period.
 * The read-modify-write takes the row lock (PostgreSQL: insert-if-missing, then SELECT ... FOR
 * UPDATE; SQLite: the insert takes the database write lock first), as the flow limiter does, so
 * workers in any number of processes never count past a limit together.
 */
export function createAccountQuotaLedger({ database, clock }: { database: HeraldDatabase; clock: Clock }): AccountQuotaLedger {
  const { db } = database;
  return {
    async reserve(accountId, quota, wanted) {
      if (wanted <= 0) return 0;
      const nowMs = clock.now();
      const { startMs } = quotaPeriodAt(quota, nowMs);
      return db.transaction().execute(async (trx) => {
        const inserted = await trx
          .insertInto('account_quota_usage')
          .values({ channel_account_id: accountId, period_start: startMs, used: 0, updated_at: nowMs })
          .onConflict((conflict) => conflict.columns(['channel_account_id', 'period_start']).doNothing())
          .executeTakeFirst();
        // A new period began: the account's earlier periods count for nothing any more.
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) {
          await trx.deleteFrom('account_quota_usage').where('channel_account_id', '=', accountId).where('period_start', '<', startMs).execute();
        }
        let select = trx.selectFrom('account_quota_usage').select('used').where('channel_account_id', '=', accountId).where('period_start', '=', startMs);
        if (!capabilitiesOf(database.dialect).singleWriter) select = select.forUpdate();
        const used = Number((await select.executeTakeFirstOrThrow()).used);
        const granted = Math.max(0, Math.min(wanted, quota.limit - used));
        if (granted > 0) {
          await trx
            .updateTable('account_quota_usage')
            .set({ used: used + granted, updated_at: nowMs })
            .where('channel_account_id', '=', accountId)
            .where('period_start', '=', startMs)
            .execute();
        }
        return granted;
      });
    },

    async exhaustedAmong(accountIds) {
      const exhausted = new Set<string>();
      if (accountIds.length === 0) return exhausted;
      const nowMs = clock.now();
      const rows = await db.selectFrom('channel_accounts').select(['id', 'quota', 'quota_exhausted']).where('id', 'in', [...new Set(accountIds)]).execute();
      const periods: Array<{ accountId: string; startMs: number; limit: number }> = [];
      for (const row of rows) {
        if (exhaustionOf(row.quota_exhausted, nowMs)) exhausted.add(row.id);
        const quota = quotaOf(row);
        if (quota) periods.push({ accountId: row.id, startMs: quotaPeriodAt(quota, nowMs).startMs, limit: quota.limit });
      }
      const used = await usedInPeriods(database, periods);
      for (const { accountId, limit } of periods) if ((used.get(accountId) ?? 0) >= limit) exhausted.add(accountId);
      return exhausted;
    },

    async markExhausted(accountId, mark) {
      // updated_at stays: the account's config did not change, so its sender is kept.
      await db.updateTable('channel_accounts').set({ quota_exhausted: JSON.stringify(mark) }).where('id', '=', accountId).execute();
    },
  };
}

import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../clock.ts';
import { readAccountQuotaStatuses, type AccountQuotaStatus } from '../../deliveries/account-quotas.ts';
import type { HeraldDatabase } from '../../storage/database.ts';
import { scrapeCache } from './scrape-cache.ts';

interface QuotaSnapshot {
  accounts: Array<{ id: string; app_id: string; type: string; name: string }>;
  statuses: AccountQuotaStatus[];
}

/**
 * `herald_account_quota_remaining` / `_limit`: the tightest known quota of every account that has
 * one (configured, platform-reported, or marked exhausted: remaining 0), read when scraped and
 * shared for `cacheTtlMs`, like the queue metrics. Accounts with no quota information have no series.
 */
export function registerQuotaMetrics(registry: Registry, options: { database: HeraldDatabase; clock: Clock; cacheTtlMs: number }): void {
  const { database, clock, cacheTtlMs } = options;

  async function read(nowMs: number): Promise<QuotaSnapshot> {
    const accounts = await database.db
      .selectFrom('channel_accounts')
      .select(['id', 'app_id', 'type', 'name'])
      .where((eb) =>
        eb.or([eb('quota', 'is not', null), eb('quota_exhausted', 'is not', null), eb('id', 'in', eb.selectFrom('account_quota_readings').select('channel_account_id').where('read_at', 'is not', null))]),
      )
      .execute();
    return { accounts, statuses: await readAccountQuotaStatuses(database, nowMs, accounts.map((account) => account.id)) };
  }

  const snapshot = scrapeCache(clock, cacheTtlMs, read);

  const registers = [registry];
  const labelNames = ['account', 'app', 'type', 'name'] as const;
  const gauge = (name: string, help: string, pick: (status: AccountQuotaStatus) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const { accounts, statuses } = await snapshot();
        this.reset();
        accounts.forEach((account, index) => {
          const value = pick(statuses[index]!);
          if (value !== null) this.set({ account: account.id, app: account.app_id, type: account.type, name: account.name }, value);
        });
      },
    });
  gauge('herald_account_quota_remaining', 'Sends left in a channel account\'s tightest known quota (configured or platform-reported); 0 while a provider quota error marks it exhausted', (status) => status.remaining);
  gauge('herald_account_quota_limit', 'The tightest known quota of a channel account (configured or platform-reported)', (status) => status.limit);
}

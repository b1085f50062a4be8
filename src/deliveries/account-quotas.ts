import type { HeraldDatabase } from '../storage/database.ts';
import type { ChannelAccountsTable } from '../storage/schema.ts';
import { calendarPeriodAt } from '../zoned-time.ts';

/**
 * Provider quotas of channel accounts (issue 14): the quota configured on an account, its
 * periods, the exhaustion mark a provider's quota error leaves, and the status the API, the
 * console and the alarms read. Stored on the account row (`quota`, `quota_exhausted`), in
 * `account_quota_usage` (sends counted per period) and `account_quota_readings` (what the platform reported).
 */

export type QuotaPeriod = 'day' | 'month' | 'balance';
export const QUOTA_PERIODS: readonly QuotaPeriod[] = ['day', 'month', 'balance'];
/** When day and month quotas reset unless the account says otherwise: Chinese platforms count in China time. */
export const DEFAULT_QUOTA_TIME_ZONE = 'Asia/Shanghai';

/** A quota as stored: `sinceMs` is when it was set, where a balance starts counting. */
export interface AccountQuota {
  period: QuotaPeriod;
  limit: number;
  timeZone: string;
  sinceMs: number;
}

export interface QuotaExhaustion {
  sinceMs: number;
  untilMs: number | null;
  code: string;
  message: string;
}

export interface AccountQuotaStatus {
  accountId: string;
  /** The quota configured on the account, with usage counted from Herald's own sends; null when none is configured. */
  configured: { period: QuotaPeriod; limit: number; used: number; remaining: number; resetsAtMs: number | null } | null;
  /** What the platform last reported about its remaining quota (WeChat openapi/quota/get); null when it reports nothing. */
  reported: { limit: number; used: number; remaining: number; atMs: number } | null;
  /** Set while a provider's quota error (WeChat 45009, Aliyun out of balance) marks the account exhausted. */
  exhausted: { sinceMs: number; untilMs: number | null; code: string; message: string } | null;
  /** The tightest known limit and remainder (configured vs reported; remaining 0 while exhausted); null when nothing is known. */
  limit: number | null;
  remaining: number | null;
}

export function quotaOf(row: Pick<ChannelAccountsTable, 'quota'>): AccountQuota | null {
  return row.quota === null ? null : (JSON.parse(row.quota) as AccountQuota);
}

/** The account's exhaustion mark (the `quota_exhausted` column) while it holds at `nowMs` (a mark with a reset time lapses by itself). */
export function exhaustionOf(quotaExhausted: string | null, nowMs: number): QuotaExhaustion | null {
  if (quotaExhausted === null) return null;
  const mark = JSON.parse(quotaExhausted) as QuotaExhaustion;
  return mark.untilMs !== null && mark.untilMs <= nowMs ? null : mark;
}

/** The period `nowMs` falls in: its start (the usage row's key) and when it resets (null: a balance never resets by itself). */
export function quotaPeriodAt(quota: AccountQuota, nowMs: number): { startMs: number; resetsAtMs: number | null } {
  if (quota.period === 'balance') return { startMs: quota.sinceMs, resetsAtMs: null };
  const { startMs, endMs } = calendarPeriodAt(quota.timeZone, nowMs, quota.period);
  return { startMs, resetsAtMs: endMs };
}

/** How an account's quota reads in messages: `100 per day (resets at midnight Asia/Shanghai)`. */
export function describeQuota(quota: Pick<AccountQuota, 'period' | 'limit' | 'timeZone'>): string {
  return quota.period === 'balance' ? `a balance of ${quota.limit} sends` : `${quota.limit} sends per ${quota.period} (${quota.timeZone})`;
}

const IDS_PER_QUERY = 500;

/** Quota status of the given accounts (those without any quota information still get a row with nulls). */
export async function readAccountQuotaStatuses(database: HeraldDatabase, nowMs: number, accountIds: readonly string[]): Promise<AccountQuotaStatus[]> {
  const ids = [...new Set(accountIds)];
  const rows = new Map<string, Pick<ChannelAccountsTable, 'id' | 'quota' | 'quota_exhausted'>>();
  const readings = new Map<string, { reported_limit: number | null; reported_used: number | null; reported_remaining: number | null; read_at: number | null }>();
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
    const chunk = ids.slice(start, start + IDS_PER_QUERY);
    for (const row of await database.db.selectFrom('channel_accounts').select(['id', 'quota', 'quota_exhausted']).where('id', 'in', chunk).execute()) rows.set(row.id, row);
    const readRows = await database.db
      .selectFrom('account_quota_readings')
      .select(['channel_account_id', 'reported_limit', 'reported_used', 'reported_remaining', 'read_at'])
      .where('channel_account_id', 'in', chunk)
      .execute();
    for (const reading of readRows) readings.set(reading.channel_account_id, reading);
  }
  const periods = new Map<string, { quota: AccountQuota; startMs: number; resetsAtMs: number | null }>();
  for (const row of rows.values()) {
    const quota = quotaOf(row);
    if (quota) periods.set(row.id, { quota, ...quotaPeriodAt(quota, nowMs) });
  }
  const used = await usedInPeriods(database, [...periods].map(([accountId, { startMs }]) => ({ accountId, startMs })));

  return ids.map((accountId): AccountQuotaStatus => {
    const row = rows.get(accountId);
    const period = periods.get(accountId);
    const configured = period
      ? (() => {
          const count = used.get(accountId) ?? 0;
          return { period: period.quota.period, limit: period.quota.limit, used: count, remaining: Math.max(0, period.quota.limit - count), resetsAtMs: period.resetsAtMs };
        })()
      : null;
    const reading = readings.get(accountId);
    const reported =
      reading && reading.read_at !== null && reading.reported_limit !== null
        ? { limit: Number(reading.reported_limit), used: Number(reading.reported_used), remaining: Number(reading.reported_remaining), atMs: Number(reading.read_at) }
        : null;
    const exhausted = row ? exhaustionOf(row.quota_exhausted, nowMs) : null;
    const known = [configured, reported].filter((entry) => entry !== null);
    const tightest = known.length === 0 ? null : known.reduce((a, b) => (b.remaining < a.remaining ? b : a));
    return {
      accountId,
      configured,
      reported,
      exhausted,
      limit: tightest?.limit ?? null,
      remaining: exhausted ? 0 : (tightest?.remaining ?? null),
    };
  });
}

/** Sends counted in each account's current period. */
export async function usedInPeriods(database: HeraldDatabase, periods: ReadonlyArray<{ accountId: string; startMs: number }>): Promise<Map<string, number>> {
  const used = new Map<string, number>();
  for (let start = 0; start < periods.length; start += IDS_PER_QUERY) {
    const chunk = periods.slice(start, start + IDS_PER_QUERY);
    const rows = await database.db
      .selectFrom('account_quota_usage')
      .select(['channel_account_id', 'period_start', 'used'])
      .where('channel_account_id', 'in', chunk.map((period) => period.accountId))
      .execute();
    const startOf = new Map(chunk.map((period) => [period.accountId, period.startMs]));
    for (const row of rows) if (Number(row.period_start) === startOf.get(row.channel_account_id)) used.set(row.channel_account_id, Number(row.used));
  }
  return used;
}

import { invalid } from '../../errors.ts';
import { DEFAULT_QUOTA_TIME_ZONE, QUOTA_PERIODS, quotaOf, readAccountQuotaStatuses, type QuotaPeriod } from '../../deliveries/account-quotas.ts';
import type { HeraldDatabase } from '../../storage/database.ts';
import type { ChannelAccountsTable } from '../../storage/schema.ts';
import { canonicalTimeZone } from '../../zoned-time.ts';
import { isoTime } from '../../iso-time.ts';

/** A channel account's quota as the API takes and shows it. */
export interface QuotaInput {
  period: QuotaPeriod;
  limit: number;
  /** IANA zone whose midnight resets day and month quotas; default Asia/Shanghai. */
  timeZone?: string;
}

/** An account's quota status as the API shows it (src/deliveries/account-quotas.ts, times as ISO strings). */
export interface AccountQuotaStatusView {
  accountId: string;
  configured: { period: QuotaPeriod; limit: number; used: number; remaining: number; resetsAt: string | null } | null;
  reported: { limit: number; used: number; remaining: number; at: string } | null;
  exhausted: { since: string; until: string | null; code: string; message: string } | null;
  limit: number | null;
  remaining: number | null;
}

/**
 * The `quota` column for a quota as given (checked beyond the schema, for callers that skip
 * it); `sinceMs` is now, so setting a balance again counts it afresh. null/undefined: none.
 */
export function quotaColumn(input: QuotaInput | null | undefined, nowMs: number): string | null {
  if (input === null || input === undefined) return null;
  if (!QUOTA_PERIODS.includes(input.period)) {
    throw invalid('QUOTA_PERIOD_INVALID', `quota.period: "${String(input.period)}" is not one of ${QUOTA_PERIODS.join(', ')}`, { field: 'quota.period' });
  }
  if (!Number.isInteger(input.limit) || input.limit < 1) {
    throw invalid('QUOTA_LIMIT_INVALID', `quota.limit: ${String(input.limit)} is not a whole number of sends of at least 1`, { field: 'quota.limit' });
  }
  const timeZone = canonicalTimeZone(input.timeZone ?? DEFAULT_QUOTA_TIME_ZONE);
  if (timeZone === undefined) {
    throw invalid('QUOTA_TIME_ZONE_INVALID', `quota.timeZone: "${input.timeZone}" is not an IANA time zone like Asia/Shanghai or Europe/Berlin`, { field: 'quota.timeZone' });
  }
  return JSON.stringify({ period: input.period, limit: input.limit, timeZone, sinceMs: nowMs });
}

export function quotaView(row: Pick<ChannelAccountsTable, 'quota'>): QuotaInput | null {
  const quota = quotaOf(row);
  return quota && { period: quota.period, limit: quota.limit, timeZone: quota.timeZone };
}

/** The quota statuses of the accounts, in order. */
export async function quotaStatusViews(database: HeraldDatabase, nowMs: number, accountIds: readonly string[]): Promise<AccountQuotaStatusView[]> {
  if (accountIds.length === 0) return [];
  const statuses = await readAccountQuotaStatuses(database, nowMs, accountIds);
  const byId = new Map(statuses.map((status) => [status.accountId, status]));
  return accountIds.map((accountId) => {
    const { configured, reported, exhausted, limit, remaining } = byId.get(accountId)!;
    return {
      accountId,
      configured: configured && {
        period: configured.period,
        limit: configured.limit,
        used: configured.used,
        remaining: configured.remaining,
        resetsAt: isoTime(configured.resetsAtMs),
      },
      reported: reported && { limit: reported.limit, used: reported.used, remaining: reported.remaining, at: isoTime(reported.atMs) },
      exhausted: exhausted && { since: isoTime(exhausted.sinceMs), until: isoTime(exhausted.untilMs), code: exhausted.code, message: exhausted.message },
      limit,
      remaining,
    };
  });
}

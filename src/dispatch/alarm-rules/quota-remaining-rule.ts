import { readAccountQuotaStatuses } from '../../deliveries/account-quotas.ts';
import { counterSubject } from '../../deliveries/alarm-rule-kinds.ts';
import { accountsInScope, type AlarmEvaluator, type AlarmObservation } from './alarm-evaluator.ts';

/**
 * `quota_remaining`: per account (one, or each of the app's accounts with a known quota), fires
 * when the tightest known remainder (configured or platform-reported) is at most `remainingCount`,
 * or at most `remainingPercent` of its limit, or while a provider's quota error marks the account
 * exhausted. An account without any quota information is clear.
 */
export const evaluateQuotaRemaining: AlarmEvaluator<'quota_remaining'> = async ({ database, nowMs, appId, params, scope }) => {
  const accounts = await accountsInScope(database, appId, scope);
  const statuses = await readAccountQuotaStatuses(database, nowMs, [...accounts.keys()]);
  const thresholds = [
    ...(params.remainingCount !== undefined ? [`≤ ${params.remainingCount}`] : []),
    ...(params.remainingPercent !== undefined ? [`≤ ${params.remainingPercent}%`] : []),
  ].join(' or ');
  return statuses.map((status): AlarmObservation => {
    const subject = counterSubject.account(status.accountId);
    const label = accounts.get(status.accountId) ?? status.accountId;
    const { limit, remaining, exhausted } = status;
    const data = {
      value: remaining === null ? 'n/a' : String(remaining),
      threshold: thresholds,
      limit,
      percent: remaining === null || limit === null || limit === 0 ? null : Math.round((remaining / limit) * 1000) / 10,
      exhausted: exhausted ? `${exhausted.code}: ${exhausted.message}` : null,
    };
    if (remaining === null && !exhausted) return { subject, label, state: 'clear', value: null, data };
    const low =
      exhausted !== null ||
      (params.remainingCount !== undefined && remaining! <= params.remainingCount) ||
      (params.remainingPercent !== undefined && limit !== null && limit > 0 && (remaining! / limit) * 100 <= params.remainingPercent);
    return { subject, label, state: low ? 'firing' : 'clear', value: remaining, data };
  });
};

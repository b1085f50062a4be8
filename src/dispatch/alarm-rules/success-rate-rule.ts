import { counterSubject } from '../../deliveries/alarm-rule-kinds.ts';
import { accountsInScope, shownDuration, type AlarmEvaluator, type AlarmObservation } from './alarm-evaluator.ts';
import { outcomesInWindow } from './outcome-window.ts';

/**
 * `success_rate`: the share of provider calls that sent, per account (one, or each of the app's
 * accounts) or for one channel, over the window. A subject with fewer calls than `minAttempts`
 * says nothing: its alarm, if open, stays as it is.
 */
export const evaluateSuccessRate: AlarmEvaluator<'success_rate'> = async ({ database, nowMs, appId, params, scope }) => {
  const subjects = new Map<string, string>();
  if (scope !== null && 'channel' in scope) subjects.set(counterSubject.channel(scope.channel), scope.channel);
  else for (const [id, name] of await accountsInScope(database, appId, scope)) subjects.set(counterSubject.account(id), name);
  const counts = await outcomesInWindow(database, { appId, nowMs, windowSeconds: params.windowSeconds, subjects: [...subjects.keys()] });
  const window = shownDuration(params.windowSeconds);
  return [...subjects].map(([subject, label]): AlarmObservation => {
    const { succeeded, failed } = counts.get(subject) ?? { succeeded: 0, failed: 0 };
    const attempts = succeeded + failed;
    const rate = attempts === 0 ? null : Math.round((succeeded / attempts) * 1000) / 10;
    const data = { value: rate === null ? 'n/a' : `${rate}%`, threshold: `< ${params.belowPercent}%`, window, attempts, failed };
    if (rate === null || attempts < params.minAttempts) return { subject, label, state: 'unknown', value: rate, data };
    return { subject, label, state: rate < params.belowPercent ? 'firing' : 'clear', value: rate, data };
  });
};

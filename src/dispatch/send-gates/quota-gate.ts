import { isoTime as iso } from '../../iso-time.ts';
import { describeQuota, exhaustionOf, quotaPeriodAt } from '../../deliveries/account-quotas.ts';
import { nextRouteAccount } from '../channel-route-lookup.ts';
import { describeAccount, routesOfCandidates } from '../failover.ts';
import type { ChannelAccountSender } from '../channel-account-senders.ts';
import type { GateDecision, SendCandidate, SendGate } from './send-gate.ts';

/**
 * Provider quotas (issue 14): deliveries through an account with a configured quota reserve one
 * send each of its current period, in claim order; those beyond it, and every delivery of an
 * account a provider's quota error marked exhausted, go to the route's next account that can
 * still send (no attempt used), else wait for the reset (QUOTA_EXHAUSTED). Accounts with neither
 * a quota nor a mark — known from the rows the worker loaded anyway — cost no query.
 */
export const quotaGate: SendGate = async (batch, { clock, quotas, routes, quotaRecheckMs }) => {
  const decisions = new Map<SendCandidate, GateDecision>();
  const nowMs = clock.now();
  const byAccount = new Map<string, SendCandidate[]>();
  for (const candidate of batch) {
    const { account } = candidate;
    if (account.quota === null && exhaustionOf(account.quotaExhausted, nowMs) === null) continue;
    const group = byAccount.get(account.id);
    if (group) group.push(candidate);
    else byAccount.set(account.id, [candidate]);
  }
  if (byAccount.size === 0) return decisions;

  const over: SendCandidate[] = [];
  for (const group of byAccount.values()) {
    const { account } = group[0]!;
    const granted = exhaustionOf(account.quotaExhausted, nowMs) ? 0 : await quotas.reserve(account.id, account.quota!, group.length);
    over.push(...group.slice(granted));
  }
  if (over.length === 0) return decisions;

  const candidateRoutes = await routesOfCandidates(over, routes);
  const cannotSend = await quotas.exhaustedAmong([...new Set([...candidateRoutes.values()].flatMap((route) => route.map((account) => account.id)))]);
  for (const candidate of over) {
    const route = candidateRoutes.get(candidate);
    const { why, untilMs } = exhaustedBecause(candidate.account, nowMs, quotaRecheckMs);
    const next = route && nextRouteAccount(route, candidate.account.id, cannotSend);
    if (next) {
      const current = route.find((account) => account.id === candidate.account.id)!;
      decisions.set(candidate, { kind: 'rerouted', toAccountId: next.id, attemptUsed: false, code: 'QUOTA_EXHAUSTED', message: `${describeAccount(current)} ${why}; sending through ${describeAccount(next)}` });
    } else {
      decisions.set(candidate, { kind: 'deferred', untilMs, code: 'QUOTA_EXHAUSTED', message: `Channel account ${describeAccount(candidate.account)} (${candidate.account.id}) ${why}` });
    }
  }
  return decisions;
};

/** Why the account cannot send, in words an operator can act on, and when to look again. */
function exhaustedBecause(account: ChannelAccountSender, nowMs: number, recheckMs: number): { why: string; untilMs: number } {
  const mark = exhaustionOf(account.quotaExhausted, nowMs);
  const resetHint = `POST /v1/channel-accounts/${account.id}/quota/reset clears it`;
  if (mark) {
    return mark.untilMs === null
      ? { why: `is marked out of quota by ${mark.code} since ${iso(mark.sinceMs)} until an operator resets it (${resetHint}); looking again in ${recheckMs / 1000} s`, untilMs: nowMs + recheckMs }
      : { why: `is marked out of quota by ${mark.code} until ${iso(mark.untilMs)}, when the platform resets it (${resetHint} sooner)`, untilMs: mark.untilMs };
  }
  const quota = account.quota!;
  const { resetsAtMs } = quotaPeriodAt(quota, nowMs);
  return resetsAtMs === null
    ? { why: `has used up its quota of ${describeQuota(quota)}; set the quota again after topping up (looking again in ${recheckMs / 1000} s)`, untilMs: nowMs + recheckMs }
    : { why: `has used up its quota of ${describeQuota(quota)}; it resets at ${iso(resetsAtMs)}`, untilMs: resetsAtMs };
}

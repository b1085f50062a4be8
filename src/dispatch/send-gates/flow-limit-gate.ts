import type { GateDecision, SendCandidate, SendGate } from './send-gate.ts';

/**
 * Channel-account flow limits: one slot request per account and batch, granted in claim
 * (priority) order; the rest wait until the window frees a slot for each.
 */
export const flowLimitGate: SendGate = async (batch, { flowLimiter }) => {
  const decisions = new Map<SendCandidate, GateDecision>();
  const limitedByAccount = new Map<string, SendCandidate[]>();
  for (const candidate of batch) {
    if (candidate.account.flowLimits.length === 0) continue;
    const group = limitedByAccount.get(candidate.account.id);
    if (group) group.push(candidate);
    else limitedByAccount.set(candidate.account.id, [candidate]);
  }
  for (const group of limitedByAccount.values()) {
    const { account } = group[0]!;
    const limits = account.flowLimits;
    const grant = await flowLimiter.acquire(account.id, limits, group.length);
    const described = limits.map((limit) => `${limit.count} sends per ${limit.perSeconds} s`).join(' and ');
    group.slice(grant.granted).forEach((candidate, k) =>
      decisions.set(candidate, {
        kind: 'deferred',
        untilMs: grant.retryAtMs[k]!,
        code: 'FLOW_LIMITED',
        message: `Flow limit of ${described} reached for channel account ${account.id}`,
        trailEvent: 'flow_limited',
      }),
    );
  }
  return decisions;
};

import { describeAccount, routesOfCandidates } from '../failover.ts';
import { nextRouteAccount } from '../channel-route-lookup.ts';
import type { GateDecision, SendCandidate, SendGate } from './send-gate.ts';

/**
 * Deliveries on a channel route whose account's circuit is open go to the route's next account
 * with a closed circuit before anything is sent (no attempt used). When every account of the
 * route is open, the delivery is sent where it is: a probe.
 */
export const circuitBreakerGate: SendGate = async (batch, { routes, circuits }) => {
  const decisions = new Map<SendCandidate, GateDecision>();
  const candidateRoutes = await routesOfCandidates(batch, routes);
  if (candidateRoutes.size === 0) return decisions;
  const open = await circuits.openAmong([...new Set([...candidateRoutes.values()].flatMap((route) => route.map((account) => account.id)))]);
  for (const [candidate, route] of candidateRoutes) {
    if (!open.has(candidate.account.id)) continue;
    const next = nextRouteAccount(route, candidate.account.id, open);
    if (!next) continue;
    const current = route.find((account) => account.id === candidate.account.id)!;
    decisions.set(candidate, {
      kind: 'rerouted',
      toAccountId: next.id,
      attemptUsed: false,
      code: 'CIRCUIT_OPEN',
      message: `${describeAccount(current)} has its circuit open after repeated transient failures; sending through ${describeAccount(next)}`,
    });
  }
  return decisions;
};

import type { DeliveryOutcome } from '../deliveries/delivery-outcome.ts';
import type { SendOutcome } from '../providers/provider.ts';
import type { AccountCircuits } from './account-circuits.ts';
import { nextRouteAccount, type ChannelRouteLookup, type RouteAccount } from './channel-route-lookup.ts';
import type { SendCandidate } from './send-gates/send-gate.ts';

/**
 * Failover over a channel route (see src/domain/channel-accounts/channel-route-service.ts): the
 * deliveries whose account is part of a route, and what becomes of their sends — every outcome
 * counts for the account's circuit, and a transient failure moves the delivery to the next
 * account whose circuit is closed, due at once (the trail names both accounts). Deliveries
 * outside routes pass untouched and cost nothing.
 */

export type CandidateRoutes = ReadonlyMap<SendCandidate, readonly RouteAccount[]>;

/** The candidates routed over several accounts, with their route. */
export async function routesOfCandidates(candidates: readonly SendCandidate[], routes: ChannelRouteLookup): Promise<CandidateRoutes> {
  const result = new Map<SendCandidate, readonly RouteAccount[]>();
  if (candidates.length === 0) return result;
  const byApp = await routes.routesOf(candidates.map((candidate) => candidate.delivery.app_id));
  for (const candidate of candidates) {
    const route = byApp.get(candidate.delivery.app_id)?.get(candidate.delivery.channel);
    if (route?.some((account) => account.id === candidate.account.id)) result.set(candidate, route);
  }
  return result;
}

export const describeAccount = (account: Pick<RouteAccount, 'name' | 'type'>) => `"${account.name}" (${account.type})`;

/** Records the calls' outcomes for the circuits of routed accounts and answers each outcome, transient failures of routed deliveries turned into failovers. */
export async function applyFailover(
  sends: ReadonlyArray<{ candidate: SendCandidate; outcome: SendOutcome }>,
  candidateRoutes: CandidateRoutes,
  circuits: AccountCircuits,
): Promise<DeliveryOutcome[]> {
  const routed = sends.filter(({ candidate }) => candidateRoutes.has(candidate));
  if (routed.length === 0) return sends.map(({ outcome }) => outcome);
  const counted = routed.filter(({ outcome }) => outcome.kind === 'sent' || outcome.kind === 'retry');
  await circuits.record(counted.map(({ candidate, outcome }) => ({ accountId: candidate.account.id, transient: outcome.kind === 'retry' })));
  const failing = routed.filter(({ outcome }) => outcome.kind === 'retry');
  const open = failing.length === 0 ? new Set<string>() : await circuits.openAmong(failing.flatMap(({ candidate }) => candidateRoutes.get(candidate)!.map((account) => account.id)));
  return sends.map(({ candidate, outcome }) => {
    const route = candidateRoutes.get(candidate);
    if (!route || outcome.kind !== 'retry') return outcome;
    const next = nextRouteAccount(route, candidate.account.id, open);
    if (!next) return outcome;
    const current = route.find((account) => account.id === candidate.account.id)!;
    return {
      kind: 'rerouted',
      toAccountId: next.id,
      attemptUsed: true,
      code: outcome.code,
      message: `${describeAccount(current)} failed (${outcome.code}: ${outcome.message}); failing over to ${describeAccount(next)}`,
    };
  });
}

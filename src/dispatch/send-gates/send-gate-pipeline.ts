import { circuitBreakerGate } from './circuit-breaker-gate.ts';
import { flowLimitGate } from './flow-limit-gate.ts';
import { quotaGate } from './quota-gate.ts';
import type { GateDecision, SendCandidate, SendGate, SendGateServices } from './send-gate.ts';

/**
 * The gates a batch passes before the provider is called, in order. The flow limit spends window
 * slots on what it lets through, so a gate that holds deliveries back for a policy reason (quiet
 * hours, ...) or moves them to another account (an open circuit) goes before it. The quota gate
 * goes last: it spends a period's quota (a day's, a prepaid balance), dearer than a window slot,
 * so only on what every other gate let through. See docs/adding-a-policy.md.
 */
export const SEND_GATES: readonly SendGate[] = [circuitBreakerGate, flowLimitGate, quotaGate];

/** Runs the batch through the gates in order; each held delivery goes to `hold`, and what passed every gate is answered. */
export async function passSendGates(
  gates: readonly SendGate[],
  batch: readonly SendCandidate[],
  services: SendGateServices,
  hold: (candidate: SendCandidate, decision: GateDecision) => void,
): Promise<SendCandidate[]> {
  let passing = [...batch];
  for (const gate of gates) {
    if (passing.length === 0) break;
    const decisions = await gate(passing, services);
    passing = passing.filter((candidate) => {
      const decision = decisions.get(candidate);
      if (decision) hold(candidate, decision);
      return decision === undefined;
    });
  }
  return passing;
}

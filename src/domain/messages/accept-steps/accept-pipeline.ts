import type { AcceptStep } from './accept-draft.ts';
import { buildDeliveries } from './build-deliveries-step.ts';
import { expandReceivers } from './expand-receivers-step.ts';
import { optOut } from './opt-out-step.ts';
import { resolveAddresses } from './resolve-addresses-step.ts';

/**
 * Accept-time policies, in the order they decide (quiet hours, dedup, frequency caps, preferences...):
 * each one file in this folder that may skip or defer planned deliveries. See docs/adding-a-policy.md.
 */
export const POLICY_STEPS: readonly AcceptStep[] = [optOut];

/** Accepting a message, in order: who and where, then the policies, then the rows to write. */
export function acceptSteps(policies: readonly AcceptStep[] = POLICY_STEPS): readonly AcceptStep[] {
  return [expandReceivers, resolveAddresses, ...policies, buildDeliveries];
}

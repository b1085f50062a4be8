import type { AcceptStep, AcceptTransactionStep } from './accept-draft.ts';
import { dedup } from './dedup-step.ts';
import { digest } from './digest-step.ts';
import { expandReceivers } from './expand-receivers-step.ts';
import { optOut } from './opt-out-step.ts';
import { frequencyCap } from './frequency-cap-step.ts';
import { quietHours } from './quiet-hours-step.ts';
import { resolveAddresses } from './resolve-addresses-step.ts';

/**
 * Accept-time policies, in the order they decide (quiet hours, dedup, frequency caps, preferences...):
 * each one file in this folder that may skip or defer planned deliveries. See docs/adding-a-policy.md.
 */
export const POLICY_STEPS: readonly AcceptStep[] = [optOut, quietHours];

/**
 * Accept-time policies that count across requests and processes, run in order inside the accept
 * transaction after every plain step, so what an earlier policy skips spends no slot; dedup
 * before the cap, so a duplicate spends none either; digest before the cap too, so a digested
 * event spends none (the digest message itself is not capped).
 */
export const TRANSACTION_POLICY_STEPS: readonly AcceptTransactionStep[] = [dedup, digest, frequencyCap];

/** Accepting a message, in order: who and where, then the policies; the counting policies and buildDeliveries follow in the transaction. */
export function acceptSteps(policies: readonly AcceptStep[] = POLICY_STEPS): readonly AcceptStep[] {
  return [expandReceivers, resolveAddresses, ...policies];
}

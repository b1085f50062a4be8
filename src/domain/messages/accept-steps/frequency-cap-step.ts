import { createPolicyCounters } from '../policy-counters.ts';
import { liveDeliveries, skipDelivery, type AcceptTransactionStep } from './accept-draft.ts';
import { receiverCounterKey } from './receiver-counter-key.ts';

/**
 * Frequency cap (the message type's `frequencyCap`): at most `count` messages of the type per
 * receiver address and channel in a window of `perSeconds` that opens with the first one; more
 * are skipped `FREQUENCY_CAP`. Counted in `policy_counters` inside the accept transaction, across
 * processes: concurrent accepts never let more through together, and a message that is not
 * written spends nothing. Runs after the steps that skip (opt-outs, quiet hours that drop,
 * dedup): what they skip never spends a slot. Counted when accepted, held or not.
 */
export const frequencyCap: AcceptTransactionStep = async (draft, services, trx) => {
  const cap = draft.messageType?.policies.frequencyCap;
  if (!cap) return;
  const live = liveDeliveries(draft);
  if (live.length === 0) return;
  const takes = live.map((planned) => ({ key: receiverCounterKey('cap', draft, planned), limit: cap.count, windowMs: cap.perSeconds * 1000 }));
  const granted = await createPolicyCounters(services).take(draft.appId, takes, draft.nowMs, trx);
  live.forEach((planned, index) => {
    if (!granted[index]) skipDelivery(planned, 'FREQUENCY_CAP', `At most ${cap.count} messages of this type per ${cap.perSeconds} s to this receiver`);
  });
};

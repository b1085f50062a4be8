import { createPolicyCounters } from '../policy-counters.ts';
import { liveDeliveries, skipDelivery, type AcceptTransactionStep } from './accept-draft.ts';
import { receiverCounterKey } from './receiver-counter-key.ts';

/**
 * Content dedup (the message type's `dedupSeconds`): the same content to the same receiver
 * address within the window of the first one is skipped `DUPLICATE`. "The same content" is what
 * the message says before rendering (its template code or inline content, its data merged with
 * the receiver's) on the same channel for the same type, so a re-sent alert with a new value
 * goes out. Counted in `policy_counters` inside the accept transaction, across processes: of
 * two identical messages accepted at once one goes, and a message that is not written (an
 * idempotent retry that lost the race) leaves no trace that would make its twin a duplicate.
 */
export const dedup: AcceptTransactionStep = async (draft, services, trx) => {
  const dedupSeconds = draft.messageType?.policies.dedupSeconds;
  if (dedupSeconds === undefined) return;
  const live = liveDeliveries(draft);
  if (live.length === 0) return;
  const takes = live.map((planned) => ({ key: receiverCounterKey('dedup', draft, planned, draft.contentKey, planned.data), limit: 1, windowMs: dedupSeconds * 1000 }));
  const granted = await createPolicyCounters(services).take(draft.appId, takes, draft.nowMs, trx);
  live.forEach((planned, index) => {
    if (!granted[index]) skipDelivery(planned, 'DUPLICATE', `The same content went to this receiver within ${dedupSeconds} s`);
  });
};

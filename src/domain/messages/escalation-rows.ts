import { newId } from '../../ids.ts';
import type { DeliveriesTable, EscalationsTable } from '../../storage/schema.ts';
import type { AcceptDraft } from './accept-steps/accept-draft.ts';

/**
 * The escalations of a message being accepted: one per receiver with a delivery that goes out
 * (a receiver skipped everywhere has nothing to acknowledge) — or one for the whole message when
 * its steps name their own receivers (`to`), so they are not reached once per original
 * receiver — due `afterSeconds` after the
 * message's send time. Written in the accept transaction, so an accepted message of such a type
 * always escalates and a refused one never does.
 */
export function escalationRows(draft: AcceptDraft, deliveries: readonly DeliveriesTable[]): EscalationsTable[] {
  const escalation = draft.messageType?.policies.escalation;
  if (!escalation) return [];
  const live = deliveries.filter((delivery) => delivery.status !== 'skipped');
  if (live.length === 0) return [];
  const perMessage = escalation.steps.some((step) => step.to !== undefined);
  const receivers: Array<string | null> = perMessage ? [null] : [...new Set(live.map((delivery) => delivery.receiver))];
  const steps = JSON.stringify(escalation.steps);
  return receivers.map((receiver) => ({
    id: newId('esc', draft.nowMs),
    app_id: draft.appId,
    message_id: draft.messageId,
    receiver,
    steps,
    next_step: 0,
    follow_up_ids: '[]',
    status: 'waiting',
    run_at: draft.sendAtMs + escalation.steps[0]!.afterSeconds * 1000,
    lease_owner: null,
    lease_expires_at: null,
    created_at: draft.nowMs,
    updated_at: draft.nowMs,
  }));
}

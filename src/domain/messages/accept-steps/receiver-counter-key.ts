import { createHash } from 'node:crypto';
import type { AcceptDraft, PlannedDelivery } from './accept-draft.ts';

/**
 * The key a per-receiver policy counts a planned delivery under: the app, the policy and the
 * message type, the channel and the receiver's address there (the account itself when it is
 * the target, a group robot), plus what else the policy tells apart. Hashed: keys stay short.
 */
export function receiverCounterKey(policy: string, draft: AcceptDraft, planned: PlannedDelivery, ...parts: unknown[]): string {
  const receiver = planned.address ?? `account:${planned.account?.id ?? ''}`;
  const named = JSON.stringify([draft.appId, draft.messageType?.id ?? null, planned.channel, receiver, ...parts]);
  return `${policy}:${createHash('sha256').update(named).digest('base64url')}`;
}

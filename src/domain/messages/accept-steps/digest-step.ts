import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { newId } from '../../../ids.ts';
import { insertRows } from '../../../storage/insert-rows.ts';
import { liveDeliveries, skipDelivery, type AcceptTransactionStep, type PlannedDelivery } from './accept-draft.ts';

/** The value at a dotted data path (`order.shop`), as text; '' when absent. */
function valueAt(data: Record<string, unknown>, path: string): string {
  let value: unknown = data;
  for (const part of path.split('.')) value = value !== null && typeof value === 'object' && Object.hasOwn(value, part) ? (value as Record<string, unknown>)[part] : undefined;
  return value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Digest (the message type's `digest`): each delivery joins the open bucket of its type, channel,
 * receiver (its subscriber, else its address) and digest key — opening one that flushes `windowSeconds` later — and is
 * skipped `DIGESTED`, its data kept in `digest_items` for the digest message the scheduler sends
 * when the window ends (src/dispatch/digest-runner.ts). With `firstImmediately` the event that
 * opens a bucket goes out as usual. Inside the accept transaction: one upsert per draft counts the
 * events of each bucket and locks its row, so a flush claiming it waits for this accept to commit
 * and never misses an item; a message that is not written adds nothing. Messages sent for later
 * (`sendAt`) are not digested: a window that ended before they are due would send them early.
 */
export const digest: AcceptTransactionStep = async (draft, { database: { dialect } }, trx) => {
  const policy = draft.messageType?.policies.digest;
  if (policy === undefined || draft.sendAtMs > draft.nowMs) return;
  const live = liveDeliveries(draft);
  if (live.length === 0) return;
  const dataOf = (planned: PlannedDelivery) => (planned.data ? { ...draft.data, ...planned.data } : draft.data);
  const byKey = new Map<string, PlannedDelivery[]>();
  for (const planned of live) {
    // The receiver is the subscriber where there is one: a subscriber's browsers (one delivery each) share one window and get one digest each.
    const receiver = planned.subscriber ? `subscriber:${planned.subscriber.id}` : (planned.address ?? `account:${planned.account?.id ?? ''}`);
    const named = JSON.stringify([draft.appId, draft.messageType!.id, planned.channel, receiver, policy.key === undefined ? null : valueAt(dataOf(planned), policy.key)]);
    const key = `digest:${createHash('sha256').update(named).digest('base64url')}`;
    byKey.set(key, [...(byKey.get(key) ?? []), planned]);
  }
  // Sorted keys: concurrent accepts lock bucket rows in the same order and cannot deadlock.
  const keys = [...byKey.keys()].sort();
  const flushAtMs = draft.nowMs + policy.windowSeconds * 1000;
  const buckets = await trx
    .insertInto('digest_buckets')
    .values(
      keys.map((key) => {
        const first = byKey.get(key)![0]!;
        return {
          id: newId('dgb', draft.nowMs),
          app_id: draft.appId,
          type_code: draft.messageType!.code,
          open_key: key,
          channel: first.channel,
          receiver: JSON.stringify(first.receiver),
          locale: first.locale,
          template_code: policy.template,
          events: byKey.get(key)!.length,
          status: 'open' as const,
          flush_at: flushAtMs,
          run_at: flushAtMs,
          lease_owner: null,
          lease_expires_at: null,
          digest_message_id: null,
          last_error: null,
          created_at: draft.nowMs,
          updated_at: draft.nowMs,
        };
      }),
    )
    .onConflict((conflict) => conflict.column('open_key').doUpdateSet({ events: sql<number>`digest_buckets.events + excluded.events`, updated_at: sql<number>`excluded.updated_at` }))
    .returning(['id', 'open_key', 'events'])
    .execute();
  const items = [];
  for (const bucket of buckets) {
    const joining = byKey.get(bucket.open_key!)!;
    // The bucket's deliveries before this message: 0 when this message opened it, and then, with firstImmediately, all of its own go out.
    if (bucket.events === joining.length && policy.firstImmediately) continue;
    for (const planned of joining) {
      planned.deliveryId ??= newId('dlv', draft.nowMs);
      skipDelivery(planned, 'DIGESTED', `Collected into the ${draft.messageType!.code} digest sent when the window ends (bucket ${bucket.id})`);
      items.push({ id: newId('dgi', draft.nowMs), bucket_id: bucket.id, app_id: draft.appId, message_id: draft.messageId, delivery_id: planned.deliveryId, data: JSON.stringify(dataOf(planned)), at: draft.nowMs });
    }
  }
  await insertRows(trx, dialect, 'digest_items', items);
};

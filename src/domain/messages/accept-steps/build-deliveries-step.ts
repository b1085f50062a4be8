import { newId } from '../../../ids.ts';
import { isoTime } from '../../../iso-time.ts';
import type { DeliveriesTable } from '../../../storage/schema.ts';
import { eventRow } from '../../../deliveries/delivery-events.ts';
import { skipOf, type AcceptDraft, type AcceptServices } from './accept-draft.ts';

/**
 * Planned deliveries → delivery rows and their first events. A skipped one is stored final with
 * its reason; a deferred one `scheduled` at the latest time a step deferred it to (never before the
 * message's own send time), its max age counted from then. Each decision is one event in the trail;
 * a delivery nobody decided on writes none: the trail derives its first one (see initial-delivery-events.ts).
 */
export function buildDeliveries(draft: AcceptDraft, { config }: AcceptServices): void {
  const { appId, messageId, nowMs, sendAtMs } = draft;
  for (const planned of draft.planned) {
    const skip = skipOf(planned);
    const deferrals = planned.decisions.filter((decision) => decision.kind === 'deferred');
    const runAtMs = Math.max(sendAtMs, ...deferrals.map((decision) => decision.untilMs));
    const status: DeliveriesTable['status'] = skip ? 'skipped' : runAtMs > nowMs ? 'scheduled' : 'queued';
    // The reason the delivery is not simply queued: a skip, else the last deferral.
    const reason = skip ?? deferrals.at(-1);
    const retry = { ...draft.settings, ...draft.settings.channels?.[planned.channel] };
    const id = (planned.deliveryId ??= newId('dlv', nowMs));
    draft.deliveries.push({
      id,
      message_id: messageId,
      app_id: appId,
      channel: planned.channel,
      channel_account_id: planned.account?.id ?? null,
      receiver: JSON.stringify(planned.receiver),
      subscriber_id: planned.subscriber?.id ?? null,
      address: planned.address,
      data: planned.data ? JSON.stringify(planned.data) : null,
      locale: planned.locale,
      status,
      priority: draft.priority,
      run_at: skip ? null : runAtMs,
      attempts: 0,
      max_attempts: retry.maxAttempts ?? config.delivery.maxAttempts,
      expires_at: (skip ? sendAtMs : runAtMs) + (retry.maxAgeSeconds ?? config.delivery.maxAgeSeconds) * 1000,
      lease_owner: null,
      lease_expires_at: null,
      provider_message_id: null,
      last_error_code: reason?.code ?? null,
      last_error_message: reason?.message ?? null,
      created_at: nowMs,
      updated_at: nowMs,
      sent_at: null,
    });
    const event = { messageId, deliveryId: id, appId, at: nowMs };
    for (const decision of planned.decisions) {
      const detail = decision.kind === 'deferred' ? `${decision.message} (until ${isoTime(decision.untilMs)})` : decision.message;
      draft.events.push(eventRow({ ...event, type: decision.kind, code: decision.code, detail }));
    }
  }
}

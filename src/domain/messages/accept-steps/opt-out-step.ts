import type { SubscriberPreferences } from '../../subscribers/subscriber-preferences.ts';
import { receives } from '../../subscribers/subscriber-preferences.ts';
import { liveDeliveries, skipDelivery, type AcceptStep } from './accept-draft.ts';

/** Rows per IN list: far below either dialect's parameter limit (a send has up to 1,000 receivers). */
const IDS_PER_QUERY = 1000;

/**
 * Subscribers' opt-outs (subscriber-preferences.ts): a delivery to a subscriber who opted out of
 * this type, its category, its channel or everything is skipped OPTED_OUT. Critical types bypass
 * opt-outs. Receivers that are addresses or accounts have no preferences.
 */
export const optOut: AcceptStep = async (draft, { database: { db } }) => {
  const type = draft.messageType;
  if (type?.critical) return;
  const live = liveDeliveries(draft).filter((planned) => planned.subscriber !== undefined);
  const ids = [...new Set(live.map((planned) => planned.subscriber!.id))];
  const preferences = new Map<string, SubscriberPreferences>();
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
    const rows = await db.selectFrom('subscriber_preferences').select(['subscriber_id', 'preferences']).where('subscriber_id', 'in', ids.slice(start, start + IDS_PER_QUERY)).execute();
    for (const row of rows) preferences.set(row.subscriber_id, JSON.parse(row.preferences) as SubscriberPreferences);
  }
  for (const planned of live) {
    const own = preferences.get(planned.subscriber!.id);
    if (own && !receives(own, planned.channel, type)) {
      skipDelivery(planned, 'OPTED_OUT', type ? `The subscriber opted out of ${type.code} on ${planned.channel}` : `The subscriber opted out of ${planned.channel}`);
    }
  }
};

import type { DatabaseNotifications } from '../storage/database-notifications.ts';

/** The notification channel carrying inbox changes between processes (to their live streams and caches). */
export const INBOX_NOTIFY_CHANNEL = 'herald_inbox';

/**
 * What changed in an app's inboxes. A change is only a hint for live streams and caches: they
 * read the entries themselves, so a change names ids, never content.
 */
export type InboxChange =
  /** New private items, of one subscriber or of several (a message to many, deposited together). */
  | { kind: 'items'; appId: string; items: Array<{ subscriberId: string; id: string }> }
  /** One subscriber changed entries (read, archived, deleted): their other tabs update. */
  | { kind: 'states'; appId: string; subscriberId: string; ids: string[] }
  /** An announcement of the app was published, edited, withdrawn or comes due. */
  | { kind: 'announcements'; appId: string; ids: string[] };

export function publishInboxChange(notifications: DatabaseNotifications, change: InboxChange): void {
  notifications.publish(INBOX_NOTIFY_CHANNEL, JSON.stringify(change));
}

/** Calls `listener` with every inbox change, from this process or another; returns the unsubscribe function. */
export function subscribeToInboxChanges(notifications: DatabaseNotifications, listener: (change: InboxChange) => void): () => void {
  return notifications.subscribe(INBOX_NOTIFY_CHANNEL, (payload) => listener(JSON.parse(payload) as InboxChange));
}

import type { DatabaseNotifications } from '../storage/database-notifications.ts';

/** The notification channel carrying "deliveries were queued" hints between processes. */
export const DELIVERIES_NOTIFY_CHANNEL = 'herald_deliveries';

/**
 * Latency hints for workers: a NOTIFY is only a hint, polling guarantees progress. Within a
 * process listeners are called directly; on PostgreSQL the hint reaches workers in other
 * processes through the database notifications (a burst of accepts sends few NOTIFYs).
 */
export interface DeliveryWakeup {
  /** Call after committing queued deliveries (accept, retry). */
  notifyDeliveriesQueued(): void;
  /** Calls `listener` on every hint; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export function createDeliveryWakeup(notifications: DatabaseNotifications): DeliveryWakeup {
  return {
    notifyDeliveriesQueued: () => notifications.publish(DELIVERIES_NOTIFY_CHANNEL, ''),
    subscribe: (listener) => notifications.subscribe(DELIVERIES_NOTIFY_CHANNEL, listener),
  };
}

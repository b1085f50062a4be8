/**
 * The delivery and message state machine: every status, which are final, and which moves
 * are allowed. The schema's row types, the queries that pick deliveries by status and the
 * API's status enums all derive from here. Imports nothing, so every layer may use it
 * (storage/schema.ts included).
 */

export const DELIVERY_STATUSES = ['queued', 'scheduled', 'sending', 'retrying', 'sent', 'delivered', 'read', 'recalled', 'undelivered', 'failed', 'canceled', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A final delivery no longer counts in its message's `pending_count`; no worker touches it again. */
export const FINAL_DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'recalled', 'undelivered', 'failed', 'canceled', 'skipped'] as const satisfies readonly DeliveryStatus[];

/** Reached the platform: a recall may take these back. */
export const SENT_DELIVERY_STATUSES = ['sent', 'delivered', 'read'] as const satisfies readonly FinalDeliveryStatus[];
export type FinalDeliveryStatus = (typeof FINAL_DELIVERY_STATUSES)[number];

/** Waiting in the queue to be claimed (`run_at` set); a cancel stops exactly these. */
export const WAITING_DELIVERY_STATUSES = ['queued', 'scheduled', 'retrying'] as const satisfies readonly DeliveryStatus[];

/** Final statuses a manual retry puts back in the queue. */
export const RETRYABLE_DELIVERY_STATUSES = ['failed', 'undelivered', 'canceled'] as const satisfies readonly FinalDeliveryStatus[];

/**
 * Every allowed move. Accepting creates a delivery queued, scheduled (for its send time) or
 * skipped (up front). Claiming: waiting → sending. A send's outcome: sending → sent, retrying,
 * queued (deferred by a send gate before a first attempt, or released by a stopping worker), failed,
 * skipped (by a send gate).
 * Cancel: waiting → canceled. Manual retry: failed, undelivered or canceled → queued. What the platform
 * reports later (receipts, result queries): sent → delivered → read, or sent → undelivered when it
 * accepted the call but could not deliver. Recall: sent, delivered or read → recalled.
 */
export const DELIVERY_TRANSITIONS = {
  queued: ['sending', 'canceled'],
  scheduled: ['sending', 'canceled'],
  retrying: ['sending', 'canceled'],
  sending: ['sent', 'retrying', 'queued', 'failed', 'skipped'],
  sent: ['delivered', 'read', 'undelivered', 'recalled'],
  delivered: ['read', 'undelivered', 'recalled'],
  read: ['recalled'],
  recalled: [],
  undelivered: ['queued'],
  failed: ['queued'],
  canceled: ['queued'],
  skipped: [],
} as const satisfies { readonly [From in DeliveryStatus]: readonly DeliveryStatus[] };

export const MESSAGE_STATUSES = ['accepted', 'completed', 'partially_failed', 'failed', 'canceled'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** A message is final once none of its deliveries is pending (see message-completion.ts for which one). */
export const FINAL_MESSAGE_STATUSES = ['completed', 'partially_failed', 'failed', 'canceled'] as const satisfies readonly MessageStatus[];
export type FinalMessageStatus = (typeof FINAL_MESSAGE_STATUSES)[number];

/**
 * Accepted → final when its last delivery settles; back to accepted when one of its failed
 * or canceled deliveries is retried by hand (a completed message has none). A final message
 * is decided again when the platform later reports a sent delivery failed (result queries):
 * completed → partially_failed or failed, partially_failed → failed.
 */
export const MESSAGE_TRANSITIONS = {
  accepted: FINAL_MESSAGE_STATUSES,
  completed: ['partially_failed', 'failed'],
  partially_failed: ['accepted', 'failed'],
  failed: ['accepted'],
  canceled: ['accepted'],
} as const satisfies { readonly [From in MessageStatus]: readonly MessageStatus[] };

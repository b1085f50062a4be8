import type { SendOutcome } from '../providers/provider.ts';
import type { DeliveriesTable } from '../storage/schema.ts';
import { retryDelayMs, type BackoffPolicy } from './backoff.ts';
import type { DeliveryEventType } from './delivery-events.ts';
import type { DeliveryStatus } from './delivery-status.ts';

/** What became of one claimed delivery: a provider's answer, or a verdict of the worker itself. */
export type DeliveryOutcome =
  | SendOutcome
  /**
   * A send gate held it back until `untilMs` (the flow limit, ...); nothing was sent. The trail
   * records `trailEvent` (default `deferred`; the flow limit keeps its own `flow_limited`).
   */
  | { kind: 'deferred'; untilMs: number; code: string; message: string; trailEvent?: 'deferred' | 'flow_limited' }
  /** A send gate decided it is not to be sent; nothing was sent. */
  | { kind: 'skipped'; code: string; message: string }
  /**
   * Moved to another account of its channel route (failover), due at once: after a transient
   * failure of this attempt (`attemptUsed`), or before sending because the account's circuit is open.
   */
  | { kind: 'rerouted'; toAccountId: string; attemptUsed: boolean; code: string; message: string }
  /** The worker holding the lease vanished; the send may or may not have happened. */
  | { kind: 'lease_expired' };

export interface DeliveryResult {
  /** The row as claimed: `attempts` already counts this attempt. */
  delivery: DeliveriesTable;
  outcome: DeliveryOutcome;
}

/** The row update and the events one result turns into. */
export interface DeliveryTransition {
  id: string;
  status: DeliveryStatus;
  runAt: number | null;
  attempts: number;
  providerMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  sentAt: number | null;
  /** Set when the delivery moves to another channel account (failover); null keeps its account. */
  channelAccountId: string | null;
  events: Array<{ type: DeliveryEventType; attempt: number; code: string | null; detail: string | null }>;
}

export interface TransitionPolicy {
  backoff: BackoffPolicy;
  nowMs: number;
}

/**
 * Decides what happens next: the worker, not the provider, owns retries. A retry fails
 * the delivery once its attempts are used up or its next run would fall past its max age;
 * rate limits and send gates' deferrals reschedule without burning an attempt (only the max age stops them).
 */
export function transitionFor({ delivery, outcome }: DeliveryResult, policy: TransitionPolicy): DeliveryTransition {
  const { nowMs } = policy;
  const attempt = delivery.attempts;
  const base = { id: delivery.id, providerMessageId: null, sentAt: null, channelAccountId: null };
  const expiresBefore = (runAtMs: number) => nowMs >= delivery.expires_at || runAtMs > delivery.expires_at;

  const fail = (attempts: number, code: string, message: string, leadingEvents: DeliveryTransition['events'] = []): DeliveryTransition => ({
    ...base,
    status: 'failed',
    runAt: null,
    attempts,
    errorCode: code,
    errorMessage: message,
    events: [...leadingEvents, { type: 'failed', attempt: attempts, code, detail: message }],
  });

  const reschedule = (
    status: DeliveryStatus,
    attempts: number,
    runAtMs: number,
    type: DeliveryEventType,
    code: string,
    message: string,
  ): DeliveryTransition => ({
    ...base,
    status,
    runAt: runAtMs,
    attempts,
    errorCode: code,
    errorMessage: message,
    events: [{ type, attempt: attempts, code, detail: message }],
  });

  switch (outcome.kind) {
    case 'sent':
      return {
        ...base,
        status: 'sent',
        runAt: null,
        attempts: attempt,
        providerMessageId: outcome.providerMessageId ?? null,
        errorCode: null,
        errorMessage: null,
        sentAt: nowMs,
        events: [{ type: 'sent', attempt, code: null, detail: outcome.providerMessageId ? `provider message id ${outcome.providerMessageId}` : null }],
      };
    case 'failed':
      return fail(attempt, outcome.code, outcome.message);
    case 'retry': {
      const runAtMs = nowMs + retryDelayMs(policy.backoff, attempt, outcome.retryAfterMs);
      if (attempt >= delivery.max_attempts) return fail(attempt, outcome.code, `${outcome.message} (gave up after ${attempt} attempts)`);
      if (expiresBefore(runAtMs)) return fail(attempt, outcome.code, `${outcome.message} (gave up: max age reached)`);
      return reschedule('retrying', attempt, runAtMs, 'retrying', outcome.code, outcome.message);
    }
    case 'rate_limited': {
      // The provider refused before sending: the attempt is given back.
      const runAtMs = nowMs + retryDelayMs(policy.backoff, attempt, outcome.retryAfterMs);
      if (expiresBefore(runAtMs)) return fail(attempt - 1, outcome.code, `${outcome.message} (gave up: max age reached)`);
      return reschedule('retrying', attempt - 1, runAtMs, 'rate_limited', outcome.code, outcome.message);
    }
    case 'deferred': {
      const runAtMs = Math.max(nowMs, outcome.untilMs);
      if (expiresBefore(runAtMs)) return fail(attempt - 1, outcome.code, `${outcome.message} (gave up: max age reached)`);
      return reschedule(attempt - 1 > 0 ? 'retrying' : 'queued', attempt - 1, runAtMs, outcome.trailEvent ?? 'deferred', outcome.code, outcome.message);
    }
    case 'skipped':
      return {
        ...base,
        status: 'skipped',
        runAt: null,
        attempts: attempt - 1,
        errorCode: outcome.code,
        errorMessage: outcome.message,
        events: [{ type: 'skipped', attempt: attempt - 1, code: outcome.code, detail: outcome.message }],
      };
    case 'rerouted': {
      const attempts = outcome.attemptUsed ? attempt : attempt - 1;
      if (outcome.attemptUsed && attempt >= delivery.max_attempts) return fail(attempt, outcome.code, `${outcome.message} (gave up after ${attempt} attempts)`);
      if (expiresBefore(nowMs)) return fail(attempts, outcome.code, `${outcome.message} (gave up: max age reached)`);
      return {
        ...reschedule(attempts > 0 ? 'retrying' : 'queued', attempts, nowMs, 'rerouted', outcome.code, outcome.message),
        channelAccountId: outcome.toAccountId,
      };
    }
    case 'lease_expired': {
      // Crash recovery: the lease already made it wait, so it runs again at once.
      const code = 'LEASE_EXPIRED';
      const message = 'The worker holding this delivery stopped before reporting a result';
      const leaseEvent = { type: 'lease_expired' as const, attempt, code, detail: message };
      if (attempt >= delivery.max_attempts) return fail(attempt, code, `${message} (gave up after ${attempt} attempts)`, [leaseEvent]);
      if (expiresBefore(nowMs)) return fail(attempt, code, `${message} (gave up: max age reached)`, [leaseEvent]);
      return reschedule('retrying', attempt, nowMs, 'lease_expired', code, message);
    }
  }
}

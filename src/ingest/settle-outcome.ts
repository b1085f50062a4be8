import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.ts';
import type { Problem } from '../problem.ts';
import { replyBody, type IngestOutcome } from './ingest-adapter.ts';

/** The broker's ways of settling one message, each resolved once the broker has taken it. */
export interface BrokerSettlement {
  /** Done with the message: the broker forgets it. */
  ack(): Promise<void> | void;
  /** Keeps the message, with the problem attached, where an operator finds it (see docs/brokers.md per broker). */
  deadLetter(problem: Problem, appId: string | undefined): Promise<void>;
  /** Publishes the outcome to the request's reply address. */
  reply(address: string, body: Buffer): Promise<void>;
  /** Leaves the message unacknowledged, to be delivered again after the delay. */
  retry(delayMs: number): Promise<void> | void;
}

/**
 * The one order every adapter settles in: a dead letter or a reply is published (and confirmed) before
 * the ack, so a crash between the two delivers the request again (an idempotent replay) instead of
 * losing its outcome; a retry is never acked. A failure to publish leaves the message unacked too.
 */
export async function settleOutcome(outcome: IngestOutcome, replyTo: string | undefined, settlement: BrokerSettlement, logger: Logger, retryDelayMs: number): Promise<void> {
  try {
    if (outcome.kind === 'retry') return await settlement.retry(outcome.retryAfterMs);
    if (outcome.kind === 'refused') await settlement.deadLetter(outcome.problem, outcome.appId);
    const mayReply = outcome.kind === 'accepted' || outcome.replyAllowed;
    if (replyTo !== undefined && replyTo !== '' && mayReply) await settlement.reply(replyTo, replyBody(outcome));
    await settlement.ack();
  } catch (error) {
    logger.warn({ err: error }, 'could not settle a broker message; it is delivered again');
    try {
      await settlement.retry(retryDelayMs);
    } catch {
      // The connection is gone: the broker delivers what was not acked again once it is back.
    }
  }
}

/** The messages an adapter has in hand, so `stop()` lets them settle before it disconnects. */
export function createInFlight() {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work: Promise<unknown>): void {
      pending.add(work);
      void work.finally(() => pending.delete(work));
    },
    get size() {
      return pending.size;
    },
    /** Resolves once fewer than `limit` are in hand. */
    async waitForRoom(limit: number): Promise<void> {
      while (pending.size >= limit) await Promise.race(pending);
    },
    async drain(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

/** Waits `ms`, or less when `signal` aborts (the adapter stops: unacked messages go back to the broker anyway). */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

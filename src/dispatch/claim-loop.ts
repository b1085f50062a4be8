import type { Logger } from '../logger.ts';
import { createWakeSignal } from './wake-signal.ts';

const REFILL_DELAY_MS = 20;

export interface ClaimLoopOptions<T> {
  /** Items claimed and not yet done, at most. */
  maxClaimed: number;
  /** Items per claim at most. */
  batchSize: number;
  /** Pause when nothing was due (wake-ups cut it short). */
  pollIntervalMs: number;
  /** Leases up to `limit` due items. */
  claim(limit: number): Promise<T[]>;
  /** Works through a claimed batch, calling `done` once per item as soon as it is finished. */
  process(items: T[], done: () => void): Promise<void>;
  /** Finished items not yet written back; they count against capacity so results cannot pile up without bound. */
  unwritten(): number;
  /** Runs before each claim, e.g. taking over expired leases. */
  beforeClaim?(): Promise<void>;
  logger: Logger;
}

export interface ClaimLoop {
  start(): void;
  /** Stops claiming and waits for the loop to leave; batches in flight keep running (see `settled`). */
  stop(): Promise<void>;
  wake(): void;
  /** Call after results were written: capacity may be free again. */
  written(): void;
  /** Resolves when every batch started so far has finished. */
  settled(): Promise<void>;
  /** After `stop`: waits for the batches in flight up to `timeoutMs`; then calls `abort` (cut their calls short) and waits for them. */
  settleWithin(timeoutMs: number, abort: () => void): Promise<void>;
  /**
   * For tests and one-shot runs, on a loop that is not started: claims batches of up to `limit`
   * and processes each (then `afterBatch`, e.g. writing results) until nothing is due. Answers the count.
   */
  drain(limit: number, afterBatch?: () => Promise<void>): Promise<number>;
  /** Items claimed and not yet done. */
  readonly active: number;
}

/**
 * The polling skeleton the workers share: claim as many items as there are free slots,
 * hand them off without waiting, and claim again once a worthwhile number of slots is
 * free, or when woken, or after the poll interval.
 */
export function createClaimLoop<T>(options: ClaimLoopOptions<T>): ClaimLoop {
  const { maxClaimed, batchSize, pollIntervalMs, logger } = options;
  const maxOutstanding = maxClaimed + 2 * batchSize;
  // Claiming a handful of items at a time wastes queries: wait until this many slots are free,
  // or until a few slots have been free for REFILL_DELAY_MS (slow sends free slots one by one).
  const refillThreshold = Math.max(1, Math.min(batchSize, Math.ceil(maxClaimed / 2)));
  let lastClaimAtMs = -Infinity;
  const wakeSignal = createWakeSignal();
  const batches = new Set<Promise<void>>();
  let active = 0;
  let running = false;
  /** While the loop waits for free slots: 'any' wakes it on the first free slot, 'refill' only at the threshold. */
  let waitingFor: 'nothing' | 'any' | 'refill' = 'nothing';
  let loop: Promise<void> | undefined;

  const capacity = () => Math.min(maxClaimed - active, maxOutstanding - active - options.unwritten());

  const slotFreed = () => {
    const free = capacity();
    if ((waitingFor === 'any' && free > 0) || (waitingFor === 'refill' && free >= refillThreshold)) wakeSignal.wake();
  };

  const done = () => {
    active--;
    slotFreed();
  };

  async function run(): Promise<void> {
    while (running) {
      try {
        await options.beforeClaim?.();
        const free = capacity();
        const sinceClaimMs = performance.now() - lastClaimAtMs;
        if (free < refillThreshold && !(free > 0 && sinceClaimMs >= REFILL_DELAY_MS)) {
          waitingFor = free > 0 ? 'refill' : 'any';
          await wakeSignal.wait(free > 0 ? REFILL_DELAY_MS - sinceClaimMs : pollIntervalMs);
          waitingFor = 'nothing';
          continue;
        }
        lastClaimAtMs = performance.now();
        const requested = Math.min(batchSize, free);
        const items = await options.claim(requested);
        if (items.length > 0) {
          active += items.length;
          const batch = options
            .process(items, done)
            .catch((error: unknown) => logger.error({ err: error }, 'processing a claimed batch failed'))
            .finally(() => batches.delete(batch));
          batches.add(batch);
        }
        if (items.length < requested) await wakeSignal.wait(pollIntervalMs);
      } catch (error) {
        logger.error({ err: error }, 'claiming failed; trying again after the poll interval');
        await wakeSignal.wait(pollIntervalMs);
      }
    }
  }

  async function settled(): Promise<void> {
    await Promise.allSettled([...batches]);
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wakeSignal.wake();
      await loop;
    },
    wake: () => wakeSignal.wake(),
    written: slotFreed,
    settled,
    async settleWithin(timeoutMs, abort) {
      const inFlight = settled();
      let timer: NodeJS.Timeout | undefined;
      const finishedInTime = await Promise.race([inFlight.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))]);
      clearTimeout(timer);
      if (finishedInTime) return;
      abort();
      await inFlight;
    },
    async drain(limit, afterBatch) {
      let handled = 0;
      for (;;) {
        const items = await options.claim(limit);
        if (items.length === 0) return handled;
        await options.process(items, () => undefined);
        await afterBatch?.();
        handled += items.length;
      }
    },
    get active() {
      return active;
    },
  };
}

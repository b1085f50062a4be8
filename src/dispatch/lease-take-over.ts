import type { Kysely, RawBuilder } from 'kysely';
import type { Clock } from '../clock.ts';
import type { HeraldSchema } from '../storage/schema.ts';
import type { LeasedQueue, LeaseFilter } from './leased-queue.ts';
import type { WorkerHeartbeat } from './worker-heartbeat.ts';

/**
 * What a worker over a leased table (callbacks, result checks) does before claiming: rows
 * leased by dead workers come due again — leases that ran out, those of workers whose
 * heartbeats stopped, and, once per start, those still leased under this worker's id by an
 * earlier process that died. The next claim counts their attempt.
 */

export interface LeaseTakeOverOptions {
  queue: Pick<LeasedQueue<unknown>, 'requeue'>;
  db: Kysely<HeraldSchema>;
  clock: Clock;
  /** What a requeued row needs set besides being due (its waiting status, updated_at). */
  requeueAlso(nowMs: number): RawBuilder<unknown>;
  heartbeat?: WorkerHeartbeat;
  /** Looked for at most this often while claiming: about as often as live workers heartbeat. */
  intervalMs: number;
  /** Told how many rows came due again, when any did. */
  onTakenOver(count: number): void;
}

export interface LeaseTakeOver {
  /** Takes dead workers' leases over now (drain does, before claiming). */
  run(): Promise<void>;
  /** `run` when `intervalMs` has passed since the last one: the claim loop's `beforeClaim`. */
  runIfDue(): Promise<void>;
  /** On start: the next `runIfDue` runs, and looks for an earlier process's leases again. */
  reset(): void;
}

export function createLeaseTakeOver(options: LeaseTakeOverOptions): LeaseTakeOver {
  const { queue, db, clock } = options;
  let lastRunAtMs = -Infinity;
  let earlierLeasesTakenOver = false;

  async function run(): Promise<void> {
    const nowMs = clock.now();
    const filters: LeaseFilter[] = [{ lapsedAtMs: nowMs, staleBeforeMs: options.heartbeat?.staleBeforeMs() }, ...(earlierLeasesTakenOver ? [] : ['own' as const])];
    let requeued = 0;
    for (const filter of filters) requeued += (await queue.requeue(db, filter, nowMs, options.requeueAlso(nowMs))).length;
    earlierLeasesTakenOver = true;
    if (requeued > 0) options.onTakenOver(requeued);
  }

  return {
    run,
    async runIfDue() {
      // Monotonic: the interval is real time between claims, whatever the injected clock says.
      const nowMs = performance.now();
      if (nowMs - lastRunAtMs < options.intervalMs) return;
      lastRunAtMs = nowMs;
      await run();
    },
    reset() {
      lastRunAtMs = -Infinity;
      earlierLeasesTakenOver = false;
    },
  };
}

import { sql, type RawBuilder } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { LeasedQueue } from './leased-queue.ts';

/** What a poll does: the due rows it ran. */
export interface PolledLeaseRunner {
  /** Polls every `pollIntervalMs`, one poll at a time. */
  start(): void;
  /** Waits for the poll in progress, then gives the rows this process holds back at once rather than when their leases lapse. */
  stop(): Promise<void>;
  /** One poll: every due row, claimed in batches and run one by one. Tests call it with a ManualClock. */
  runDue(): Promise<number>;
}

export interface PolledLeaseRunnerOptions<Row extends { id: string }> {
  database: HeraldDatabase;
  clock: Clock;
  queue: LeasedQueue<Row>;
  /** The runner's child logger. */
  log: Logger;
  pollIntervalMs: number;
  /** The status a row waits in (a row given back returns to it). */
  waitingStatus: string;
  /** Assignments besides the lease when a row is claimed (e.g. recording the first claim time). */
  onClaim?: (nowMs: number) => RawBuilder<unknown>;
  /** Runs one claimed row; a throw leaves it leased, so it runs again once its lease lapses. */
  run(row: Row): Promise<void>;
  /** What a row is, for log lines: `schedule tick`, `digest flush`, `escalation step`. */
  what: string;
}

const CLAIM_BATCH = 20;

/**
 * The skeleton of the scheduler role's runners over a leased table (schedules, digests,
 * escalations): poll, give back what dead runners held (lapsed leases, and once those of an
 * earlier process under this worker id), claim due rows in batches and run each; at stop, give
 * back what this process holds. The work per row is the runner's own.
 */
export function createPolledLeaseRunner<Row extends { id: string }>(options: PolledLeaseRunnerOptions<Row>): PolledLeaseRunner {
  const { database, clock, queue, log } = options;
  const { db } = database;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let ownTakenBack = false;
  const waiting = (nowMs: number) => sql`status = ${options.waitingStatus}, updated_at = ${nowMs}`;

  async function runDue(): Promise<number> {
    let ran = 0;
    const nowMs = clock.now();
    if (!ownTakenBack) {
      await queue.requeue(db, 'own', nowMs, waiting(nowMs));
      ownTakenBack = true;
    }
    await queue.requeue(db, { lapsedAtMs: nowMs }, nowMs, waiting(nowMs));
    for (;;) {
      const also = options.onClaim ? sql`${options.onClaim(nowMs)}, updated_at = ${nowMs}` : sql`updated_at = ${nowMs}`;
      const claimed = await queue.claim(db, CLAIM_BATCH, nowMs, also);
      for (const row of claimed) {
        try {
          await options.run(row);
          ran++;
        } catch (error) {
          log.error({ err: error, id: row.id }, `a ${options.what} failed; it runs again once its lease lapses`);
        }
      }
      if (claimed.length < CLAIM_BATCH) return ran;
    }
  }

  return {
    start() {
      timer = setInterval(() => {
        running ??= runDue()
          .catch((error: unknown) => log.error({ err: error }, `claiming due ${options.what}s failed`))
          .finally(() => (running = undefined));
      }, options.pollIntervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
      const nowMs = clock.now();
      await queue.requeue(db, 'own', nowMs, waiting(nowMs));
      ownTakenBack = false;
    },
    runDue,
  };
}

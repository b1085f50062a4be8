import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import { HeraldError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { nextTickAfter } from '../schedule-timing.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { SchedulesTable } from '../storage/schema.ts';
import { createPolledLeaseRunner } from './polled-lease-runner.ts';
import { createLeasedQueue, runAtLeasedTable } from './leased-queue.ts';

/** `run_at` is set exactly while a tick waits; the `schedules_due` index serves the claim order. */
export const SCHEDULES_QUEUE = runAtLeasedTable('schedules', 'running');

/** A tick first claimed this long after its time was missed (the schedulers were down): its schedule's `missed_ticks` decides. */
export const MISSED_TICK_GRACE_MS = 60_000;

/** Ticks claimed per query; a process runs them one after another. */

/** The idempotency key of one tick's message: a tick accepted again (after a crash before its advance) replays the first message. */
export const tickIdempotencyKey = (scheduleId: string, tickAtMs: number) => `schedule:${scheduleId}:${tickAtMs}`;

export interface ScheduleRunnerOptions {
  database: HeraldDatabase;
  clock: Clock;
  /** Accepts a stored send request (JSON) for the app, as POST /v1/messages would with this idempotency key. */
  accept(appId: string, message: string, idempotencyKey: string): Promise<{ id: string }>;
  workerId: string;
  leaseSeconds: number;
  pollIntervalMs: number;
  logger: Logger;
}

export interface ScheduleRunner {
  start(): void;
  stop(): Promise<void>;
  /** Runs every tick due now (after taking over ticks whose runner died); answers how many ran. Tests call it with a ManualClock. */
  runDue(): Promise<number>;
}

type TickOutcome = { outcome: 'sent'; messageId: string } | { outcome: 'skipped'; reason: string } | { outcome: 'failed'; reason: string };

/**
 * Runs schedules in the scheduler role. Each tick runs exactly once however many schedulers
 * run: a scheduler leases the schedule (leased-queue.ts), accepts its message under a key made of
 * the schedule id and the tick time, then — only while it still holds the lease — advances `run_at`
 * to the first tick after now. A scheduler that dies between the two leaves a lease that lapses;
 * the next one runs the same tick again, and the intake answers with the message already accepted.
 * A tick first claimed within MISSED_TICK_GRACE_MS of its time is on time, and the next one follows
 * it (a slow tick delays the next, it does not lose it). One claimed later was missed (the schedulers
 * were down): the ticks missed collapse into it, which `run-once` sends and `skip` drops, and the
 * schedule goes on from the first tick after now — a backlog is never sent.
 */
export function createScheduleRunner(options: ScheduleRunnerOptions): ScheduleRunner {
  const { database, clock, workerId } = options;
  const { db } = database;
  const log = options.logger.child({ component: 'schedule-runner', workerId });
  const queue = createLeasedQueue({ database, table: SCHEDULES_QUEUE, workerId, leaseSeconds: options.leaseSeconds });

  async function runTick(schedule: SchedulesTable): Promise<void> {
    const tickAtMs = schedule.tick_at!;
    const lateMs = (schedule.tick_claimed_at ?? clock.now()) - tickAtMs;
    const missed = lateMs > MISSED_TICK_GRACE_MS;
    let result: TickOutcome;
    if (missed && schedule.missed_ticks === 'skip') {
      result = { outcome: 'skipped', reason: `MISSED_TICK: the tick of ${new Date(tickAtMs).toISOString()} was missed (first run ${Math.round(lateMs / 1000)} s late)` };
    } else {
      try {
        result = { outcome: 'sent', messageId: (await options.accept(schedule.app_id, schedule.message, tickIdempotencyKey(schedule.id, tickAtMs))).id };
      } catch (error) {
        // A refusal (a template deleted since, a receiver gone) is this tick's result; anything else leaves the lease to lapse and the tick to run again.
        if (!(error instanceof HeraldError)) throw error;
        result = { outcome: 'failed', reason: `${error.code}: ${error.message}` };
      }
    }
    const nowMs = clock.now();
    const nextMs = nextTickAfter({ cron: schedule.cron, timeZone: schedule.time_zone, onceAtMs: schedule.once_at }, missed ? Math.max(nowMs, tickAtMs) : tickAtMs) ?? null;
    await db
      .updateTable('schedules')
      .set({
        status: nextMs === null ? 'finished' : 'waiting',
        tick_at: nextMs,
        tick_claimed_at: null,
        run_at: nextMs,
        lease_owner: null,
        lease_expires_at: null,
        runs: sql`runs + ${result.outcome === 'sent' ? 1 : 0}`,
        last_tick_at: tickAtMs,
        last_outcome: result.outcome,
        last_message_id: result.outcome === 'sent' ? result.messageId : null,
        last_error: result.outcome === 'sent' ? null : result.reason,
        updated_at: nowMs,
      })
      .where('id', '=', schedule.id)
      // Paused, deleted or taken over meanwhile: the tick's message stands, the advance is not this runner's to write.
      .where(queue.held())
      .execute();
    // One line per tick: scheduled sends are few, and the line says which process ran it.
    if (result.outcome === 'sent') log.info({ scheduleId: schedule.id, tickAt: tickAtMs, messageId: result.messageId }, 'schedule tick sent');
    else log.info({ scheduleId: schedule.id, tickAt: tickAtMs, outcome: result.outcome, reason: result.reason }, 'schedule tick not sent');
  }

  return createPolledLeaseRunner<SchedulesTable>({
    database,
    clock,
    queue,
    log,
    pollIntervalMs: options.pollIntervalMs,
    waitingStatus: 'waiting',
    onClaim: (nowMs) => sql`tick_claimed_at = coalesce(tick_claimed_at, ${nowMs})`,
    run: runTick,
    what: 'schedule tick',
  });
}

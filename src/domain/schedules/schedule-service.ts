import type { HeraldContext } from '../../context/herald-context.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { isoTime } from '../../iso-time.ts';
import { canonicalScheduleTimeZone, checkCron, nextTickAfter, ticksFrom, type ScheduleTiming } from '../../schedule-timing.ts';
import type { SchedulesTable } from '../../storage/schema.ts';
import { failIfTaken } from '../../storage/unique-violation.ts';
import type { SendRequestBody } from '../messages/send-request-schema.ts';
import type { MissedTickPolicy } from './missed-tick-policies.ts';

/**
 * Schedules (`/v1/schedules`): a send request accepted on a cron expression in a time zone, or
 * once at a time. The scheduler role runs the ticks (src/dispatch/schedule-runner.ts); this is
 * their management: create, read with the next run times, change, pause, resume, delete.
 */

export { MISSED_TICK_POLICIES, type MissedTickPolicy } from './missed-tick-policies.ts';

/** How many coming run times a schedule shows. */
export const SHOWN_NEXT_RUNS = 5;

export interface ScheduleInput {
  name: string;
  cron?: string;
  timeZone?: string;
  /** RFC 3339: a one-off's time. */
  at?: string;
  missedTicks?: MissedTickPolicy;
  message: SendRequestBody;
}

export type SchedulePatch = Partial<ScheduleInput>;

export interface ScheduleView {
  id: string;
  name: string;
  cron: string | null;
  timeZone: string;
  at: string | null;
  missedTicks: MissedTickPolicy;
  message: SendRequestBody;
  /** `active` (waiting for or running a tick), `paused`, or `finished` (a one-off that ran). */
  status: 'active' | 'paused' | 'finished';
  nextRunAt: string | null;
  nextRuns: string[];
  runs: number;
  lastRun: { tickAt: string; outcome: 'sent' | 'skipped' | 'failed'; messageId: string | null; error: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

export type ScheduleService = ReturnType<typeof createScheduleService>;

const DEFAULT_TIME_ZONE = 'UTC';

export function createScheduleService({ database: { db }, clock }: HeraldContext) {
  function timingOf(row: Pick<SchedulesTable, 'cron' | 'time_zone' | 'once_at'>): ScheduleTiming {
    return { cron: row.cron, timeZone: row.time_zone, onceAtMs: row.once_at };
  }

  function view(row: SchedulesTable): ScheduleView {
    const paused = row.status === 'paused';
    // A paused schedule shows what resuming now would run.
    const nextRuns = row.status === 'finished' ? [] : paused ? ticksFrom(timingOf(row), clock.now() + 1, SHOWN_NEXT_RUNS) : ticksFrom(timingOf(row), row.tick_at!, SHOWN_NEXT_RUNS);
    return {
      id: row.id,
      name: row.name,
      cron: row.cron,
      timeZone: row.time_zone,
      at: isoTime(row.once_at),
      missedTicks: row.missed_ticks,
      message: JSON.parse(row.message) as SendRequestBody,
      status: row.status === 'waiting' || row.status === 'running' ? 'active' : row.status,
      nextRunAt: paused ? null : isoTime(row.tick_at),
      nextRuns: nextRuns.map((ms) => isoTime(ms)),
      runs: row.runs,
      lastRun:
        row.last_tick_at === null || row.last_outcome === null
          ? null
          : { tickAt: isoTime(row.last_tick_at), outcome: row.last_outcome, messageId: row.last_message_id, error: row.last_error },
      createdAt: isoTime(row.created_at),
      updatedAt: isoTime(row.updated_at),
    };
  }

  /** The timing an input describes: exactly one of `cron` and `at`; `timeZone` only reads a cron. */
  function timingFrom(input: Pick<ScheduleInput, 'cron' | 'timeZone' | 'at'>): ScheduleTiming {
    if ((input.cron === undefined) === (input.at === undefined)) {
      const field = input.cron === undefined ? 'cron' : 'at';
      throw invalid('SCHEDULE_TIMING', `${field}: give either cron (with an optional timeZone) or at, not both`, { field });
    }
    const timeZone = canonicalScheduleTimeZone(input.timeZone ?? DEFAULT_TIME_ZONE, 'timeZone');
    if (input.cron !== undefined) {
      checkCron(input.cron, timeZone, 'cron');
      return { cron: input.cron, timeZone, onceAtMs: null };
    }
    const onceAtMs = Date.parse(input.at!);
    // RFC 3339 allows a leap second (23:59:60), which Date cannot hold.
    if (Number.isNaN(onceAtMs)) throw invalid('SCHEDULE_AT_INVALID', `at: "${input.at}" is not a time Herald can read; use e.g. 2026-02-01T08:00:00+08:00`, { field: 'at' });
    return { cron: null, timeZone, onceAtMs };
  }

  /** The first tick after now; a 400 when there is none. */
  function firstTick(timing: ScheduleTiming, nowMs: number): number {
    const tick = nextTickAfter(timing, nowMs);
    if (tick !== undefined) return tick;
    if (timing.cron === null) throw invalid('SCHEDULE_AT_PAST', `at: ${isoTime(timing.onceAtMs!)} has passed; a one-off needs a time to come`, { field: 'at' });
    throw invalid('SCHEDULE_CRON_NEVER', `cron: "${timing.cron}" never matches a time to come`, { field: 'cron' });
  }

  /** The stored request: each tick's key and time are the schedule's, so the request may not carry its own. */
  function messageOf(message: SendRequestBody): string {
    if (message.idempotencyKey !== undefined) throw invalid('SCHEDULE_MESSAGE_IDEMPOTENCY_KEY', 'message.idempotencyKey: each tick gets its own key (schedule id and tick time); leave it out', { field: 'message.idempotencyKey' });
    if (message.to === undefined && message.type === undefined) throw invalid('RECEIVERS_MISSING', 'message.to: say who receives the message, or name a message type', { field: 'message.to' });
    if (message.sendAt !== undefined) throw invalid('SCHEDULE_MESSAGE_SEND_AT', 'message.sendAt: the schedule says when; leave it out (delaySeconds still delays each tick)', { field: 'message.sendAt' });
    return JSON.stringify(message);
  }

  const nameTaken = (name: string) => () => conflict('SCHEDULE_NAME_TAKEN', `This app already has a schedule named "${name}"`, { field: 'name' });

  async function find(appId: string, id: string): Promise<SchedulesTable> {
    const row = await db.selectFrom('schedules').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('SCHEDULE_NOT_FOUND', `This app has no schedule ${id}`, { id });
    return row;
  }

  async function update(appId: string, id: string, set: Partial<SchedulesTable>): Promise<ScheduleView> {
    const row = await db.updateTable('schedules').set(set).where('app_id', '=', appId).where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw notFound('SCHEDULE_NOT_FOUND', `This app has no schedule ${id}`, { id });
    return view(row);
  }

  /** A schedule made due at `tickAtMs` again; a tick running meanwhile loses its lease, so its advance is not written. */
  const rescheduled = (tickAtMs: number) => ({ status: 'waiting', tick_at: tickAtMs, tick_claimed_at: null, run_at: tickAtMs, lease_owner: null, lease_expires_at: null }) as const;

  return {
    async create(appId: string, input: ScheduleInput): Promise<ScheduleView> {
      const nowMs = clock.now();
      const timing = timingFrom(input);
      const tickAtMs = firstTick(timing, nowMs);
      const row: SchedulesTable = {
        id: newId('sch', nowMs),
        app_id: appId,
        name: input.name,
        cron: timing.cron,
        time_zone: timing.timeZone,
        once_at: timing.onceAtMs,
        missed_ticks: input.missedTicks ?? 'run-once',
        message: messageOf(input.message),
        ...rescheduled(tickAtMs),
        runs: 0,
        last_tick_at: null,
        last_outcome: null,
        last_message_id: null,
        last_error: null,
        created_at: nowMs,
        updated_at: nowMs,
      };
      await failIfTaken(db.insertInto('schedules').values(row).execute(), nameTaken(input.name));
      return view(row);
    },

    async list(appId: string): Promise<ScheduleView[]> {
      const rows = await db.selectFrom('schedules').selectAll().where('app_id', '=', appId).orderBy('name').execute();
      return rows.map(view);
    },

    async get(appId: string, id: string): Promise<ScheduleView> {
      return view(await find(appId, id));
    },

    /** Changes what is given; a new timing (or resuming a finished one-off with a new `at`) counts from now. */
    async update(appId: string, id: string, patch: SchedulePatch): Promise<ScheduleView> {
      const current = await find(appId, id);
      const nowMs = clock.now();
      const set: Partial<SchedulesTable> = { updated_at: nowMs };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.missedTicks !== undefined) set.missed_ticks = patch.missedTicks;
      if (patch.message !== undefined) set.message = messageOf(patch.message);
      if (patch.cron !== undefined || patch.at !== undefined || patch.timeZone !== undefined) {
        // A new time zone alone re-reads the current cron; `cron` and `at` replace each other.
        const timing = timingFrom({
          cron: patch.cron ?? (patch.at === undefined ? (current.cron ?? undefined) : undefined),
          at: patch.at ?? (patch.cron === undefined && current.once_at !== null ? isoTime(current.once_at) : undefined),
          timeZone: patch.timeZone ?? current.time_zone,
        });
        Object.assign(set, { cron: timing.cron, time_zone: timing.timeZone, once_at: timing.onceAtMs });
        const tickAtMs = firstTick(timing, nowMs);
        if (current.status === 'paused') set.tick_at = tickAtMs;
        else Object.assign(set, rescheduled(tickAtMs));
      }
      return failIfTaken(update(appId, id, set), nameTaken(patch.name ?? current.name));
    },

    /** No tick runs until resumed; a tick running now still sends its message, but does not advance. */
    async pause(appId: string, id: string): Promise<ScheduleView> {
      const current = await find(appId, id);
      if (current.status === 'finished') throw conflict('SCHEDULE_FINISHED', 'This one-off schedule has run; give it a new time (PATCH at) to use it again', { id });
      return update(appId, id, { status: 'paused', run_at: null, tick_claimed_at: null, lease_owner: null, lease_expires_at: null, updated_at: clock.now() });
    },

    /** Ticks resume from now on: those that fell while paused were not missed, they were paused. */
    async resume(appId: string, id: string): Promise<ScheduleView> {
      const current = await find(appId, id);
      if (current.status !== 'paused') return view(current);
      const nowMs = clock.now();
      return update(appId, id, { ...rescheduled(firstTick(timingOf(current), nowMs)), updated_at: nowMs });
    },

    async delete(appId: string, id: string): Promise<void> {
      const deleted = await db.deleteFrom('schedules').where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      if (deleted.numDeletedRows === 0n) throw notFound('SCHEDULE_NOT_FOUND', `This app has no schedule ${id}`, { id });
    },
  };
}

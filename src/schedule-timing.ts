import { Cron } from 'croner';
import { invalid } from './errors.ts';

/**
 * When a schedule's ticks fall: a cron expression read in an IANA time zone (croner), or one
 * time. Shared by the schedule API (validation, next run times) and the scheduler (advancing).
 */

/** What a schedule's timing is made of (`cron` xor `onceAtMs`). */
export interface ScheduleTiming {
  cron: string | null;
  timeZone: string;
  onceAtMs: number | null;
}

/** An IANA time zone in its canonical spelling (`asia/shanghai` → `Asia/Shanghai`); a 400 naming `field` otherwise. */
export function canonicalScheduleTimeZone(timeZone: string, field: string): string {
  try {
    const canonical = new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone;
    // What Intl takes, croner must read too: the zone is only stored once both can.
    cronOf('* * * * *', canonical).nextRun();
    return canonical;
  } catch {
    throw invalid('SCHEDULE_TIMEZONE_INVALID', `${field}: "${timeZone}" is not an IANA time zone like Asia/Shanghai or America/New_York`, { field });
  }
}

/** Five fields (minute precision) or six (seconds first); croner's other forms (years, Quartz weekdays) are not offered. */
function cronOf(expression: string, timeZone: string): Cron {
  return new Cron(expression, { timezone: timeZone, paused: true, mode: '5-or-6-parts' });
}

/** Checks a cron expression; a 400 naming `field` that says what croner found wrong. */
export function checkCron(expression: string, timeZone: string, field: string): void {
  try {
    cronOf(expression, timeZone);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid('SCHEDULE_CRON_INVALID', `${field}: "${expression}" is not a cron expression (${reason}); use 5 fields (minute hour day month weekday) or 6 with seconds first`, { field });
  }
}

/** The first tick strictly after `afterMs`; undefined when there is none (a one-off that passed, a cron that never matches again). */
export function nextTickAfter(timing: ScheduleTiming, afterMs: number): number | undefined {
  if (timing.cron === null) return timing.onceAtMs !== null && timing.onceAtMs > afterMs ? timing.onceAtMs : undefined;
  return cronOf(timing.cron, timing.timeZone).nextRun(new Date(afterMs))?.getTime();
}

/** Up to `count` ticks from `fromMs` on, `fromMs` itself included when it is one. */
export function ticksFrom(timing: ScheduleTiming, fromMs: number, count: number): number[] {
  const ticks: number[] = [];
  let tick = nextTickAfter(timing, fromMs - 1);
  while (tick !== undefined && ticks.length < count) {
    ticks.push(tick);
    tick = nextTickAfter(timing, tick);
  }
  return ticks;
}

/**
 * Wall-clock time in IANA time zones, from Intl alone (Node 24 has no Temporal without a flag):
 * quiet hours are "22:00–08:00 where the receiver lives", DST included.
 */

/** A local calendar date and time of day. */
export interface WallClock {
  year: number;
  /** 1-12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The IANA zone in its canonical spelling (`asia/shanghai` → `Asia/Shanghai`), or undefined if there is no such zone. */
export function canonicalTimeZone(timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat(undefined, { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** What a clock on the wall in `timeZone` shows at the instant `atMs`. */
export function wallClockAt(timeZone: string, atMs: number): WallClock {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(atMs).map((part) => [part.type, part.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute) };
}

/** The zone's offset from UTC at `atMs`, in ms (Asia/Shanghai: +8 h), to the minute. */
function offsetMsAt(timeZone: string, atMs: number): number {
  const wall = wallClockAt(timeZone, atMs);
  const wallAsUtcMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  return wallAsUtcMs - Math.floor(atMs / 60_000) * 60_000;
}

/**
 * The instant a wall clock in `timeZone` shows `wall` (fields out of range roll over, as in
 * Date.UTC: day 32 is the next month's first). When the clocks fall back and the time happens
 * twice, the first; when they spring forward over it, the instant as counted with the offset
 * from before the jump (02:30 in a 02:00→03:00 gap is 03:30 after it).
 */
export function instantOfWallClock(timeZone: string, wall: WallClock): number {
  const wallAsUtcMs = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  // Offsets half a day either side: a transition in between makes them differ.
  const candidates = [offsetMsAt(timeZone, wallAsUtcMs - 43_200_000), offsetMsAt(timeZone, wallAsUtcMs + 43_200_000)].map((offsetMs) => wallAsUtcMs - offsetMs);
  const shown = candidates.filter((atMs) => offsetMsAt(timeZone, atMs) === wallAsUtcMs - atMs).sort((a, b) => a - b);
  return shown[0] ?? candidates[0]!;
}

/** The calendar day or month in `timeZone` that `atMs` falls in: from its first midnight to the next period's (quotas reset there). */
export function calendarPeriodAt(timeZone: string, atMs: number, period: 'day' | 'month'): { startMs: number; endMs: number } {
  const wall = wallClockAt(timeZone, atMs);
  const midnight = (month: number, day: number) => instantOfWallClock(timeZone, { year: wall.year, month, day, hour: 0, minute: 0 });
  return period === 'day' ? { startMs: midnight(wall.month, wall.day), endMs: midnight(wall.month, wall.day + 1) } : { startMs: midnight(wall.month, 1), endMs: midnight(wall.month + 1, 1) };
}

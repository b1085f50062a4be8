import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendarPeriodAt, canonicalTimeZone, instantOfWallClock, wallClockAt } from './zoned-time.ts';

test('canonicalTimeZone spells IANA zones canonically and refuses what is none', () => {
  assert.equal(canonicalTimeZone('asia/shanghai'), 'Asia/Shanghai');
  assert.equal(canonicalTimeZone('UTC'), 'UTC');
  assert.equal(canonicalTimeZone('Mars/Olympus'), undefined);
  assert.equal(canonicalTimeZone('+08:00x'), undefined);
});

test('wallClockAt reads the local date and time, across the date line', () => {
  assert.deepEqual(wallClockAt('Asia/Shanghai', Date.UTC(2026, 0, 5, 16, 30)), { year: 2026, month: 1, day: 6, hour: 0, minute: 30 });
  assert.deepEqual(wallClockAt('America/New_York', Date.UTC(2026, 0, 1, 3, 5)), { year: 2025, month: 12, day: 31, hour: 22, minute: 5 });
});

test('instantOfWallClock is the inverse of wallClockAt, with DST on both sides and day overflow', () => {
  // Winter (EST, -5) and summer (EDT, -4) in New York; Shanghai has no DST.
  assert.equal(instantOfWallClock('America/New_York', { year: 2026, month: 1, day: 6, hour: 8, minute: 0 }), Date.UTC(2026, 0, 6, 13, 0));
  assert.equal(instantOfWallClock('America/New_York', { year: 2026, month: 7, day: 6, hour: 8, minute: 0 }), Date.UTC(2026, 6, 6, 12, 0));
  assert.equal(instantOfWallClock('Asia/Shanghai', { year: 2026, month: 1, day: 32, hour: 8, minute: 0 }), Date.UTC(2026, 1, 1, 0, 0));
  // 08:00 on the morning the clocks spring forward (2026-03-08 02:00 → 03:00) is already EDT.
  assert.equal(instantOfWallClock('America/New_York', { year: 2026, month: 3, day: 8, hour: 8, minute: 0 }), Date.UTC(2026, 2, 8, 12, 0));
  // 02:30 does not exist that night: counted with the offset from before the jump, 03:30 EDT.
  assert.equal(instantOfWallClock('America/New_York', { year: 2026, month: 3, day: 8, hour: 2, minute: 30 }), Date.UTC(2026, 2, 8, 7, 30));
  // 01:30 happens twice when they fall back (2026-11-01): the first, still EDT.
  assert.equal(instantOfWallClock('America/New_York', { year: 2026, month: 11, day: 1, hour: 1, minute: 30 }), Date.UTC(2026, 10, 1, 5, 30));
});

test('calendar days and months begin at local midnight, across a DST change too', () => {
  assert.deepEqual(calendarPeriodAt('Asia/Shanghai', Date.UTC(2026, 0, 5, 9, 0), 'day'), { startMs: Date.UTC(2026, 0, 4, 16, 0), endMs: Date.UTC(2026, 0, 5, 16, 0) });
  assert.deepEqual(calendarPeriodAt('Asia/Shanghai', Date.UTC(2026, 11, 31, 17, 0), 'month'), { startMs: Date.UTC(2026, 11, 31, 16, 0), endMs: Date.UTC(2027, 0, 31, 16, 0) });
  // Berlin springs forward on 29 March 2026: that day has 23 hours.
  const { startMs, endMs } = calendarPeriodAt('Europe/Berlin', Date.UTC(2026, 2, 29, 12, 0), 'day');
  assert.deepEqual([startMs, endMs - startMs], [Date.UTC(2026, 2, 28, 23, 0), 23 * 3_600_000]);
});

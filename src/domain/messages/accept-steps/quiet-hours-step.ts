import type { QuietHours } from '../../message-types/message-type-policies.ts';
import { PRIORITIES } from '../send-request-schema.ts';
import { instantOfWallClock, wallClockAt } from '../../../zoned-time.ts';
import { deferDelivery, liveDeliveries, skipDelivery, type AcceptStep } from './accept-draft.ts';

const URGENT = PRIORITIES.indexOf('urgent');

/**
 * Night shielding (the message type's `quietHours`): a delivery due inside the window, in the
 * receiver's time zone (the subscriber's, else the app's `timezone` setting, else UTC), is dropped
 * (`QUIET_HOURS`) or held until the window ends there. Urgent messages pass unless the type says
 * `urgentBypass: false`. The window is decided at the message's send time, so a scheduled send is
 * judged by when it goes out, not when it was accepted.
 */
export const quietHours: AcceptStep = (draft) => {
  const rule = draft.messageType?.policies.quietHours;
  if (!rule) return;
  if (draft.priority === URGENT && rule.urgentBypass !== false) return;
  for (const planned of liveDeliveries(draft)) {
    const timeZone = planned.timeZone ?? draft.settings.timezone ?? 'UTC';
    const endsAtMs = quietHoursEnd(rule, timeZone, draft.sendAtMs);
    if (endsAtMs === undefined) continue;
    const why = `Quiet hours ${rule.start}–${rule.end} in ${timeZone}`;
    if (rule.action === 'drop') skipDelivery(planned, 'QUIET_HOURS', why);
    else deferDelivery(planned, endsAtMs, 'QUIET_HOURS', why);
  }
};

/** When the quiet window that `atMs` falls in ends in `timeZone`, or undefined when `atMs` is outside it. Equal start and end make no window. */
export function quietHoursEnd(rule: Pick<QuietHours, 'start' | 'end'>, timeZone: string, atMs: number): number | undefined {
  const start = minutesOf(rule.start);
  const end = minutesOf(rule.end);
  const wall = wallClockAt(timeZone, atMs);
  const now = wall.hour * 60 + wall.minute;
  const crossesMidnight = start > end;
  const inside = crossesMidnight ? now >= start || now < end : now >= start && now < end;
  if (!inside) return undefined;
  // In a window across midnight, before midnight it ends tomorrow (local date; Date.UTC rolls the day over).
  const day = crossesMidnight && now >= start ? wall.day + 1 : wall.day;
  return instantOfWallClock(timeZone, { year: wall.year, month: wall.month, day, hour: Math.floor(end / 60), minute: end % 60 });
}

function minutesOf(clockTime: string): number {
  const [hours, minutes] = clockTime.split(':').map(Number);
  return hours! * 60 + minutes!;
}

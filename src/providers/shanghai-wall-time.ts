/**
 * Chinese SMS vendors write receipt times as Beijing wall time without a zone
 * ("2026-01-05 17:00:03"). China has kept UTC+8 all year since 1991, so the offset is fixed.
 */

const SHANGHAI_OFFSET_MS = 8 * 60 * 60_000;
const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Epoch ms of `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai, or undefined when the text is not such a time. */
export function shanghaiWallTimeMs(text: unknown): number | undefined {
  const match = typeof text === 'string' ? WALL_TIME.exec(text) : null;
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const utcMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(utcMs);
  // Date.UTC rolls 2026-02-30 over into March: refuse it instead.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  return utcMs - SHANGHAI_OFFSET_MS;
}


import { sql } from 'kysely';
import { COUNTER_BUCKET_MS } from '../../deliveries/alarm-rule-kinds.ts';
import type { HeraldDatabase } from '../../storage/database.ts';

/**
 * Outcome counts per subject over the minutes of a window (outcome_counters' primary key serves
 * it): the minute `now - window` falls in counts whole, so a window reads up to a minute more.
 */
export async function outcomesInWindow(
  database: HeraldDatabase,
  input: { appId: string; nowMs: number; windowSeconds: number; subjects?: readonly string[]; subjectPrefix?: string },
): Promise<Map<string, { succeeded: number; failed: number }>> {
  const fromMs = Math.floor((input.nowMs - input.windowSeconds * 1000) / COUNTER_BUCKET_MS) * COUNTER_BUCKET_MS;
  let query = database.db
    .selectFrom('outcome_counters')
    .select(['subject', sql<number>`sum(succeeded)`.as('succeeded'), sql<number>`sum(failed)`.as('failed')])
    .where('app_id', '=', input.appId)
    .where('bucket_start', '>=', fromMs)
    .where('bucket_start', '<=', input.nowMs);
  if (input.subjects !== undefined) {
    if (input.subjects.length === 0) return new Map();
    query = query.where('subject', 'in', input.subjects);
  }
  if (input.subjectPrefix !== undefined) query = query.where('subject', '>=', input.subjectPrefix).where('subject', '<', `${input.subjectPrefix}\uffff`);
  const rows = await query.groupBy('subject').execute();
  return new Map(rows.map((row) => [row.subject, { succeeded: Number(row.succeeded), failed: Number(row.failed) }]));
}

import { sql, type Kysely } from 'kysely';
import type { HeraldContext } from '../../context/herald-context.ts';
import type { HeraldSchema } from '../../storage/schema.ts';

/** One slot wanted under a counted key: at most `limit` per window of `windowMs`. */
export interface CounterTake {
  key: string;
  limit: number;
  windowMs: number;
}

/**
 * Windowed counters shared by every process (`policy_counters`), for dedup and frequency caps.
 * A key's window opens with the first slot taken and lasts `windowMs`; up to `limit` slots are
 * granted in it. Each grant is one conditional upsert (insert, or add one while under the limit
 * or past the window), which the database applies atomically per row: two processes taking the
 * last slot of a key at once get it once (PostgreSQL re-checks the condition on the row it
 * locked; SQLite has one writer). Keys go in sorted, so concurrent statements lock rows in the
 * same order and cannot deadlock.
 */
export function createPolicyCounters({ database: { db }, clock }: Pick<HeraldContext, 'database' | 'clock'>) {
  return {
    /**
     * Takes one slot per entry (the same key may repeat: its later entries count after the earlier
     * ones); true where granted. On `executor`, a transaction, the slots are taken only if it commits.
     */
    async take(appId: string, takes: readonly CounterTake[], nowMs: number, executor: Kysely<HeraldSchema> = db): Promise<boolean[]> {
      const granted = takes.map(() => false);
      // Round r takes the r-th entry of every key, so one statement never names a key twice.
      const rounds: number[][] = [];
      const seen = new Map<string, number>();
      takes.forEach((take, index) => {
        const round = seen.get(take.key) ?? 0;
        seen.set(take.key, round + 1);
        (rounds[round] ??= []).push(index);
      });
      for (const round of rounds) {
        const indexes = round.sort((a, b) => (takes[a]!.key < takes[b]!.key ? -1 : 1));
        const rows = await executor
          .insertInto('policy_counters')
          .values(indexes.map((index) => ({ counter_key: takes[index]!.key, app_id: appId, count: 1, max_count: takes[index]!.limit, window_ends_at: nowMs + takes[index]!.windowMs })))
          .onConflict((conflict) =>
            conflict
              .column('counter_key')
              .doUpdateSet({
                count: sql<number>`case when policy_counters.window_ends_at <= ${nowMs} then 1 else policy_counters.count + 1 end`,
                max_count: sql<number>`excluded.max_count`,
                window_ends_at: sql<number>`case when policy_counters.window_ends_at <= ${nowMs} then excluded.window_ends_at else policy_counters.window_ends_at end`,
              })
              .where(sql<boolean>`policy_counters.window_ends_at <= ${nowMs} or policy_counters.count < excluded.max_count`),
          )
          .returning('counter_key')
          .execute();
        const taken = new Set(rows.map((row) => row.counter_key));
        for (const index of indexes) granted[index] = taken.has(takes[index]!.key);
      }
      return granted;
    },

    /** Housekeeping: forgets counters whose window is over (a new take starts afresh anyway). */
    async purgeExpired(): Promise<number> {
      const result = await db.deleteFrom('policy_counters').where('window_ends_at', '<=', clock.now()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type PolicyCounters = ReturnType<typeof createPolicyCounters>;

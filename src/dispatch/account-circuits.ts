import type { Clock } from '../clock.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { capabilitiesOf } from '../storage/dialect-capabilities.ts';

export interface CircuitPolicy {
  /** Transient failures in a row that open the circuit. */
  failureThreshold: number;
  /** How long it stays open; then sends probe the account again (one more failure reopens it, a success closes it). */
  cooldownSeconds: number;
}

export interface AccountCircuits {
  /** The accounts among `accountIds` whose circuit is open now. */
  openAmong(accountIds: readonly string[]): Promise<Set<string>>;
  /** Counts what happened, in order: a success closes the circuit, a transient failure counts toward opening it. */
  record(results: ReadonlyArray<{ accountId: string; transient: boolean }>): Promise<void>;
}

/**
 * A circuit breaker per channel account in `account_circuits`, shared by every worker: opens
 * after `failureThreshold` transient failures in a row (5xx, timeouts, refused connections —
 * not rate limits or permanent refusals, which say nothing about the account's health) and
 * stays open for `cooldownSeconds`, during which failover routes send through their other
 * accounts. Updates take the row lock (PostgreSQL) or the write lock (SQLite), like the flow limiter.
 */
export function createAccountCircuits({ database, clock, policy }: { database: HeraldDatabase; clock: Clock; policy: CircuitPolicy }): AccountCircuits {
  const { db } = database;
  return {
    async openAmong(accountIds) {
      if (accountIds.length === 0) return new Set();
      const rows = await db
        .selectFrom('account_circuits')
        .select('channel_account_id')
        .where('channel_account_id', 'in', [...new Set(accountIds)])
        .where('open_until', '>', clock.now())
        .execute();
      return new Set(rows.map((row) => row.channel_account_id));
    },

    async record(results) {
      const byAccount = new Map<string, boolean[]>();
      for (const { accountId, transient } of results) byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), transient]);
      for (const [accountId, outcomes] of byAccount) {
        await db.transaction().execute(async (trx) => {
          const nowMs = clock.now();
          await trx
            .insertInto('account_circuits')
            .values({ channel_account_id: accountId, consecutive_failures: 0, open_until: null, updated_at: nowMs })
            .onConflict((conflict) => conflict.column('channel_account_id').doNothing())
            .execute();
          let select = trx.selectFrom('account_circuits').select(['consecutive_failures', 'open_until']).where('channel_account_id', '=', accountId);
          if (!capabilitiesOf(database.dialect).singleWriter) select = select.forUpdate();
          let { consecutive_failures: failures, open_until: openUntil } = await select.executeTakeFirstOrThrow();
          for (const transient of outcomes) {
            if (!transient) {
              failures = 0;
              openUntil = null;
            } else if (++failures >= policy.failureThreshold) {
              openUntil = nowMs + policy.cooldownSeconds * 1000;
            }
          }
          await trx.updateTable('account_circuits').set({ consecutive_failures: failures, open_until: openUntil, updated_at: nowMs }).where('channel_account_id', '=', accountId).execute();
        });
      }
    },
  };
}

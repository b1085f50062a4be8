import type { Kysely } from 'kysely';
import { newId } from '../ids.ts';
import type { ProviderDefinition } from '../providers/provider.ts';
import type { HeraldSchema, ResultChecksTable } from '../storage/schema.ts';
import type { LeasedTable } from './leased-queue.ts';

/**
 * Result checks: for a provider that reports per-recipient results after accepting a call
 * (`ProviderDefinition.results`), one row per call (account + provider message id) says when
 * to ask next. Created with the `sent` write; worked through by result-check-worker.ts.
 */

/** `run_at` is set exactly while a check waits; the `result_checks_due` index serves the claim order. */
export const RESULT_CHECKS_QUEUE: LeasedTable<'result_checks'> = {
  name: 'result_checks',
  idColumn: 'id',
  dueColumn: 'run_at',
  claimOrder: ['run_at'],
  statusColumn: 'status',
  leasedStatus: 'checking',
  leaseOwnerColumn: 'lease_owner',
  leaseExpiresColumn: 'lease_expires_at',
};

/** The pause between checks doubles after each one, up to this: late readers are still noticed within the hour. */
export const MAX_RESULT_CHECK_PAUSE_MS = 3600_000;

export interface SentCall {
  channelAccountId: string;
  providerMessageId: string;
  sentAtMs: number;
  results: NonNullable<ProviderDefinition['results']>;
}

/** Call in the transaction that writes the deliveries `sent`. A call already checked (a batch shares its id) is left as it is. */
export async function scheduleResultChecks(trx: Kysely<HeraldSchema>, calls: readonly SentCall[], nowMs: number): Promise<void> {
  const unique = new Map<string, SentCall>();
  for (const call of calls) unique.set(`${call.channelAccountId}\n${call.providerMessageId}`, call);
  if (unique.size === 0) return;
  const rows: ResultChecksTable[] = [...unique.values()].map((call) => {
    const firstPauseMs = call.results.firstCheckAfterSeconds * 1000;
    return {
      id: newId('rck', nowMs),
      channel_account_id: call.channelAccountId,
      provider_message_id: call.providerMessageId,
      status: 'waiting',
      run_at: call.sentAtMs + firstPauseMs,
      pause_ms: firstPauseMs,
      checks: 0,
      sent_at: call.sentAtMs,
      expires_at: call.sentAtMs + call.results.windowSeconds * 1000,
      lease_owner: null,
      lease_expires_at: null,
      created_at: nowMs,
      updated_at: nowMs,
    };
  });
  await trx
    .insertInto('result_checks')
    .values(rows)
    .onConflict((conflict) => conflict.columns(['channel_account_id', 'provider_message_id']).doNothing())
    .execute();
}

/** When to ask again after a check at `nowMs`: twice the last pause (capped), never past the window; undefined once the window has passed. */
export function nextResultCheck(check: Pick<ResultChecksTable, 'pause_ms' | 'expires_at'>, nowMs: number, retryAfterMs?: number): { runAtMs: number; pauseMs: number } | undefined {
  if (nowMs >= check.expires_at) return undefined;
  const pauseMs = Math.min(check.pause_ms * 2, MAX_RESULT_CHECK_PAUSE_MS);
  return { runAtMs: Math.min(nowMs + Math.max(pauseMs, retryAfterMs ?? 0), check.expires_at), pauseMs };
}

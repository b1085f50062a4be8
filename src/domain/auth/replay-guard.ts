import type { HeraldContext } from '../../context/herald-context.ts';
import { unauthenticated } from '../../errors.ts';

export type ReplayGuard = ReturnType<typeof createReplayGuard>;

/**
 * Remembers every accepted signature until it could no longer pass the date check,
 * in the database so that all API processes share it. A second use is a replay.
 */
export function createReplayGuard({ database: { db, batchedTransaction }, clock, config }: HeraldContext) {
  const windowMs = config.auth.signatureMaxSkewSeconds * 1000;
  return {
    async remember(signature: string, signedAtMs: number): Promise<void> {
      // Batched with concurrent requests: a signed request must not cost a commit of its own.
      const result = await batchedTransaction((trx) =>
        trx
          .insertInto('seen_signatures')
          .values({ signature, expires_at: signedAtMs + windowMs })
          .onConflict((oc) => oc.column('signature').doNothing())
          .executeTakeFirst(),
      );
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
        throw unauthenticated('SIGNATURE_REPLAYED', 'This signature was already used; sign every request anew (X-Amz-Date changes each second)');
      }
    },
    /** Drops signatures older than the window (the scheduler calls this). */
    async purge(): Promise<number> {
      const result = await db.deleteFrom('seen_signatures').where('expires_at', '<', clock.now() - windowMs).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

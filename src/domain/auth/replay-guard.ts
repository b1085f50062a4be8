import type { HeraldContext } from '../../context/herald-context.ts';
import { unauthenticated } from '../../errors.ts';

export type ReplayGuard = ReturnType<typeof createReplayGuard>;

/** Signatures remembered by one statement; far below either dialect's parameter limit (two per row). */
const MAX_SIGNATURES_PER_STATEMENT = 1000;

interface PendingSignature {
  signature: string;
  expiresAtMs: number;
  resolve(fresh: boolean): void;
  reject(error: unknown): void;
}

/**
 * Remembers every accepted signature until it could no longer pass the date check,
 * in the database so that all API processes share it. A second use is a replay.
 *
 * Signatures of requests that arrive in the same event-loop turn are written by one
 * `INSERT … ON CONFLICT DO NOTHING RETURNING` in autocommit: a burst of signed requests costs
 * one round trip and one commit instead of a transaction with a statement per request. The
 * rows it returns are the signatures seen for the first time; the others were already there.
 */
export function createReplayGuard({ database: { db }, clock, config }: HeraldContext) {
  const windowMs = config.auth.signatureMaxSkewSeconds * 1000;
  let queue: PendingSignature[] = [];

  async function write(batch: PendingSignature[]): Promise<void> {
    // The same signature twice in one batch: the first use stands, the second is a replay.
    const firstUse = new Map<string, PendingSignature>();
    for (const pending of batch) if (!firstUse.has(pending.signature)) firstUse.set(pending.signature, pending);
    try {
      const inserted = await db
        .insertInto('seen_signatures')
        .values([...firstUse.values()].map(({ signature, expiresAtMs }) => ({ signature, expires_at: expiresAtMs })))
        .onConflict((oc) => oc.column('signature').doNothing())
        .returning('signature')
        .execute();
      const fresh = new Set(inserted.map((row) => row.signature));
      for (const pending of batch) pending.resolve(firstUse.get(pending.signature) === pending && fresh.has(pending.signature));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }

  function flush(): void {
    const pending = queue;
    queue = [];
    for (let start = 0; start < pending.length; start += MAX_SIGNATURES_PER_STATEMENT) void write(pending.slice(start, start + MAX_SIGNATURES_PER_STATEMENT));
  }

  return {
    async remember(signature: string, signedAtMs: number): Promise<void> {
      const fresh = await new Promise<boolean>((resolve, reject) => {
        // Waits one turn, so the signatures of requests parsed in the same turn share the statement.
        if (queue.length === 0) setImmediate(flush);
        queue.push({ signature, expiresAtMs: signedAtMs + windowMs, resolve, reject });
      });
      if (!fresh) throw unauthenticated('SIGNATURE_REPLAYED', 'This signature was already used; sign every request anew (X-Amz-Date changes each second)');
    },
    /** Drops signatures older than the window (the scheduler calls this). */
    async purge(): Promise<number> {
      const result = await db.deleteFrom('seen_signatures').where('expires_at', '<', clock.now() - windowMs).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

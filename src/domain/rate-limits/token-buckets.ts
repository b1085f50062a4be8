import { sql } from 'kysely';
import type { HeraldContext } from '../../context/herald-context.ts';
import { LruCache } from '../../lru-cache.ts';

export interface BucketLimits {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** The most tokens the bucket holds: the largest burst let through at once. */
  burst: number;
}

export interface BucketState {
  granted: boolean;
  limit: number;
  /** Whole tokens left (approximate: tokens held by other processes are not seen). */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** When refused: seconds until the cost fits (at least 1). */
  retryAfterSeconds: number;
}

/** A process holds what it reserved at most this long before giving the rest back. */
const RESERVATION_HOLD_MS = 1_000;
/** Share of the burst a process reserves at once, so most takes cost no database round trip. */
const RESERVATION_SHARE = 1 / 20;
/** Buckets this process remembers a reservation for (login buckets are per client address). */
const MAX_RESERVATIONS = 10_000;

interface Reservation {
  /** Tokens taken from the shared bucket and not yet spent here. */
  balance: number;
  expiresAt: number;
  /** The shared bucket's level after this process last took from it. */
  sharedTokens: number;
  syncedAt: number;
}

export type TokenBuckets = ReturnType<typeof createTokenBuckets>;

/**
 * Token buckets in the database, shared by all processes. One upsert refills the bucket for
 * the time elapsed, and takes a chunk of tokens only if the cost fits, so concurrent takes never
 * hand out more than the bucket holds. Each process reserves a small share of the burst and
 * spends it locally for up to a second, giving back what is unspent with its next take.
 */
export function createTokenBuckets({ database: { db }, clock }: Pick<HeraldContext, 'database' | 'clock'>) {
  const reservations = new LruCache<string, Reservation>(MAX_RESERVATIONS);

  function stateOf(granted: boolean, limits: BucketLimits, tokens: number, cost: number): BucketState {
    const remaining = Math.max(0, Math.min(limits.burst, Math.floor(tokens)));
    return {
      granted,
      limit: limits.burst,
      remaining,
      resetSeconds: Math.ceil((limits.burst - remaining) / limits.ratePerSecond),
      retryAfterSeconds: granted ? 0 : Math.max(1, Math.ceil((cost - tokens) / limits.ratePerSecond)),
    };
  }

  /** One atomic upsert: refill, give back `returned`, take up to `chunk` if `cost` fits. */
  async function takeShared(key: string, limits: BucketLimits, cost: number, chunk: number, returned: number, now: number): Promise<{ tokens: number; taken: number }> {
    const double = (value: number) => sql<number>`cast(${value} as double precision)`;
    const nowMs = sql<number>`cast(${now} as bigint)`;
    const elapsed = sql<number>`(case when ${nowMs} > rate_buckets.refilled_at then ${nowMs} - rate_buckets.refilled_at else 0 end)`;
    const refilled = sql<number>`(rate_buckets.tokens + ${double(returned)} + ${elapsed} * ${double(limits.ratePerSecond / 1000)})`;
    const available = sql<number>`(case when ${refilled} > ${double(limits.burst)} then ${double(limits.burst)} else ${refilled} end)`;
    const taken = sql<number>`(case when ${available} >= ${double(cost)} then (case when ${available} < ${double(chunk)} then ${available} else ${double(chunk)} end) else 0 end)`;
    const initialTaken = limits.burst >= cost ? Math.min(limits.burst, chunk) : 0;
    return db
      .insertInto('rate_buckets')
      .values({ bucket_key: key, tokens: limits.burst - initialTaken, taken: initialTaken, refilled_at: now })
      .onConflict((oc) =>
        oc.column('bucket_key').doUpdateSet({
          tokens: sql<number>`${available} - ${taken}`,
          taken,
          refilled_at: sql<number>`(case when ${nowMs} > rate_buckets.refilled_at then ${nowMs} else rate_buckets.refilled_at end)`,
        }),
      )
      .returning(['tokens', 'taken'])
      .executeTakeFirstOrThrow();
  }

  /** Shared takes on their way, by bucket: settled (never rejected) when the take is over. */
  const takesInFlight = new Map<string, Promise<void>>();

  /** Gives back what this process holds and takes a chunk of the shared bucket, reserving what the cost leaves. */
  async function takeAndReserve(key: string, limits: BucketLimits, cost: number): Promise<BucketState> {
    const now = clock.now();
    const held = reservations.get(key);
    // What this process holds unspent (expired or not) goes back in the same statement.
    const returned = held ? held.balance : 0;
    if (held) held.balance = 0;
    const chunk = Math.max(cost, Math.floor(limits.burst * RESERVATION_SHARE));
    const shared = await takeShared(key, limits, cost, chunk, returned, now);
    if (shared.taken < cost) return stateOf(false, limits, shared.tokens, cost);
    const reservation = { balance: shared.taken - cost, expiresAt: now + RESERVATION_HOLD_MS, sharedTokens: shared.tokens, syncedAt: now };
    reservations.set(key, reservation);
    return stateOf(true, limits, shared.tokens + reservation.balance, cost);
  }

  return {
    /**
     * Takes `cost` tokens from bucket `key`. A cost above the burst is charged as the whole
     * burst (it waits for a full bucket rather than never fitting).
     */
    async take(key: string, limits: BucketLimits, requestedCost: number): Promise<BucketState> {
      const cost = Math.min(Math.max(requestedCost, 0), limits.burst);
      const refilledShared = (reservation: Reservation, now: number) =>
        Math.min(limits.burst, reservation.sharedTokens + (Math.max(0, now - reservation.syncedAt) * limits.ratePerSecond) / 1000);
      for (;;) {
        const now = clock.now();
        const held = reservations.get(key);
        if (held && held.expiresAt > now && held.balance >= cost) {
          held.balance -= cost;
          return stateOf(true, limits, refilledShared(held, now) + held.balance, cost);
        }
        // One shared take per bucket at a time in a process: requests arriving together (a burst, or the
        // queue of a database that just came back) wait for its reservation instead of each taking a chunk.
        const inFlight = takesInFlight.get(key);
        if (!inFlight) break;
        await inFlight;
      }
      const take = takeAndReserve(key, limits, cost);
      const settled = take.then(
        () => undefined,
        () => undefined,
      );
      takesInFlight.set(key, settled);
      try {
        return await take;
      } finally {
        if (takesInFlight.get(key) === settled) takesInFlight.delete(key);
      }
    },

    /** Deletes buckets under `prefix` untouched for `idleMs` (full again by then, so nothing is lost). */
    async purgeIdle(prefix: string, idleMs: number): Promise<void> {
      await db.deleteFrom('rate_buckets').where('bucket_key', 'like', `${prefix}%`).where('refilled_at', '<', clock.now() - idleMs).execute();
    },
  };
}

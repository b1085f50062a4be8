import type { Kysely } from 'kysely';
import type { Clock } from '../clock.ts';
import type { TokenCache } from '../providers/provider.ts';
import type { CryptoBox } from '../security/crypto-box.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { capabilitiesOf } from '../storage/dialect-capabilities.ts';
import type { HeraldSchema } from '../storage/schema.ts';

export interface ProviderTokenCacheOptions {
  database: HeraldDatabase;
  cryptoBox: CryptoBox;
  clock: Clock;
  /** Refresh this long before the provider's expiry (capped at a fifth of the token's lifetime). Default 5 minutes. */
  refreshMarginMs?: number;
}

interface CachedToken {
  token: string;
  /** The stored ciphertext, so `invalidate` removes only the token this process saw rejected. */
  tokenEnc: string;
  usableUntilMs: number;
}

/**
 * Access tokens (WeChat, WeCom, DingTalk) in `provider_tokens`, encrypted, shared by every
 * worker. `expires_at` holds when the token stops being used: shortly before the provider's
 * own expiry, so no send goes out with a token about to lapse. Some providers invalidate the
 * previous token when a new one is fetched (WeChat), so on PostgreSQL a refresh holds the row
 * lock and other processes wait for its answer instead of fetching their own; within a
 * process concurrent callers share one fetch.
 */
export function createProviderTokenCache(options: ProviderTokenCacheOptions): TokenCache {
  const { database, cryptoBox, clock } = options;
  const refreshMarginMs = options.refreshMarginMs ?? 5 * 60_000;
  const memory = new Map<string, CachedToken>();
  const fetching = new Map<string, Promise<string>>();

  const usable = (entry: { usableUntilMs: number } | undefined) => entry !== undefined && clock.now() < entry.usableUntilMs;

  async function readStored(executor: Kysely<HeraldSchema>, key: string, lock: boolean): Promise<CachedToken | undefined> {
    let query = executor.selectFrom('provider_tokens').select(['token_enc', 'expires_at']).where('cache_key', '=', key);
    if (lock) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row || row.token_enc === '') return undefined;
    return { token: cryptoBox.decrypt(row.token_enc), tokenEnc: row.token_enc, usableUntilMs: row.expires_at };
  }

  async function fetchAndStore(executor: Kysely<HeraldSchema>, key: string, fetchToken: Parameters<TokenCache['get']>[1]): Promise<CachedToken> {
    const fetchedAtMs = clock.now();
    const { token, expiresInSeconds } = await fetchToken();
    const lifetimeMs = expiresInSeconds * 1000;
    const entry: CachedToken = {
      token,
      tokenEnc: cryptoBox.encrypt(token),
      usableUntilMs: fetchedAtMs + lifetimeMs - Math.min(refreshMarginMs, lifetimeMs / 5),
    };
    await executor
      .insertInto('provider_tokens')
      .values({ cache_key: key, token_enc: entry.tokenEnc, expires_at: entry.usableUntilMs })
      .onConflict((conflict) => conflict.column('cache_key').doUpdateSet({ token_enc: entry.tokenEnc, expires_at: entry.usableUntilMs }))
      .execute();
    return entry;
  }

  async function load(key: string, fetchToken: Parameters<TokenCache['get']>[1]): Promise<string> {
    let entry = await readStored(database.db, key, false);
    if (!usable(entry)) {
      if (!capabilitiesOf(database.dialect).singleWriter) {
        entry = await database.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('provider_tokens')
            .values({ cache_key: key, token_enc: '', expires_at: 0 })
            .onConflict((conflict) => conflict.column('cache_key').doNothing())
            .execute();
          const locked = await readStored(trx, key, true);
          return usable(locked) ? locked! : fetchAndStore(trx, key, fetchToken);
        });
      } else {
        // One SQLite writer serves the whole process; holding it across a network call would stall every worker.
        entry = await fetchAndStore(database.db, key, fetchToken);
      }
    }
    memory.set(key, entry!);
    return entry!.token;
  }

  return {
    async get(key, fetchToken) {
      const cached = memory.get(key);
      if (usable(cached)) return cached!.token;
      let pending = fetching.get(key);
      if (!pending) {
        pending = load(key, fetchToken).finally(() => fetching.delete(key));
        fetching.set(key, pending);
      }
      return pending;
    },

    async invalidate(key) {
      const cached = memory.get(key);
      memory.delete(key);
      let remove = database.db.deleteFrom('provider_tokens').where('cache_key', '=', key);
      // Another worker may already have stored a fresh token; only the rejected one goes.
      if (cached) remove = remove.where('token_enc', '=', cached.tokenEnc);
      await remove.execute();
    },
  };
}

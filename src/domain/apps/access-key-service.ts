import type { HeraldContext } from '../../context/herald-context.ts';
import { conflict, forbidden, notFound, unauthenticated } from '../../errors.ts';
import { newAccessKeyId, newSecret } from '../../ids.ts';
import type { AppService } from './app-service.ts';
import { createTtlCache } from '../../ttl-cache.ts';
import { isoTime } from '../../iso-time.ts';

/** Two active keys per app: enough to rotate (create new, deploy, revoke old) without downtime. */
export const MAX_ACTIVE_KEYS_PER_APP = 2;

/** Decrypted secrets are cached briefly: verifying a signature must not cost a decrypt and a query per request. */
const SECRET_CACHE_MS = 5_000;
/** last_used_at is written at most this often per key, to keep signed requests free of extra writes. */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export interface AccessKeyView {
  accessKeyId: string;
  appId: string;
  status: 'active' | 'revoked';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedAccessKey extends AccessKeyView {
  /** Shown once, at creation; Herald stores it only encrypted. */
  secretAccessKey: string;
}

export interface VerifiedKey {
  appId: string;
  secret: string;
}


export type AccessKeyService = ReturnType<typeof createAccessKeyService>;

export function createAccessKeyService({ database: { db }, clock, cryptoBox }: HeraldContext, apps: AppService) {
  const secretCache = createTtlCache<VerifiedKey>({ ttlMs: SECRET_CACHE_MS, clock });
  const lastUsedWrites = new Map<string, number>();
  // A disabled app disables its keys at once in this process; others see it when their cache expires.
  apps.onUpdated(() => secretCache.clear());

  async function loadKey(accessKeyId: string): Promise<VerifiedKey> {
    const row = await db
      .selectFrom('access_keys')
      .innerJoin('apps', 'apps.id', 'access_keys.app_id')
      .select(['access_keys.app_id', 'access_keys.secret_enc', 'access_keys.status', 'apps.status as app_status'])
      .where('access_keys.id', '=', accessKeyId)
      .executeTakeFirst();
    if (!row) throw unauthenticated('ACCESS_KEY_UNKNOWN', `Access key "${accessKeyId}" does not exist`);
    if (row.status !== 'active') throw forbidden('ACCESS_KEY_DISABLED', `Access key "${accessKeyId}" has been revoked`);
    if (row.app_status !== 'active') throw forbidden('ACCESS_KEY_DISABLED', `The app of access key "${accessKeyId}" is disabled`);
    return { appId: row.app_id, secret: cryptoBox.decrypt(row.secret_enc) };
  }

  return {
    async create(appIdOrName: string): Promise<CreatedAccessKey> {
      const app = await apps.get(appIdOrName);
      const secret = newSecret();
      const now = clock.now();
      const id = newAccessKeyId();
      await db.transaction().execute(async (trx) => {
        const { count } = await trx
          .selectFrom('access_keys')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('app_id', '=', app.id)
          .where('status', '=', 'active')
          .executeTakeFirstOrThrow();
        if (Number(count) >= MAX_ACTIVE_KEYS_PER_APP) {
          throw conflict('ACCESS_KEY_LIMIT', `App "${app.name}" already has ${MAX_ACTIVE_KEYS_PER_APP} active access keys; revoke one before creating another`);
        }
        await trx
          .insertInto('access_keys')
          .values({ id, app_id: app.id, secret_enc: cryptoBox.encrypt(secret), status: 'active', created_at: now, last_used_at: null, revoked_at: null })
          .execute();
      });
      return { accessKeyId: id, appId: app.id, status: 'active', createdAt: isoTime(now), lastUsedAt: null, revokedAt: null, secretAccessKey: secret };
    },

    async list(appIdOrName: string): Promise<AccessKeyView[]> {
      const app = await apps.get(appIdOrName);
      const rows = await db.selectFrom('access_keys').selectAll().where('app_id', '=', app.id).orderBy('created_at').execute();
      return rows.map((row) => ({
        accessKeyId: row.id,
        appId: row.app_id,
        status: row.status,
        createdAt: isoTime(row.created_at)!,
        lastUsedAt: isoTime(row.last_used_at),
        revokedAt: isoTime(row.revoked_at),
      }));
    },

    /** Revokes a key; `appId` restricts the lookup to one app when given (the console scopes by app). */
    async revoke(accessKeyId: string, appId?: string): Promise<void> {
      let query = db.updateTable('access_keys').set({ status: 'revoked', revoked_at: clock.now() }).where('id', '=', accessKeyId).where('status', '=', 'active');
      if (appId) query = query.where('app_id', '=', appId);
      const result = await query.executeTakeFirst();
      secretCache.delete(accessKeyId);
      if (Number(result.numUpdatedRows) === 0) {
        const exists = await db.selectFrom('access_keys').select('status').where('id', '=', accessKeyId).executeTakeFirst();
        if (!exists) throw notFound('ACCESS_KEY_NOT_FOUND', `No access key "${accessKeyId}"`);
      }
    },

    /**
     * The secret to verify a signature with. Throws ACCESS_KEY_UNKNOWN or
     * ACCESS_KEY_DISABLED (revoked key, or its app disabled).
     */
    resolve(accessKeyId: string): Promise<VerifiedKey> {
      return secretCache.get(accessKeyId, () => loadKey(accessKeyId));
    },

    async recordUse(accessKeyId: string): Promise<void> {
      const now = clock.now();
      if (now - (lastUsedWrites.get(accessKeyId) ?? 0) < LAST_USED_WRITE_INTERVAL_MS) return;
      lastUsedWrites.set(accessKeyId, now);
      await db.updateTable('access_keys').set({ last_used_at: now }).where('id', '=', accessKeyId).execute();
    },
  };
}

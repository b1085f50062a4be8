import { Type, type Static } from 'typebox';
import type { HeraldContext } from '../../context/herald-context.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import { newId, newSecret } from '../../ids.ts';
import { createTtlCache } from '../../ttl-cache.ts';
import type { AppsTable } from '../../storage/schema.ts';
import { mintInboxToken } from '../../security/subscriber-credentials.ts';
import { insertUnique } from '../../storage/insert-unique.ts';
import { failIfTaken } from '../../storage/unique-violation.ts';
import { canonicalTimeZone } from '../../zoned-time.ts';

const MAX_INBOX_ORIGINS = 50;

const RetryPolicySchema = Type.Object(
  {
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    maxAgeSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 2_592_000 })),
  },
  { additionalProperties: false },
);

/**
 * Per-app overrides of the delivery policy; absent fields fall back to the configuration.
 * `channels` overrides the same fields per channel, e.g. `{ sms: { maxAttempts: 3 } }`.
 */
export const AppSettingsSchema = Type.Object(
  {
    ...RetryPolicySchema.properties,
    channels: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z]+$' }), RetryPolicySchema)),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone of receivers without their own (quiet hours), e.g. Asia/Shanghai; default UTC" })),
    retentionDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3650, description: 'Finished messages older than this many days are purged with their deliveries and events; default HERALD_RETENTION_DAYS (30)' }),
    ),
    inbox: Type.Optional(
      Type.Object(
        {
          allowedOrigins: Type.Optional(
            Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: MAX_INBOX_ORIGINS, description: 'Web origins whose pages may call the inbox API (CORS), e.g. https://shop.example.com' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    rateLimits: Type.Optional(
      Type.Object(
        {
          sendPerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Receivers accepted per second (a batch costs one per receiver); default HERALD_RATE_SEND_PER_SECOND' })),
          sendBurst: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'Receivers accepted at once before the send rate applies; default HERALD_RATE_SEND_BURST' })),
          managePerSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Other state-changing calls per second; default HERALD_RATE_MANAGE_PER_SECOND' })),
          manageBurst: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'Other state-changing calls at once; default HERALD_RATE_MANAGE_BURST' })),
        },
        { additionalProperties: false, description: 'Per-app API rate limits (token buckets shared by all API processes); over them → 429 RATE_LIMITED' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type AppSettings = Static<typeof AppSettingsSchema>;

/** An exact web origin as browsers send it: http(s), a host, an optional port, nothing after. */
function checkedOrigin(origin: string): string {
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== origin) {
    throw invalid('APP_INBOX_ORIGIN_INVALID', `settings.inbox.allowedOrigins: "${origin}" is not an origin; write scheme://host[:port] in lower case with http or https and no path, e.g. https://shop.example.com`, {
      field: 'settings.inbox.allowedOrigins',
    });
  }
  return origin;
}

/** Settings as stored: the time zone checked and in its canonical spelling, inbox origins exact. */
function checkedSettings(settings: AppSettings): AppSettings {
  let checked = settings;
  if (settings.timezone !== undefined) {
    const timezone = canonicalTimeZone(settings.timezone);
    if (timezone === undefined) {
      throw invalid('APP_TIMEZONE_INVALID', `settings.timezone: "${settings.timezone}" is not an IANA time zone like Asia/Shanghai or Europe/Berlin`, { field: 'settings.timezone' });
    }
    checked = { ...checked, timezone };
  }
  const origins = settings.inbox?.allowedOrigins;
  if (origins !== undefined) checked = { ...checked, inbox: { ...settings.inbox, allowedOrigins: [...new Set(origins.map(checkedOrigin))] } };
  return checked;
}

export interface AppView {
  id: string;
  name: string;
  description: string;
  status: 'active' | 'disabled';
  settings: AppSettings;
  createdAt: string;
  updatedAt: string;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export function toAppView(row: AppsTable): AppView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    settings: JSON.parse(row.settings) as AppSettings,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export type AppService = ReturnType<typeof createAppService>;

/** The app's secrets: `callback` signs result callbacks, `inbox` signs subscriber hashes and inbox tokens. */
export type AppSecretKind = 'callback' | 'inbox';
const SECRET_COLUMNS = { callback: 'callback_secret_enc', inbox: 'inbox_secret_enc' } as const;

const nameTaken = (name: string) => conflict('APP_NAME_TAKEN', `An app named "${name}" already exists`, { field: 'name' });

/** How long the accept path trusts an app's settings; edits in this process apply at once. */
const SETTINGS_CACHE_MS = 2_000;

export function createAppService({ database: { db }, clock, cryptoBox }: HeraldContext) {
  const settingsCache = createTtlCache<AppSettings>({ ttlMs: SETTINGS_CACHE_MS, clock });
  const updateListeners: Array<(appId: string) => void> = [];

  function assertName(name: string): void {
    if (!NAME_PATTERN.test(name)) {
      throw invalid('APP_NAME_INVALID', `App name "${name}" must be 1-63 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit`, { field: 'name' });
    }
  }

  async function findRow(idOrName: string): Promise<AppsTable | undefined> {
    return db
      .selectFrom('apps')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .executeTakeFirst();
  }

  async function existingRow(idOrName: string): Promise<AppsTable> {
    const row = await findRow(idOrName);
    if (!row) throw notFound('APP_NOT_FOUND', `No app with id or name "${idOrName}"`);
    return row;
  }

  async function secretOf(idOrName: string, kind: AppSecretKind): Promise<string> {
    const row = await existingRow(idOrName);
    const stored = row[SECRET_COLUMNS[kind]];
    if (stored !== null) return cryptoBox.decrypt(stored);
    // Only a concurrent first use races here; the guarded write makes both callers read one secret.
    await db.updateTable('apps').set({ [SECRET_COLUMNS[kind]]: cryptoBox.encrypt(newSecret()) }).where('id', '=', row.id).where(SECRET_COLUMNS[kind], 'is', null).execute();
    return secretOf(row.id, kind);
  }

  async function rotateSecret(idOrName: string, kind: AppSecretKind): Promise<string> {
    const row = await existingRow(idOrName);
    const secret = newSecret();
    await db.updateTable('apps').set({ [SECRET_COLUMNS[kind]]: cryptoBox.encrypt(secret), updated_at: clock.now() }).where('id', '=', row.id).execute();
    for (const listener of updateListeners) listener(row.id);
    return secret;
  }

  return {
    async create(input: { name: string; description?: string; settings?: AppSettings }): Promise<AppView> {
      assertName(input.name);
      if (await findRow(input.name)) throw nameTaken(input.name);
      const now = clock.now();
      const row: AppsTable = {
        id: newId('app', now),
        name: input.name,
        description: input.description ?? '',
        status: 'active',
        callback_secret_enc: cryptoBox.encrypt(newSecret()),
        inbox_secret_enc: cryptoBox.encrypt(newSecret()),
        settings: JSON.stringify(checkedSettings(input.settings ?? {})),
        created_at: now,
        updated_at: now,
      };
      await insertUnique(db, 'apps', row, ['name'], () => nameTaken(input.name));
      return toAppView(row);
    },

    async list(): Promise<AppView[]> {
      const rows = await db.selectFrom('apps').selectAll().orderBy('name').execute();
      return rows.map(toAppView);
    },

    /** Looks an app up by id or by name. */
    async get(idOrName: string): Promise<AppView> {
      const row = await findRow(idOrName);
      if (!row) throw notFound('APP_NOT_FOUND', `No app with id or name "${idOrName}"`);
      return toAppView(row);
    },

    async update(idOrName: string, patch: { name?: string; description?: string; status?: 'active' | 'disabled'; settings?: AppSettings }): Promise<AppView> {
      const row = await findRow(idOrName);
      if (!row) throw notFound('APP_NOT_FOUND', `No app with id or name "${idOrName}"`);
      if (patch.name !== undefined && patch.name !== row.name) {
        assertName(patch.name);
        if (await findRow(patch.name)) throw nameTaken(patch.name);
      }
      const updated: AppsTable = {
        ...row,
        name: patch.name ?? row.name,
        description: patch.description ?? row.description,
        status: patch.status ?? row.status,
        settings: patch.settings ? JSON.stringify(checkedSettings(patch.settings)) : row.settings,
        updated_at: clock.now(),
      };
      await failIfTaken(db.updateTable('apps').set(updated).where('id', '=', row.id).execute(), () => nameTaken(updated.name));
      settingsCache.delete(row.id);
      for (const listener of updateListeners) listener(row.id);
      return toAppView(updated);
    },

    /** Calls `listener` after an app changed in this process (caches of other services drop what they hold). */
    onUpdated(listener: (appId: string) => void): void {
      updateListeners.push(listener);
    },

    /** The delivery policy overrides of an app (cached briefly: read on every accept). */
    settings(appId: string): Promise<AppSettings> {
      return settingsCache.get(appId, async () => {
        const row = await findRow(appId);
        if (!row) throw notFound('APP_NOT_FOUND', `No app with id or name "${appId}"`);
        return toAppView(row).settings;
      });
    },

    /** The secret signing result callbacks to this app (shown to admins so the app can verify them). */
    callbackSecret: (idOrName: string): Promise<string> => secretOf(idOrName, 'callback'),
    rotateCallbackSecret: (idOrName: string): Promise<string> => rotateSecret(idOrName, 'callback'),
    /** The secret the app's backend signs subscriber hashes and inbox tokens with (created on first use for apps older than the inbox). */
    inboxSecret: (idOrName: string): Promise<string> => secretOf(idOrName, 'inbox'),
    rotateInboxSecret: (idOrName: string): Promise<string> => rotateSecret(idOrName, 'inbox'),

    /** A token proving `subscriberId` to the app's inbox API for `ttlSeconds`, for backends that prefer expiring proofs to subscriber hashes. */
    async mintInboxToken(idOrName: string, subscriberId: string, ttlSeconds: number): Promise<{ token: string; expiresAt: string }> {
      const row = await existingRow(idOrName);
      const expiresAtMs = clock.now() + ttlSeconds * 1000;
      const token = mintInboxToken(await secretOf(row.id, 'inbox'), { appId: row.id, subscriberId, expiresAtMs });
      return { token, expiresAt: new Date(Math.floor(expiresAtMs / 1000) * 1000).toISOString() };
    },
  };
}

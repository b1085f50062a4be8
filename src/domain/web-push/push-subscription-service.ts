import type { HeraldContext } from '../../context/herald-context.ts';
import { loadOrCreateVapidKeys } from '../../deliveries/vapid-keys.ts';
import { invalid, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { PushSubscriptionsTable } from '../../storage/schema.ts';

/** A browser subscription as `PushSubscription.toJSON()` gives it (`expirationTime` is accepted and not used). */
export interface PushSubscriptionInput {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  expirationTime?: number | null;
}

export interface PushSubscriptionView {
  /** The `pushSubscription` address of this browser: `{ "pushSubscription": "wps_..." }` sends to it alone. */
  id: string;
  endpoint: string;
  userAgent: string | null;
  createdAt: string;
  updatedAt: string;
}

export const MAX_PUSH_ENDPOINT_LENGTH = 2048;
/** RFC 8291 §3.2: an uncompressed P-256 point, and a 16-byte auth secret. */
const P256DH_BYTES = 65;
const AUTH_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const MAX_USER_AGENT_LENGTH = 512;

function checkEndpoint(endpoint: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    // Reported below.
  }
  // Push services speak HTTPS only (RFC 8030 §8); which hosts may be reached is the outbound guard's call at send time.
  if (!url || url.protocol !== 'https:' || endpoint.length > MAX_PUSH_ENDPOINT_LENGTH) {
    throw invalid('PUSH_ENDPOINT_INVALID', `endpoint: expected the https: URL of the browser's push service (at most ${MAX_PUSH_ENDPOINT_LENGTH} characters), as PushSubscription.endpoint gives it`, {
      field: 'endpoint',
    });
  }
}

/** base64url without padding (padding is tolerated and dropped), decoding to `bytes` bytes. */
function checkKey(value: string, bytes: number, field: string, check: (decoded: Buffer) => boolean = () => true): string {
  const decoded = BASE64URL.test(value) ? Buffer.from(value.replace(/=+$/, ''), 'base64url') : undefined;
  if (!decoded || decoded.length !== bytes || !check(decoded)) {
    throw invalid('PUSH_KEY_INVALID', `${field}: expected ${bytes} bytes in base64url, as PushSubscription.toJSON().${field} gives it`, { field });
  }
  return decoded.toString('base64url');
}

function toView(row: PushSubscriptionsTable): PushSubscriptionView {
  return { id: row.id, endpoint: row.endpoint, userAgent: row.user_agent, createdAt: new Date(row.created_at).toISOString(), updatedAt: new Date(row.updated_at).toISOString() };
}

export type PushSubscriptionService = ReturnType<typeof createPushSubscriptionService>;

/** Browsers' Web Push subscriptions per subscriber, and the app's VAPID public key they subscribe with. */
export function createPushSubscriptionService({ database, clock, cryptoBox }: HeraldContext) {
  const { db } = database;

  async function subscriberId(appId: string, externalId: string): Promise<string> {
    const row = await db.selectFrom('subscribers').select('id').where('app_id', '=', appId).where('external_id', '=', externalId).executeTakeFirst();
    if (!row) throw notFound('SUBSCRIBER_NOT_FOUND', `No subscriber with external id "${externalId}" in this app`);
    return row.id;
  }

  return {
    /**
     * Stores a browser's subscription for a subscriber. The endpoint identifies the browser: the
     * same endpoint again (new keys, or another subscriber signed in there) replaces the stored one.
     */
    async register(appId: string, externalId: string, input: PushSubscriptionInput, userAgent: string | undefined): Promise<{ subscription: PushSubscriptionView; created: boolean }> {
      checkEndpoint(input.endpoint);
      const p256dh = checkKey(input.keys.p256dh, P256DH_BYTES, 'keys.p256dh', (point) => point[0] === 0x04);
      const auth = checkKey(input.keys.auth, AUTH_BYTES, 'keys.auth');
      const owner = await subscriberId(appId, externalId);
      const now = clock.now();
      const row: PushSubscriptionsTable = {
        id: newId('wps', now),
        app_id: appId,
        subscriber_id: owner,
        endpoint: input.endpoint,
        p256dh,
        auth,
        user_agent: userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
        created_at: now,
        updated_at: now,
      };
      await db
        .insertInto('push_subscriptions')
        .values(row)
        .onConflict((conflict) =>
          conflict.columns(['app_id', 'endpoint']).doUpdateSet({ subscriber_id: owner, p256dh, auth, user_agent: row.user_agent, updated_at: now }),
        )
        .execute();
      const stored = await db.selectFrom('push_subscriptions').selectAll().where('app_id', '=', appId).where('endpoint', '=', input.endpoint).executeTakeFirstOrThrow();
      return { subscription: toView(stored), created: stored.id === row.id };
    },

    async list(appId: string, externalId: string): Promise<PushSubscriptionView[]> {
      const owner = await subscriberId(appId, externalId);
      const rows = await db.selectFrom('push_subscriptions').selectAll().where('subscriber_id', '=', owner).orderBy('id').execute();
      return rows.map(toView);
    },

    async delete(appId: string, externalId: string, id: string): Promise<void> {
      const owner = await subscriberId(appId, externalId);
      const result = await db.deleteFrom('push_subscriptions').where('id', '=', id).where('subscriber_id', '=', owner).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw notFound('PUSH_SUBSCRIPTION_NOT_FOUND', `Subscriber "${externalId}" has no push subscription ${id}`);
    },

    /** The key browsers pass as `applicationServerKey` to `pushManager.subscribe()`; made on first call. */
    async vapidPublicKey(appId: string): Promise<string> {
      return (await loadOrCreateVapidKeys(database, cryptoBox, appId, clock.now())).publicKey;
    },

    /** For the send pipeline: the subscription ids of each of these subscribers (by subscriber id), oldest first. */
    async idsBySubscriber(subscriberIds: readonly string[]): Promise<Map<string, string[]>> {
      const ids = new Map<string, string[]>();
      if (subscriberIds.length === 0) return ids;
      const rows = await db.selectFrom('push_subscriptions').select(['id', 'subscriber_id']).where('subscriber_id', 'in', [...subscriberIds]).orderBy('id').execute();
      for (const row of rows) ids.set(row.subscriber_id, [...(ids.get(row.subscriber_id) ?? []), row.id]);
      return ids;
    },
  };
}

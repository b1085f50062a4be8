import type { AddressKind } from '../channels/address-kinds.ts';
import type { Clock } from '../clock.ts';
import { loadOrCreateVapidKeys } from '../deliveries/vapid-keys.ts';
import type { VapidKeyPair, WebPushDirectory } from '../providers/provider.ts';
import type { CryptoBox } from '../security/crypto-box.ts';
import type { HeraldDatabase } from '../storage/database.ts';

/** What the worker does with an address a platform says is gone (`addressGone`), per address kind. */
export type GoneAddressForgetters = Partial<Record<AddressKind, (appId: string, address: string) => Promise<void>>>;

/**
 * The Web Push provider's view of storage, for the delivery worker: a subscription by id, the
 * app's VAPID keys (cached: an app's pair never changes once made), and forgetting a subscription
 * the push service answered 404/410 for, so later sends to its subscriber skip that browser.
 */
export function createWebPushDirectory(options: { database: HeraldDatabase; cryptoBox: CryptoBox; clock: Clock }): WebPushDirectory & { forget(appId: string, subscriptionId: string): Promise<void> } {
  const { db } = options.database;
  const vapidByApp = new Map<string, Promise<VapidKeyPair>>();
  return {
    async subscription(appId, subscriptionId) {
      const row = await db.selectFrom('push_subscriptions').select(['endpoint', 'p256dh', 'auth']).where('id', '=', subscriptionId).where('app_id', '=', appId).executeTakeFirst();
      return row && { endpoint: row.endpoint, keys: { p256dh: row.p256dh, auth: row.auth } };
    },
    vapidKeys(appId) {
      let keys = vapidByApp.get(appId);
      if (!keys) {
        keys = loadOrCreateVapidKeys(options.database, options.cryptoBox, appId, options.clock.now());
        vapidByApp.set(appId, keys);
        keys.catch(() => vapidByApp.delete(appId));
      }
      return keys;
    },
    async forget(appId, subscriptionId) {
      await db.deleteFrom('push_subscriptions').where('id', '=', subscriptionId).where('app_id', '=', appId).execute();
    },
  };
}

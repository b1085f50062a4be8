import type * as webPushModule from 'web-push';
import { lazyRequire } from '../lazy-require.ts';
import type { VapidKeyPair } from '../providers/provider.ts';
import type { CryptoBox } from '../security/crypto-box.ts';
import type { HeraldDatabase } from '../storage/database.ts';

const webPush = lazyRequire<typeof webPushModule>('web-push');

/**
 * An app's VAPID key pair, made on first need: by the API when a browser asks for the public
 * key to subscribe with, or by the worker when the first push goes out. Concurrent first calls
 * agree on one pair (the first insert wins, the others read it back).
 */
export async function loadOrCreateVapidKeys(database: HeraldDatabase, cryptoBox: CryptoBox, appId: string, nowMs: number): Promise<VapidKeyPair> {
  const read = () => database.db.selectFrom('vapid_keys').select(['public_key', 'private_key_enc']).where('app_id', '=', appId).executeTakeFirst();
  let row = await read();
  if (!row) {
    const keys = webPush().generateVAPIDKeys();
    await database.db
      .insertInto('vapid_keys')
      .values({ app_id: appId, public_key: keys.publicKey, private_key_enc: cryptoBox.encrypt(keys.privateKey), created_at: nowMs })
      .onConflict((conflict) => conflict.column('app_id').doNothing())
      .execute();
    row = (await read())!;
  }
  return { publicKey: row.public_key, privateKey: cryptoBox.decrypt(row.private_key_enc) };
}

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../clock.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { testCryptoBox } from '../../test/support/dispatch-test-kit.ts';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { createProviderTokenCache } from './provider-token-cache.ts';

for (const dialect of testDialects) {
  describe(`provider token cache on ${dialect}`, () => {
    let database: HeraldDatabase;
    let close: () => Promise<void>;
    let clock: ManualClock;
    let fetches: number;
    const cryptoBox = testCryptoBox();
    const fetchToken = async () => {
      fetches++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { token: `token-${fetches}`, expiresInSeconds: 7200 };
    };
    const newCache = () => createProviderTokenCache({ database, cryptoBox, clock });

    beforeEach(async () => {
      ({ database, close } = await createMigratedDatabase(dialect));
      clock = new ManualClock();
      fetches = 0;
    });
    afterEach(() => close());

    test('fetches once, shares the token with other workers through the database, encrypted', async () => {
      const cache = newCache();
      assert.equal(await cache.get('wecom:corp:secret', fetchToken), 'token-1');
      assert.equal(await cache.get('wecom:corp:secret', fetchToken), 'token-1');
      assert.equal(await newCache().get('wecom:corp:secret', fetchToken), 'token-1', 'another worker reads it from the database');
      assert.equal(fetches, 1);
      const row = await database.db.selectFrom('provider_tokens').selectAll().executeTakeFirstOrThrow();
      assert.ok(!row.token_enc.includes('token-1'));
      assert.equal(cryptoBox.decrypt(row.token_enc), 'token-1');
    });

    test('refreshes five minutes before the provider expiry', async () => {
      const cache = newCache();
      await cache.get('k', fetchToken);
      clock.advance(7200_000 - 300_000 - 1);
      assert.equal(await cache.get('k', fetchToken), 'token-1');
      clock.advance(1);
      assert.equal(await cache.get('k', fetchToken), 'token-2');
      assert.equal(await newCache().get('k', fetchToken), 'token-2');
    });

    test('concurrent callers share one fetch, in one process and across processes', async () => {
      const caches = [newCache(), newCache(), newCache()];
      const tokens = await Promise.all(caches.flatMap((cache) => [cache.get('wechat:app', fetchToken), cache.get('wechat:app', fetchToken)]));
      // SQLite serves one process: only PostgreSQL coordinates separate caches (processes) with a row lock.
      if (dialect === 'postgres') {
        assert.deepEqual(new Set(tokens), new Set(['token-1']));
        assert.equal(fetches, 1);
      } else {
        assert.equal(fetches, 3, 'one fetch per cache instance');
      }
    });

    test('invalidate drops the rejected token only', async () => {
      const first = newCache();
      const second = newCache();
      await first.get('k', fetchToken);
      await second.get('k', fetchToken);
      await first.invalidate('k');
      assert.equal(await first.get('k', fetchToken), 'token-2');
      // The second worker's copy of token-1 was rejected too, but token-2 must survive its invalidate.
      await second.invalidate('k');
      assert.equal(await second.get('k', fetchToken), 'token-2');
      assert.equal(fetches, 2);
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../clock.ts';
import type { HeraldDatabase } from '../../storage/database.ts';
import { createMigratedDatabase, testDialects } from '../../../test/support/test-databases.ts';
import { createPolicyCounters, type PolicyCounters } from './policy-counters.ts';

const MINUTE_MS = 60_000;

for (const dialect of testDialects) {
  describe(`policy counters on ${dialect}`, () => {
    const clock = new ManualClock();
    let database: HeraldDatabase;
    let close: () => Promise<void>;
    let counters: PolicyCounters;
    const appId = 'app_counters';

    before(async () => {
      ({ database, close } = await createMigratedDatabase(dialect));
      await database.db.insertInto('apps').values({ id: appId, name: 'counters', description: '', status: 'active', callback_secret_enc: 'x', inbox_secret_enc: null, settings: '{}', created_at: 0, updated_at: 0 }).execute();
      counters = createPolicyCounters({ database, clock });
    });
    after(() => close());

    test('grants up to the limit in a window that opens with the first take, then starts afresh', async () => {
      const take = (key: string) => counters.take(appId, [{ key, limit: 2, windowMs: MINUTE_MS }], clock.now());
      assert.deepEqual(await take('a'), [true]);
      clock.advance(30_000);
      assert.deepEqual(await take('a'), [true]);
      assert.deepEqual(await take('a'), [false]);
      assert.deepEqual(await take('b'), [true], 'keys count apart');
      clock.advance(30_000);
      // The window of "a" opened a minute ago: it is over, the count starts again.
      assert.deepEqual(await take('a'), [true]);
      assert.deepEqual(await take('a'), [true]);
      assert.deepEqual(await take('a'), [false]);
    });

    test('one call counts repeated keys in order, and each key against its own limit', async () => {
      const granted = await counters.take(
        appId,
        [
          { key: 'r', limit: 2, windowMs: MINUTE_MS },
          { key: 's', limit: 1, windowMs: MINUTE_MS },
          { key: 'r', limit: 2, windowMs: MINUTE_MS },
          { key: 's', limit: 1, windowMs: MINUTE_MS },
          { key: 'r', limit: 2, windowMs: MINUTE_MS },
        ],
        clock.now(),
      );
      assert.deepEqual(granted, [true, true, true, false, false]);
    });

    test('concurrent takes of one key never grant more than the limit together', async () => {
      // 40 callers at once over the pool (PostgreSQL: up to 10 connections in parallel) race for 5 slots.
      const racers = Array.from({ length: 40 }, () => counters.take(appId, [{ key: 'race', limit: 5, windowMs: MINUTE_MS }, { key: 'race-b', limit: 3, windowMs: MINUTE_MS }], clock.now()));
      const results = await Promise.all(racers);
      assert.equal(results.filter(([granted]) => granted).length, 5);
      assert.equal(results.filter(([, granted]) => granted).length, 3);
      const row = await database.db.selectFrom('policy_counters').select(['count', 'max_count']).where('counter_key', '=', 'race').executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { count: 5, max_count: 5 });
    });

    test('housekeeping forgets counters whose window is over', async () => {
      await counters.take(appId, [{ key: 'old', limit: 1, windowMs: MINUTE_MS }], clock.now());
      clock.advance(MINUTE_MS);
      await counters.take(appId, [{ key: 'fresh', limit: 1, windowMs: MINUTE_MS }], clock.now());
      assert.ok((await counters.purgeExpired()) >= 1);
      const keys = (await database.db.selectFrom('policy_counters').select('counter_key').execute()).map((row) => row.counter_key);
      assert.ok(keys.includes('fresh'));
      assert.ok(!keys.includes('old'));
    });
  });
}

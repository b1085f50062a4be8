import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../clock.ts';
import type { HeraldDatabase } from '../../storage/database.ts';
import { createMigratedDatabase, testDialects } from '../../../test/support/test-databases.ts';
import { createTokenBuckets } from './token-buckets.ts';

for (const dialect of testDialects) {
  describe(`token buckets on ${dialect}`, () => {
    const clock = new ManualClock();
    let database: HeraldDatabase;
    let close: () => Promise<void>;

    before(async () => {
      ({ database, close } = await createMigratedDatabase(dialect));
    });
    after(() => close());

    test('a full bucket lets the burst through, then refills at the rate', async () => {
      const buckets = createTokenBuckets({ database, clock });
      const limits = { ratePerSecond: 2, burst: 2 };
      const first = await buckets.take('refill', limits, 1);
      assert.deepEqual(first, { granted: true, limit: 2, remaining: 1, resetSeconds: 1, retryAfterSeconds: 0 });
      assert.equal((await buckets.take('refill', limits, 1)).remaining, 0);
      const refused = await buckets.take('refill', limits, 1);
      assert.deepEqual(refused, { granted: false, limit: 2, remaining: 0, resetSeconds: 1, retryAfterSeconds: 1 });
      clock.advance(500);
      assert.equal((await buckets.take('refill', limits, 1)).granted, true, 'half a second adds one token');
      assert.equal((await buckets.take('refill', limits, 1)).granted, false);
      clock.advance(60_000);
      assert.equal((await buckets.take('refill', limits, 2)).granted, true, 'never more than the burst after a long pause');
      assert.equal((await buckets.take('refill', limits, 1)).granted, false);
    });

    test('requests arriving together in one process share its reservation instead of each taking a chunk of the bucket', async () => {
      // A chunk is a 20th of the burst: 100 concurrent takes each grabbing one would have drained these 200 tokens after 20.
      const buckets = createTokenBuckets({ database, clock });
      const limits = { ratePerSecond: 1, burst: 200 };
      const results = await Promise.all(Array.from({ length: 100 }, () => buckets.take('together', limits, 1)));
      assert.equal(results.filter((result) => result.granted).length, 100);
      const other = createTokenBuckets({ database, clock });
      const fromAnotherProcess = await Promise.all(Array.from({ length: 80 }, () => other.take('together', limits, 1)));
      assert.equal(fromAnotherProcess.filter((result) => result.granted).length, 80, 'what the first process holds unspent is at most a chunk or two');
    });

    test('concurrent takes from several processes never hand out more than the bucket holds', async () => {
      const processes = [createTokenBuckets({ database, clock }), createTokenBuckets({ database, clock }), createTokenBuckets({ database, clock })];
      const limits = { ratePerSecond: 1, burst: 10 };
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => processes[i % processes.length]!.take('shared', limits, 1)));
      assert.equal(results.filter((result) => result.granted).length, 10);
    });

    test('a process spends its reserved share without the database, and gives back what it did not spend', async () => {
      const limits = { ratePerSecond: 1, burst: 200 };
      const first = createTokenBuckets({ database, clock });
      const second = createTokenBuckets({ database, clock });
      assert.equal((await first.take('reserve', limits, 1)).granted, true);
      const row = () => database.db.selectFrom('rate_buckets').select(['tokens', 'taken']).where('bucket_key', '=', 'reserve').executeTakeFirstOrThrow();
      assert.deepEqual({ ...(await row()) }, { tokens: 190, taken: 10 }, 'a twentieth of the burst reserved at once');
      for (let i = 0; i < 9; i++) assert.equal((await first.take('reserve', limits, 1)).granted, true);
      assert.deepEqual({ ...(await row()) }, { tokens: 190, taken: 10 }, 'spent from the reservation, no statement');
      assert.equal((await second.take('reserve', limits, 190)).granted, true, 'the other process gets the rest');
      assert.equal((await second.take('reserve', limits, 1)).granted, false);

      const third = createTokenBuckets({ database, clock });
      clock.advance(300_000);
      assert.equal((await third.take('reserve', limits, 2)).granted, true);
      clock.advance(2_000);
      // Its reservation expired unspent: the next take gives back the 8 left, which with 2 s of refill fill the bucket.
      assert.equal((await third.take('reserve', limits, 200)).granted, true);
    });

    test('a cost above the burst is charged as the whole burst, and purging drops idle buckets only', async () => {
      const buckets = createTokenBuckets({ database, clock });
      const limits = { ratePerSecond: 1, burst: 3 };
      assert.equal((await buckets.take('login:a', limits, 50)).granted, true);
      const refused = await buckets.take('login:a', limits, 50);
      assert.equal(refused.granted, false);
      assert.equal(refused.retryAfterSeconds, 3, 'waits for a full bucket');
      clock.advance(10_000);
      await buckets.take('login:b', limits, 1);
      await buckets.purgeIdle('login:', 5_000);
      const keys = (await database.db.selectFrom('rate_buckets').select('bucket_key').where('bucket_key', 'like', 'login:%').execute()).map((row) => row.bucket_key);
      assert.deepEqual(keys, ['login:b']);
    });
  });
}

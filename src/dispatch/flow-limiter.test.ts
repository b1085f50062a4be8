import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../clock.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { createFlowLimiter } from './flow-limiter.ts';

for (const dialect of testDialects) {
  describe(`flow limiter on ${dialect}`, () => {
    let database: HeraldDatabase;
    let close: () => Promise<void>;
    let clock: ManualClock;
    beforeEach(async () => {
      ({ database, close } = await createMigratedDatabase(dialect));
      clock = new ManualClock();
    });
    afterEach(() => close());

    const limit = [{ count: 20, perSeconds: 60 }];

    test('grants up to the limit inside a sliding window and says when slots free up', async () => {
      const limiter = createFlowLimiter({ database, clock });
      const t0 = clock.now();
      assert.deepEqual(await limiter.acquire('cha_robot', limit, 15), { granted: 15, retryAtMs: [] });
      clock.advance(10_000);
      const second = await limiter.acquire('cha_robot', limit, 8);
      assert.equal(second.granted, 5);
      // The three refused ones get the slots of the three oldest sends, at t0 + 60 s.
      assert.deepEqual(second.retryAtMs, [t0 + 60_000, t0 + 60_000, t0 + 60_000]);

      clock.set(t0 + 60_000);
      // The first 15 left the window; the 5 sent at t0 + 10 s are still in it.
      assert.equal((await limiter.acquire('cha_robot', limit, 20)).granted, 15);
      assert.equal((await limiter.acquire('cha_other', limit, 20)).granted, 20, 'accounts are limited separately');
    });

    test('the window is shared by every limiter on the database, also under concurrency', async () => {
      const limiters = Array.from({ length: 4 }, () => createFlowLimiter({ database, clock }));
      const grants = await Promise.all(limiters.flatMap((limiter) => [limiter.acquire('cha_shared', limit, 4), limiter.acquire('cha_shared', limit, 4)]));
      assert.equal(
        grants.reduce((sum, grant) => sum + grant.granted, 0),
        20,
      );
      const refused = grants.reduce((sum, grant) => sum + grant.retryAtMs.length, 0);
      assert.equal(refused, 12);
    });

    test('several windows hold together: 5 per second and 100 per minute (Feishu robot)', async () => {
      const limiter = createFlowLimiter({ database, clock });
      const feishu = [
        { count: 5, perSeconds: 1 },
        { count: 100, perSeconds: 60 },
      ];
      const t0 = clock.now();
      const first = await limiter.acquire('cha_feishu', feishu, 8);
      assert.equal(first.granted, 5, 'the per-second window binds first');
      assert.deepEqual(first.retryAtMs, [t0 + 1000, t0 + 1000, t0 + 1000]);
      let granted = 5;
      for (let second = 1; second < 30; second++) {
        clock.set(t0 + second * 1000);
        granted += (await limiter.acquire('cha_feishu', feishu, 5)).granted;
      }
      assert.equal(granted, 100, 'twenty seconds of 5 per second fill the minute');
      clock.set(t0 + 30_000);
      const blocked = await limiter.acquire('cha_feishu', feishu, 2);
      assert.equal(blocked.granted, 0, 'the per-minute window now binds although the second is free');
      assert.deepEqual(blocked.retryAtMs, [t0 + 60_000, t0 + 60_000]);
      clock.set(t0 + 60_000);
      assert.equal((await limiter.acquire('cha_feishu', feishu, 9)).granted, 5, 'the first second left the minute: the per-second window binds again');
    });
  });
}

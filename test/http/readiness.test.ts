import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { READINESS_FACTS_TTL_MS } from '../../src/http/readiness-check.ts';

for (const dialect of testDialects) {
  describe(`/readyz worker lag on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    const clock = new ManualClock();

    before(async () => {
      // No worker role: what is accepted stays due, and nobody claims it.
      herald = await createTestHerald(dialect, { clock, env: { HERALD_READY_MAX_LAG_SECONDS: '60', HERALD_WORKER_DEAD_AFTER_SECONDS: '15' } });
      app = await createAppWithKey(herald, 'ready-app');
      const created = await signedInject(herald, app, { method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook' } } });
      assert.equal(created.statusCode, 201, created.body);
    });
    after(() => herald.close());

    const ready = () => herald.server!.inject({ method: 'GET', url: '/readyz' });

    test('an empty queue has no lag; live workers are those that heartbeat within the dead-after threshold', async () => {
      const nowMs = clock.now();
      await herald.context.database.db
        .insertInto('workers')
        .values([
          { id: 'live-worker', started_at: nowMs - 60_000, heartbeat_at: nowMs - 5000 },
          { id: 'dead-worker', started_at: nowMs - 60_000, heartbeat_at: nowMs - 16_000 },
        ])
        .execute();
      const response = await ready();
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { status: 'ready', database: dialect, workerLagSeconds: 0, liveWorkers: 1 });

      // The queue facts are read at most once a second, however many probes arrive.
      await herald.context.database.db.insertInto('workers').values({ id: 'new-worker', started_at: nowMs, heartbeat_at: nowMs }).execute();
      const probes = await Promise.all(Array.from({ length: 20 }, () => ready()));
      assert.deepEqual(new Set(probes.map((probe) => probe.json().liveWorkers)), new Set([1]));
      clock.advance(READINESS_FACTS_TTL_MS);
      assert.equal((await ready()).json().liveWorkers, 2);
      await herald.context.database.db.deleteFrom('workers').where('id', '=', 'new-worker').execute();
    });

    test('a due delivery nobody claims is the lag, and past HERALD_READY_MAX_LAG_SECONDS readiness fails with the reason', async () => {
      const sent = await signedInject(herald, app, { method: 'POST', url: '/v1/messages', body: { to: [{ channelAccount: 'hooks' }], content: { body: 'due' } } });
      assert.equal(sent.statusCode, 202, sent.body);
      clock.advance(42_000);
      const lagging = await ready();
      assert.equal(lagging.statusCode, 200, lagging.body);
      assert.equal(lagging.json().workerLagSeconds, 42);

      clock.advance(19_000);
      const over = await ready();
      assert.equal(over.statusCode, 503, over.body);
      assert.equal(over.json().code, 'WORKER_LAG_TOO_HIGH');
      assert.equal(over.json().workerLagSeconds, 61);
      assert.match(over.json().detail, /HERALD_READY_MAX_LAG_SECONDS \(60\)/);
    });
  });

  describe(`/readyz without a maximum lag on ${dialect}`, () => {
    let herald: TestHerald;
    const clock = new ManualClock();
    before(async () => {
      herald = await createTestHerald(dialect, { clock });
    });
    after(() => herald.close());

    test('the lag is reported but never fails readiness', async () => {
      const app = await createAppWithKey(herald, 'unbounded-app');
      assert.equal((await signedInject(herald, app, { method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook' } } })).statusCode, 201);
      assert.equal((await signedInject(herald, app, { method: 'POST', url: '/v1/messages', body: { to: [{ channelAccount: 'hooks' }], content: { body: 'due' } } })).statusCode, 202);
      clock.advance(86_400_000);
      const response = await herald.server!.inject({ method: 'GET', url: '/readyz' });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().workerLagSeconds, 86_400);
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const SECOND = 1000;

for (const dialect of testDialects) {
  describe(`GET /v1/stats/queue on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let other: AppCredentials;
    const clock = new ManualClock(T0);
    const call = (method: string, url: string, body?: unknown, credentials = app) => signedInject(herald, credentials, { method, url, body });
    const send = async () => assert.equal((await call('POST', '/v1/messages', { to: [{ channelAccount: 'hooks' }], content: { title: 't', body: 'b' } })).statusCode, 202);
    const backlog = async (credentials = app) => {
      const response = await call('GET', '/v1/stats/queue', undefined, credentials);
      assert.equal(response.statusCode, 200, response.body);
      return response.json();
    };

    before(async () => {
      // No worker runs: accepted deliveries stay waiting.
      herald = await createTestHerald(dialect, { clock });
      app = await createAppWithKey(herald, 'queue-app');
      other = await createAppWithKey(herald, 'queue-other');
      assert.equal((await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'hooks', config: { url: 'https://hooks.example.com/h', secret: 'signing-secret' } })).statusCode, 201);
    });
    after(() => herald.close());

    test('an empty queue: zeros for every waiting status', async () => {
      assert.deepEqual(await backlog(), { depth: { queued: 0, scheduled: 0, retrying: 0 }, oldestDueSeconds: 0, at: new Date(T0).toISOString() });
    });

    test("waiting deliveries by status and the oldest due one's age, for the calling app only, reused for 5 s", async () => {
      clock.advance(10 * SECOND);
      await send();
      clock.advance(30 * SECOND);
      await send();
      clock.advance(50 * SECOND);
      const first = await backlog();
      assert.deepEqual([first.depth.queued, first.oldestDueSeconds], [2, 80]);
      assert.deepEqual((await backlog(other)).depth, { queued: 0, scheduled: 0, retrying: 0 });
      await send();
      clock.advance(4 * SECOND);
      assert.deepEqual(await backlog(), first, 'within 5 s the cached figures are answered');
      clock.advance(1 * SECOND);
      const fresh = await backlog();
      assert.deepEqual([fresh.depth.queued, fresh.oldestDueSeconds, fresh.at], [3, 85, new Date(clock.now()).toISOString()]);
    });
  });
}

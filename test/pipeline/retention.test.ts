import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { seedMessages } from '../support/seed-deliveries.ts';
import { testDialects } from '../support/test-databases.ts';
import { consoleSession, createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

/**
 * The retention purge under load: 100,000 old finished messages of the app that keeps sending,
 * purged in batches (one transaction of 500 messages each, a pause between) while sends go on
 * through the API. Sends must keep being accepted promptly throughout.
 */

const OLD_MESSAGES = 100_000;
const DAY_MS = 86_400_000;
/** The longest a send may take while the purge runs: a wait behind one batch transaction (100–900 ms here, the higher figures with other test runs on the machine), with room for more load. */
const SEND_LATENCY_BOUND_MS = 2000;

for (const dialect of testDialects) {
  describe(`retention through the API on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let accountId: string;
    const send = () => signedInject(herald, app, { method: 'POST', url: '/v1/messages', body: { to: [{ channelAccount: 'hooks' }], content: { title: 'Now', body: 'Sent during the purge' } } });

    beforeEach(async () => {
      herald = await createTestHerald(dialect, { roles: ['api', 'scheduler'] });
      app = await createAppWithKey(herald, 'busy');
      const account = await signedInject(herald, app, { method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/unused' } } });
      assert.equal(account.statusCode, 201, account.body);
      accountId = account.json().id;
    });
    afterEach(() => herald.close());

    test(`${OLD_MESSAGES} old messages purged in batches while sends through the API get 202 promptly`, { timeout: 300_000 }, async (t) => {
      const seeded = Date.now();
      await seedMessages(herald.context.database, { appId: app.appId, channelAccountId: accountId, channel: 'webhook', nowMs: Date.now() - 40 * DAY_MS, count: OLD_MESSAGES, finalStatus: 'sent' });
      const seedMs = Date.now() - seeded;

      // The first send of a process pays for compiling its route and statements: not the purge's doing.
      assert.equal((await send()).statusCode, 202);
      const started = Date.now();
      let purging = true;
      const purge = herald.retentionRunner!.runDue().finally(() => (purging = false));
      const latenciesMs: number[] = [];
      while (purging) {
        const sentAt = performance.now();
        const response = await send();
        latenciesMs.push(performance.now() - sentAt);
        assert.equal(response.statusCode, 202, response.body);
      }
      assert.equal(await purge, 1);
      const purgeMs = Date.now() - started;

      const { db } = herald.context.database;
      const left = await db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).where('app_id', '=', app.appId).executeTakeFirstOrThrow();
      assert.equal(Number(left.n), latenciesMs.length + 1, 'only the messages sent during the purge (and the warm-up) are left');
      const run = herald.logs.lines.map((line) => JSON.parse(line) as { msg: string; deleted: Record<string, number> }).find((line) => line.msg === 'retention run finished');
      assert.equal(run?.deleted.messages, OLD_MESSAGES);
      assert.equal(run?.deleted.batches, OLD_MESSAGES / herald.config.retention.batchSize);
      const longestMs = Math.max(...latenciesMs);
      const sorted = [...latenciesMs].sort((a, b) => a - b);
      t.diagnostic(
        `${dialect}: seeded ${OLD_MESSAGES} in ${seedMs} ms, purged in ${purgeMs} ms; ${latenciesMs.length} sends meanwhile, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, longest ${longestMs.toFixed(1)} ms`,
      );
      assert.ok(latenciesMs.length >= 20, `sends went on during the purge (${latenciesMs.length})`);
      assert.ok(longestMs < SEND_LATENCY_BOUND_MS, `the longest send took ${longestMs.toFixed(0)} ms`);
    });

    test("an app's settings.retentionDays takes 1 to 3650 days", async () => {
      const admin = await consoleSession(herald, 'admin');
      const patch = (retentionDays: number) => herald.server!.inject({ method: 'PATCH', url: `/v1/apps/${app.appId}`, headers: admin, payload: { settings: { retentionDays } } });
      for (const days of [0, 3651]) {
        const refused = await patch(days);
        assert.equal(refused.statusCode, 400, refused.body);
        assert.match(refused.json().detail, /retentionDays/);
      }
      const saved = await patch(90);
      assert.equal(saved.statusCode, 200, saved.body);
      assert.deepEqual(saved.json().settings, { retentionDays: 90 });
    });
  });
}

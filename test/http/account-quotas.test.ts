import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/clock.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { seedMessages } from '../support/seed-deliveries.ts';
import { testDialects } from '../support/test-databases.ts';

const hook = { url: 'http://127.0.0.1:9/hook', secret: 's3cret' };

for (const dialect of testDialects) {
  describe(`account quotas in the API on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    // 2026-01-05 09:00 UTC: 17:00 in Shanghai, whose midnight is 16:00 UTC.
    const clock = new ManualClock();

    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body, headers: { 'x-request-id': randomUUID() } });
    const db = () => herald.context.database.db;

    before(async () => {
      herald = await createTestHerald(dialect, { clock });
      app = await createAppWithKey(herald, 'quota-app');
    });
    after(() => herald.close());

    test('a quota is set on create, shown with its status, and setting a balance again counts afresh', async () => {
      const created = await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'daily', config: hook, quota: { period: 'day', limit: 100 } });
      assert.equal(created.statusCode, 201, created.body);
      const view = created.json();
      assert.deepEqual(view.quota, { period: 'day', limit: 100, timeZone: 'Asia/Shanghai' });
      assert.deepEqual(view.quotaStatus, {
        accountId: view.id,
        configured: { period: 'day', limit: 100, used: 0, remaining: 100, resetsAt: '2026-01-05T16:00:00.000Z' },
        reported: null,
        exhausted: null,
        limit: 100,
        remaining: 100,
      });

      const balance = await call('PATCH', `/v1/channel-accounts/${view.id}`, { quota: { period: 'balance', limit: 5000, timeZone: 'europe/berlin' } });
      assert.equal(balance.statusCode, 200, balance.body);
      assert.deepEqual(balance.json().quota, { period: 'balance', limit: 5000, timeZone: 'Europe/Berlin' });
      const since = JSON.parse((await db().selectFrom('channel_accounts').select('quota').where('id', '=', view.id).executeTakeFirstOrThrow()).quota!).sinceMs as number;
      await db().insertInto('account_quota_usage').values({ channel_account_id: view.id, period_start: since, used: 4990, updated_at: clock.now() }).execute();
      assert.deepEqual((await call('GET', `/v1/channel-accounts/${view.id}`)).json().quotaStatus.configured, { period: 'balance', limit: 5000, used: 4990, remaining: 10, resetsAt: null });

      clock.advance(1000);
      const toppedUp = await call('PATCH', `/v1/channel-accounts/daily`, { quota: { period: 'balance', limit: 5000 } });
      assert.deepEqual(toppedUp.json().quotaStatus.configured, { period: 'balance', limit: 5000, used: 0, remaining: 5000, resetsAt: null }, 'a new balance starts at zero');

      const removed = await call('PATCH', `/v1/channel-accounts/daily`, { quota: null });
      assert.equal(removed.json().quota, null);
      assert.equal(removed.json().quotaStatus.configured, null);
    });

    test('bad quotas are refused with a 400 naming the problem', async () => {
      const refusals = [
        [{ period: 'day', limit: 0 }, undefined],
        [{ period: 'week', limit: 10 }, undefined],
        [{ period: 'day', limit: 1.5 }, undefined],
        [{ period: 'month', limit: 10, timeZone: 'Mars/Olympus_Mons' }, 'QUOTA_TIME_ZONE_INVALID'],
      ] as const;
      for (const [quota, code] of refusals) {
        const response = await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'refused', config: hook, quota });
        assert.equal(response.statusCode, 400, JSON.stringify(quota));
        assert.match(response.headers['content-type'] as string, /application\/problem\+json/);
        const problem = response.json();
        assert.ok(typeof problem.code === 'string' && problem.code.length > 0);
        if (code) {
          assert.equal(problem.code, code);
          assert.match(problem.detail ?? problem.message ?? JSON.stringify(problem), /Mars\/Olympus_Mons/);
        }
      }
      assert.equal((await db().selectFrom('channel_accounts').select('id').where('name', '=', 'refused').execute()).length, 0);
    });

    test('GET /v1/quotas lists every account’s status; a reset clears an exhaustion mark, releases the deliveries waiting for it and is audited', async () => {
      const account = (await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'marked', config: hook })).json();
      const plain = (await call('POST', '/v1/channel-accounts', { type: 'smtp', name: 'plain', config: { host: '127.0.0.1', port: 2525, from: 'a@example.com' } })).json();
      const untilMs = clock.now() + 3_600_000;
      const mark = { sinceMs: clock.now(), untilMs, code: 'WECHAT_45009', message: 'WeChat errcode 45009' };
      await db().updateTable('channel_accounts').set({ quota_exhausted: JSON.stringify(mark) }).where('id', '=', account.id).execute();
      const { deliveryIds } = await seedMessages(herald.context.database, { appId: app.appId, channelAccountId: account.id, channel: 'webhook', nowMs: clock.now(), address: () => null });
      await db().updateTable('deliveries').set({ run_at: untilMs, last_error_code: 'QUOTA_EXHAUSTED' }).where('id', 'in', deliveryIds).execute();

      const listed = await call('GET', '/v1/quotas');
      assert.equal(listed.statusCode, 200, listed.body);
      const byName = new Map((listed.json().items as Array<{ name: string }>).map((item) => [item.name, item as any]));
      assert.deepEqual(byName.get('marked').exhausted, { since: new Date(mark.sinceMs).toISOString(), until: new Date(untilMs).toISOString(), code: 'WECHAT_45009', message: 'WeChat errcode 45009' });
      assert.equal(byName.get('marked').remaining, 0);
      assert.equal(byName.get('marked').accountId, account.id);
      assert.deepEqual([byName.get('plain').configured, byName.get('plain').exhausted, byName.get('plain').remaining], [null, null, null]);
      assert.equal(byName.get('plain').accountId, plain.id);

      const reset = await call('POST', `/v1/channel-accounts/marked/quota/reset`);
      assert.equal(reset.statusCode, 200, reset.body);
      assert.equal(reset.json().quotaStatus.exhausted, null);
      const released = await db().selectFrom('deliveries').select('run_at').where('id', 'in', deliveryIds).execute();
      assert.ok(released.every((row) => row.run_at === clock.now()), 'due at once');
      const audit = await db().selectFrom('audit_log').select(['action', 'target']).where('action', '=', 'POST /v1/channel-accounts/{idOrName}/quota/reset').execute();
      assert.deepEqual(audit.map((row) => row.target), [account.id]);

      const missing = await call('POST', `/v1/channel-accounts/no-such-account/quota/reset`);
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().code, 'CHANNEL_ACCOUNT_NOT_FOUND');
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAccountCircuits } from '../../src/dispatch/account-circuits.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { testDialects } from '../support/test-databases.ts';

/** Channel routes through the API: refused inputs, and how accepted sends are spread over the accounts (api role: nothing is sent). */

const smtp = (host: string) => ({ host, port: 587, from: 'Shop <shop@example.com>' });

for (const dialect of testDialects) {
  describe(`channel routes on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    const ids: Record<string, string> = {};
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

    /** Accounts of the deliveries of `batches` sends of 1,000 receivers each. */
    async function spreadOf(batches: number): Promise<Map<string, number>> {
      const counts = new Map<string, number>();
      for (let batch = 0; batch < batches; batch++) {
        const receivers = Array.from({ length: 1000 }, (_, i) => ({ to: { email: `r${batch}-${i}@example.com` } }));
        const accepted = await call('POST', '/v1/messages/batch', { receivers, channels: ['email'], content: { title: 'Hi', body: 'Hello' } });
        assert.equal(accepted.statusCode, 202, accepted.body);
        const rows = await herald.context.database.db.selectFrom('deliveries').select('channel_account_id').where('message_id', '=', accepted.json().id).execute();
        for (const row of rows) counts.set(row.channel_account_id!, (counts.get(row.channel_account_id!) ?? 0) + 1);
      }
      return counts;
    }

    before(async () => {
      herald = await createTestHerald(dialect, { random: seededRandom(20261203) });
      app = await createAppWithKey(herald, 'routes');
      for (const [name, config, type] of [
        ['relay-a', smtp('smtp-a.example.com'), 'smtp'],
        ['relay-b', smtp('smtp-b.example.com'), 'smtp'],
        ['ops-robot', { accessToken: 'robot-token' }, 'dingtalk-robot'],
      ] as const) {
        const created = await call('POST', '/v1/channel-accounts', { type, name, config });
        assert.equal(created.statusCode, 201, created.body);
        ids[name] = created.json().id;
      }
    });
    after(() => herald.close());

    test('a route naming what cannot be routed is refused with a code naming the field', async () => {
      const cases: Array<[unknown, number, string]> = [
        [{ mode: 'failover', accounts: [{ account: 'relay-a' }, { account: 'nope' }] }, 400, 'CHANNEL_ACCOUNT_NOT_FOUND'],
        [{ mode: 'failover', accounts: [{ account: 'relay-a' }, { account: 'relay-a' }] }, 400, 'ROUTE_ACCOUNT_REPEATED'],
        [{ mode: 'weighted', accounts: [{ account: 'relay-a', weight: 70 }, { account: 'relay-b' }] }, 400, 'ROUTE_WEIGHT_MISSING'],
        [{ mode: 'weighted', accounts: [{ account: 'relay-a', weight: 0 }] }, 400, 'VALIDATION_FAILED'],
        [{ mode: 'round-robin', accounts: [{ account: 'relay-a' }] }, 400, 'VALIDATION_FAILED'],
        [{ mode: 'failover', accounts: [] }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const response = await call('PUT', '/v1/channel-routes/email', body);
        assert.equal(response.statusCode, status, JSON.stringify(body));
        assert.equal(response.json().code, code, JSON.stringify(body));
      }
      const robot = await call('PUT', '/v1/channel-routes/dingtalk', { mode: 'failover', accounts: [{ account: 'ops-robot' }] });
      assert.equal(robot.json().code, 'ROUTE_ACCOUNT_NOT_ADDRESSED');
      const otherChannel = await call('PUT', '/v1/channel-routes/sms', { mode: 'failover', accounts: [{ account: 'relay-a' }] });
      assert.deepEqual([otherChannel.json().code, otherChannel.json().field], ['ROUTE_ACCOUNT_CHANNEL', 'accounts[0].account']);
      assert.equal((await call('PUT', '/v1/channel-routes/fax', { mode: 'failover', accounts: [{ account: 'relay-a' }] })).statusCode, 404);
    });

    test('weighted 70/30: 10,000 deliveries split within 2 points of 70/30; failover sends through the first account; without a route the default', async () => {
      const weighted = await call('PUT', '/v1/channel-routes/email', { mode: 'weighted', accounts: [{ account: 'relay-a', weight: 70 }, { account: 'relay-b', weight: 30 }] });
      assert.equal(weighted.statusCode, 200, weighted.body);
      assert.deepEqual(weighted.json().accounts.map((account: { name: string; weight: number }) => [account.name, account.weight]), [['relay-a', 70], ['relay-b', 30]]);
      assert.deepEqual((await call('GET', '/v1/channel-routes')).json().items.map((route: { channel: string; mode: string }) => [route.channel, route.mode]), [['email', 'weighted']]);

      const split = await spreadOf(10);
      const share = (split.get(ids['relay-a']!) ?? 0) / 100;
      assert.equal((split.get(ids['relay-a']!) ?? 0) + (split.get(ids['relay-b']!) ?? 0), 10_000);
      assert.ok(share >= 68 && share <= 72, `relay-a got ${share}% of 10,000`);

      await call('PUT', '/v1/channel-routes/email', { mode: 'failover', accounts: [{ account: 'relay-b' }, { account: 'relay-a' }] });
      assert.deepEqual([...(await spreadOf(1)).keys()], [ids['relay-b']], 'failover starts at the first account');

      assert.equal((await call('DELETE', '/v1/channel-routes/email')).statusCode, 204);
      assert.deepEqual([...(await spreadOf(1)).keys()], [ids['relay-a']], "without a route: the channel's default account (the first created)");
      assert.equal((await call('DELETE', '/v1/channel-routes/email')).json().code, 'CHANNEL_ROUTE_NOT_FOUND');
    });

    test("a route shows each account's circuit: open after transient failures with the time it closes, closed again after a success", async () => {
      const circuits = createAccountCircuits({ database: herald.context.database, clock: herald.clock, policy: { failureThreshold: 2, cooldownSeconds: 60 } });
      assert.equal((await call('PUT', '/v1/channel-routes/email', { mode: 'failover', accounts: [{ account: 'relay-a' }, { account: 'relay-b' }] })).statusCode, 200);
      const circuitsShown = async () =>
        (await call('GET', '/v1/channel-routes')).json().items[0].accounts.map((account: { name: string; circuitOpenUntil: string | null }) => [account.name, account.circuitOpenUntil]);
      assert.deepEqual(await circuitsShown(), [['relay-a', null], ['relay-b', null]]);

      const failedAt = herald.clock.now();
      await circuits.record([{ accountId: ids['relay-a']!, transient: true }, { accountId: ids['relay-a']!, transient: true }]);
      const [[, openUntil], relayB] = await circuitsShown();
      assert.ok(Date.parse(openUntil) >= failedAt + 60_000 && Date.parse(openUntil) <= herald.clock.now() + 60_000, `open until ${openUntil}`);
      assert.deepEqual(relayB, ['relay-b', null]);

      await circuits.record([{ accountId: ids['relay-a']!, transient: false }]);
      assert.deepEqual(await circuitsShown(), [['relay-a', null], ['relay-b', null]]);
      assert.equal((await call('DELETE', '/v1/channel-routes/email')).statusCode, 204);
    });
  });
}

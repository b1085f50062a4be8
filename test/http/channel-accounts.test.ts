import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SECRET_MASK } from '../../src/domain/channel-accounts/channel-account-config.ts';
import { readConfigWithSecrets } from '../../src/deliveries/channel-account-row.ts';
import { createChannelAccountSenders } from '../../src/dispatch/channel-account-senders.ts';
import { createProviderRegistry } from '../../src/providers/provider-registry.ts';
import { createTestProviderEnvironment, sampleSendRequest, testSenderEnvironment } from '../../src/providers/conformance/provider-test-support.ts';
import { startWebhookTestServer } from '../../src/providers/webhook/webhook-test-server.ts';
import { consoleSession, createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

const SMTP_PASSWORD = 'smtp-password-7f3c9a1e';
const ROBOT_TOKEN = 'robot-token-0b8d41c2';
const ROBOT_SECRET = 'SECrobot-signing-secret-55aa';

const smtpConfig = { host: 'smtp.example.com', port: 587, user: 'mailer', password: SMTP_PASSWORD, from: 'Herald <noreply@example.com>' };

for (const dialect of testDialects) {
  describe(`channel accounts on ${dialect}`, () => {
    let herald: TestHerald;
    let orders: AppCredentials;
    let billing: AppCredentials;

    /** A signed request; the unique request id keeps identical requests in one second from looking like replays. */
    const call = (credentials: AppCredentials, method: string, url: string, body?: unknown) =>
      signedInject(herald, credentials, { method, url, body, headers: { 'x-request-id': randomUUID() } });

    const storedRows = (appId: string) => herald.context.database.db.selectFrom('channel_accounts').selectAll().where('app_id', '=', appId).execute();
    /** The config a worker would send with: the stored row decrypted the way src/dispatch reads it. */
    const decryptedConfig = async (id: string) =>
      readConfigWithSecrets(await herald.context.database.db.selectFrom('channel_accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow(), herald.context.cryptoBox);

    before(async () => {
      herald = await createTestHerald(dialect);
      orders = await createAppWithKey(herald, 'orders');
      billing = await createAppWithKey(herald, 'billing');
    });
    after(() => herald.close());

    test('provider types list their channel, target and config schema', async () => {
      const response = await call(orders, 'GET', '/v1/channel-account-types');
      assert.equal(response.statusCode, 200);
      const types = new Map((response.json().items as Array<{ type: string }>).map((item) => [item.type, item as any]));
      assert.equal(types.get('smtp').channel, 'email');
      assert.equal(types.get('smtp').target, 'address');
      assert.equal(types.get('smtp').addressKind, 'email');
      assert.deepEqual(types.get('smtp').secretFields, ['password']);
      assert.ok(types.get('smtp').configSchema.required.includes('from'));
      assert.equal(types.get('dingtalk-robot').target, 'account');
      assert.deepEqual(types.get('dingtalk-robot').defaultFlowLimits, [{ count: 20, perSeconds: 60 }]);
      assert.equal(types.get('webhook').channel, 'webhook');
      assert.deepEqual(types.get('webhook').secretFields, ['secret', 'headers', 'url']);
      assert.deepEqual(types.get('webhook').secretMasks, { headers: 'values', url: 'query' });
    });

    test('secrets are encrypted at rest, masked on every read and never logged', async () => {
      const created = await call(orders, 'POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: smtpConfig });
      assert.equal(created.statusCode, 201, created.body);
      const view = created.json();
      assert.match(view.id, /^cha_/);
      assert.equal(view.channel, 'email');
      assert.equal(view.enabled, true);
      assert.equal(view.isDefault, true, 'the first account of a channel becomes its default');
      assert.deepEqual(view.config, { ...smtpConfig, password: SECRET_MASK });
      assert.equal(view.flowLimits, null);
      assert.deepEqual(view.effectiveFlowLimits, []);

      const [row] = await storedRows(orders.appId);
      assert.ok(row!.secrets_enc!.startsWith('v1.'));
      assert.ok(!row!.secrets_enc!.includes(SMTP_PASSWORD));
      assert.ok(!row!.config.includes(SMTP_PASSWORD));
      assert.deepEqual(JSON.parse(row!.config), { host: 'smtp.example.com', port: 587, user: 'mailer', from: 'Herald <noreply@example.com>' });

      const byName = await call(orders, 'GET', '/v1/channel-accounts/mail');
      const byId = await call(orders, 'GET', `/v1/channel-accounts/${view.id}`);
      const list = await call(orders, 'GET', '/v1/channel-accounts');
      assert.deepEqual(byName.json(), view);
      assert.deepEqual(byId.json(), view);
      assert.deepEqual(list.json().items, [view]);
      for (const response of [created, byName, byId, list]) assert.ok(!response.body.includes(SMTP_PASSWORD));

      assert.deepEqual(await decryptedConfig(view.id), smtpConfig);
      assert.ok(herald.logs.text.length > 0);
      assert.ok(!herald.logs.text.includes(SMTP_PASSWORD), 'the secret never reaches the logs');
    });

    test('PATCH keeps an omitted or masked secret, replaces a given one and removes one set to null', async () => {
      const created = await call(orders, 'POST', '/v1/channel-accounts', {
        type: 'dingtalk-robot',
        name: 'ops-robot',
        config: { accessToken: ROBOT_TOKEN, secret: ROBOT_SECRET, isAtAll: true },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id;
      assert.deepEqual(created.json().config, { accessToken: SECRET_MASK, secret: SECRET_MASK, isAtAll: true });
      assert.deepEqual(created.json().effectiveFlowLimits, [{ count: 20, perSeconds: 60 }], "the provider's documented limit applies");

      const omitted = await call(orders, 'PATCH', '/v1/channel-accounts/ops-robot', { config: { isAtAll: false } });
      assert.equal(omitted.statusCode, 200, omitted.body);
      assert.deepEqual(omitted.json().config, { accessToken: SECRET_MASK, secret: SECRET_MASK, isAtAll: false });
      assert.deepEqual(await decryptedConfig(id), { accessToken: ROBOT_TOKEN, secret: ROBOT_SECRET, isAtAll: false });

      // The console sends back what it read: masks stand for the stored secrets.
      const echoed = await call(orders, 'PATCH', '/v1/channel-accounts/ops-robot', { config: { ...omitted.json().config, messageType: 'text' } });
      assert.equal(echoed.statusCode, 200, echoed.body);
      assert.deepEqual(await decryptedConfig(id), { accessToken: ROBOT_TOKEN, secret: ROBOT_SECRET, isAtAll: false, messageType: 'text' });

      const rotated = await call(orders, 'PATCH', `/v1/channel-accounts/${id}`, { config: { accessToken: 'robot-token-rotated', secret: null, isAtAll: null } });
      assert.equal(rotated.statusCode, 200, rotated.body);
      assert.deepEqual(rotated.json().config, { accessToken: SECRET_MASK, messageType: 'text' });
      assert.deepEqual(await decryptedConfig(id), { accessToken: 'robot-token-rotated', messageType: 'text' });

      const limited = await call(orders, 'PATCH', '/v1/channel-accounts/ops-robot', { flowLimits: [{ count: 5, perSeconds: 10 }], enabled: false, name: 'ops-robot-2' });
      assert.equal(limited.json().name, 'ops-robot-2');
      assert.equal(limited.json().enabled, false);
      assert.deepEqual(limited.json().effectiveFlowLimits, [{ count: 5, perSeconds: 10 }]);
      const reset = await call(orders, 'PATCH', '/v1/channel-accounts/ops-robot-2', { flowLimits: null });
      assert.equal(reset.json().flowLimits, null);
      assert.deepEqual(reset.json().effectiveFlowLimits, [{ count: 20, perSeconds: 60 }]);
      assert.deepEqual(await decryptedConfig(id), { accessToken: 'robot-token-rotated', messageType: 'text' }, 'PATCH without config keeps every secret');

      const [row] = (await storedRows(orders.appId)).filter((r) => r.id === id);
      assert.ok(!row!.secrets_enc!.includes('robot-token-rotated'));
      for (const secret of [ROBOT_TOKEN, ROBOT_SECRET, 'robot-token-rotated']) {
        assert.ok(!herald.logs.text.includes(secret));
        for (const response of [created, omitted, echoed, rotated, limited, reset]) assert.ok(!response.body.includes(secret));
      }
    });

    test('webhook header values and URL query values are encrypted at rest, masked on read, and kept by a PATCH that echoes the masks', async () => {
      const HEADER_TOKEN = 'Bearer header-token-3e9d7a';
      const QUERY_TOKEN = 'query-token-c41f08';
      const sink = await startWebhookTestServer();
      const environment = createTestProviderEnvironment();
      const senders = createChannelAccountSenders({
        database: herald.context.database,
        cryptoBox: herald.context.cryptoBox,
        clock: herald.clock,
        providers: createProviderRegistry(),
        logger: herald.context.logger,
        senderEnvironment: testSenderEnvironment(),
        cacheTtlMs: 0,
      });
      try {
        const config = { url: `${sink.url}?team=ops&token=${QUERY_TOKEN}`, headers: { Authorization: HEADER_TOKEN, 'X-Team': 'ops' } };
        const created = await call(orders, 'POST', '/v1/channel-accounts', { type: 'webhook', name: 'secret-hook', config });
        assert.equal(created.statusCode, 201, created.body);
        const masked = { url: `${sink.url}?team=********&token=********`, headers: { Authorization: SECRET_MASK, 'X-Team': SECRET_MASK } };
        assert.deepEqual(created.json().config, masked, 'header names and query names stay readable, their values do not');
        const read = await call(orders, 'GET', '/v1/channel-accounts/secret-hook');
        assert.deepEqual(read.json().config, masked);

        // The console sends back what it read, with one header added and the path changed.
        const echoed = await call(orders, 'PATCH', '/v1/channel-accounts/secret-hook', {
          config: { url: masked.url.replace('/hooks/herald', '/hooks/herald-v2'), headers: { ...masked.headers, 'X-Extra': 'on' } },
        });
        assert.equal(echoed.statusCode, 200, echoed.body);
        assert.deepEqual(echoed.json().config.headers, { Authorization: SECRET_MASK, 'X-Team': SECRET_MASK, 'X-Extra': SECRET_MASK });
        assert.deepEqual(await decryptedConfig(created.json().id), {
          url: `${sink.url}-v2?team=ops&token=${QUERY_TOKEN}`,
          headers: { Authorization: HEADER_TOKEN, 'X-Team': 'ops', 'X-Extra': 'on' },
        });

        const row = await herald.context.database.db.selectFrom('channel_accounts').selectAll().where('id', '=', created.json().id).executeTakeFirstOrThrow();
        for (const secret of [HEADER_TOKEN, QUERY_TOKEN, 'header-token']) {
          assert.ok(!JSON.stringify(row).includes(secret), `the row holds no clear ${secret}`);
          for (const response of [created, read, echoed]) assert.ok(!response.body.includes(secret));
          assert.ok(!herald.logs.text.includes(secret));
        }

        // The worker's path: the stored row, decrypted, builds the sender that calls the receiver.
        const lookup = (await senders.resolve([created.json().id])).get(created.json().id);
        assert.ok(lookup?.available, JSON.stringify(lookup));
        const outcome = await lookup.account.send(sampleSendRequest(), environment.context());
        assert.equal(outcome.kind, 'sent', JSON.stringify(outcome));
        const received = sink.received.at(-1)!;
        assert.equal(received.url, `/hooks/herald-v2?team=ops&token=${QUERY_TOKEN}`);
        assert.equal(received.headers.authorization, HEADER_TOKEN);
        assert.equal(received.headers['x-team'], 'ops');

        const maskForNothing = [
          { config: { headers: { Authorization: SECRET_MASK, 'X-New': SECRET_MASK } }, field: 'config.headers.X-New' },
          { config: { url: `${sink.url}?token=********&other=********` }, field: 'config.url' },
        ];
        for (const { config: patch, field } of maskForNothing) {
          const refused = await call(orders, 'PATCH', '/v1/channel-accounts/secret-hook', { config: patch });
          assert.equal(refused.statusCode, 400, refused.body);
          assert.equal(refused.json().code, 'CHANNEL_ACCOUNT_CONFIG_INVALID');
          assert.equal(refused.json().field, field);
        }
        const newWithMask = await call(orders, 'POST', '/v1/channel-accounts', { type: 'webhook', name: 'masked-hook', config: masked });
        assert.equal(newWithMask.statusCode, 400, newWithMask.body);
        assert.equal(newWithMask.json().field, 'config.headers.Authorization');
      } finally {
        await senders.close();
        await environment.close();
        await sink.close();
      }
    });

    test('bad inputs get 4xx with a code naming the field, and nothing is stored', async () => {
      const app = await createAppWithKey(herald);
      const cases: Array<{ body: Record<string, unknown>; code: string; field?: string; detail?: RegExp; status?: number }> = [
        { body: { type: 'carrier-pigeon', name: 'a', config: {} }, code: 'CHANNEL_ACCOUNT_TYPE_UNKNOWN', field: 'type', detail: /smtp.*webhook|webhook.*smtp/ },
        { body: { type: 'smtp', name: 'a', config: { host: 'smtp.example.com' } }, code: 'CHANNEL_ACCOUNT_CONFIG_INVALID', field: 'config.from', detail: /^config\.from: required/ },
        { body: { type: 'smtp', name: 'a', config: { ...smtpConfig, port: '587' } }, code: 'CHANNEL_ACCOUNT_CONFIG_INVALID', field: 'config.port', detail: /expected an integer/ },
        { body: { type: 'smtp', name: 'a', config: { ...smtpConfig, colour: 'red' } }, code: 'CHANNEL_ACCOUNT_CONFIG_INVALID', field: 'config.colour', detail: /unknown field.*host/ },
        { body: { type: 'smtp', name: 'a', config: { ...smtpConfig, starttls: 'sometimes' } }, code: 'CHANNEL_ACCOUNT_CONFIG_INVALID', field: 'config.starttls', detail: /"required", "opportunistic", "disabled"/ },
        { body: { type: 'dingtalk-robot', name: 'a', config: { accessToken: 't', atMobiles: [''] } }, code: 'CHANNEL_ACCOUNT_CONFIG_INVALID', field: 'config.atMobiles[0]' },
        { body: { type: 'smtp', name: 'a', config: { ...smtpConfig, user: undefined } }, code: 'SMTP_CREDENTIALS_INCOMPLETE', field: 'config.user' },
        { body: { type: 'webhook', name: 'a', config: { url: 'ftp://example.com/hook' } }, code: 'OUTBOUND_URL_NOT_ALLOWED', field: 'config.url', detail: /^config\.url: / },
        { body: { type: 'webhook', name: 'a', config: { url: `example.com/hook?token=${SMTP_PASSWORD}` } }, code: 'OUTBOUND_URL_NOT_ALLOWED', field: 'config.url', detail: /not an absolute URL/ },
        { body: { type: 'smtp', name: 'a', config: { ...smtpConfig, password: SECRET_MASK } }, code: 'CHANNEL_ACCOUNT_CONFIG_INVALID', field: 'config.password' },
        { body: { type: 'smtp', name: 'Bad Name', config: smtpConfig }, code: 'CHANNEL_ACCOUNT_NAME_INVALID', field: 'name' },
        { body: { type: 'smtp', name: 'a', config: smtpConfig, flowLimits: [{ count: 0, perSeconds: 60 }] }, code: 'VALIDATION_FAILED' },
        { body: { type: 'smtp', name: 'a', config: smtpConfig, channel: 'sms' }, code: 'VALIDATION_FAILED', detail: /channel/ },
      ];
      for (const { body, code, field, detail, status = 400 } of cases) {
        const response = await call(app, 'POST', '/v1/channel-accounts', JSON.parse(JSON.stringify(body)));
        assert.equal(response.statusCode, status, response.body);
        assert.equal(response.json().code, code, response.body);
        if (field) assert.equal(response.json().field, field, response.body);
        if (detail) assert.match(response.json().detail, detail);
        assert.ok(!response.body.includes(SMTP_PASSWORD), 'errors never echo a secret');
      }
      assert.equal((await storedRows(app.appId)).length, 0);

      assert.equal((await call(app, 'POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: smtpConfig })).statusCode, 201);
      const taken = await call(app, 'POST', '/v1/channel-accounts', { type: 'webhook', name: 'mail', config: { url: 'https://example.com/hook' } });
      assert.equal(taken.statusCode, 409);
      assert.equal(taken.json().code, 'CHANNEL_ACCOUNT_NAME_TAKEN');
      const [before] = await storedRows(app.appId);

      const badPatches: Array<{ body: Record<string, unknown>; code: string; field: string }> = [
        { body: { config: { from: null } }, code: 'CHANNEL_ACCOUNT_CONFIG_INVALID', field: 'config.from' },
        { body: { config: { port: 70_000 } }, code: 'CHANNEL_ACCOUNT_CONFIG_INVALID', field: 'config.port' },
        { body: { config: { password: null } }, code: 'SMTP_CREDENTIALS_INCOMPLETE', field: 'config.password' },
        { body: { name: 'no spaces allowed' }, code: 'CHANNEL_ACCOUNT_NAME_INVALID', field: 'name' },
      ];
      for (const { body, code, field } of badPatches) {
        const response = await call(app, 'PATCH', '/v1/channel-accounts/mail', body);
        assert.equal(response.statusCode, 400, response.body);
        assert.equal(response.json().code, code);
        assert.equal(response.json().field, field);
      }
      await call(app, 'POST', '/v1/channel-accounts', { type: 'webhook', name: 'hook', config: { url: 'https://example.com/hook' } });
      const rename = await call(app, 'PATCH', '/v1/channel-accounts/mail', { name: 'hook' });
      assert.equal(rename.statusCode, 409);
      assert.equal(rename.json().code, 'CHANNEL_ACCOUNT_NAME_TAKEN');
      const [after] = (await storedRows(app.appId)).filter((row) => row.name === 'mail');
      assert.deepEqual(after, before, 'a rejected PATCH changes nothing');
    });

    test('one default per channel: choosing one unsets the others in that channel only', async () => {
      const app = await createAppWithKey(herald);
      const create = async (name: string, type: string, config: object, extra: object = {}) => {
        const response = await call(app, 'POST', '/v1/channel-accounts', { type, name, config, ...extra });
        assert.equal(response.statusCode, 201, response.body);
        return response.json();
      };
      const mailA = await create('mail-a', 'smtp', smtpConfig);
      const mailB = await create('mail-b', 'smtp', smtpConfig);
      const hook = await create('hook', 'webhook', { url: 'https://example.com/hook', secret: 'whsec' });
      assert.equal(mailA.isDefault, true);
      assert.equal(mailB.isDefault, false, 'a later account does not take over the default');
      assert.equal(hook.isDefault, true, 'each channel has its own default');

      const defaults = async () =>
        Object.fromEntries(((await call(app, 'GET', '/v1/channel-accounts')).json().items as Array<{ name: string; isDefault: boolean }>).map((a) => [a.name, a.isDefault]));

      assert.equal((await call(app, 'PATCH', '/v1/channel-accounts/mail-b', { isDefault: true })).json().isDefault, true);
      assert.deepEqual(await defaults(), { hook: true, 'mail-a': false, 'mail-b': true });

      await create('mail-c', 'smtp', smtpConfig, { isDefault: true });
      assert.deepEqual(await defaults(), { hook: true, 'mail-a': false, 'mail-b': false, 'mail-c': true });

      const emailOnly = (await call(app, 'GET', '/v1/channel-accounts?channel=email')).json().items;
      assert.deepEqual(emailOnly.map((a: { name: string }) => a.name), ['mail-a', 'mail-b', 'mail-c']);
      const webhooks = (await call(app, 'GET', '/v1/channel-accounts?type=webhook')).json().items;
      assert.deepEqual(webhooks.map((a: { name: string }) => a.name), ['hook']);

      let accounts = await herald.services.channelAccounts.resolveAccountsForSend(app.appId);
      assert.equal(accounts.defaultFor('email')?.name, 'mail-c');
      assert.equal(accounts.find('mail-a')?.id, mailA.id);
      assert.equal(accounts.find(hook.id)?.name, 'hook');
      assert.equal(accounts.defaultFor('sms'), undefined);

      await call(app, 'PATCH', '/v1/channel-accounts/mail-c', { enabled: false });
      await call(app, 'PATCH', '/v1/channel-accounts/hook', { isDefault: false });
      accounts = await herald.services.channelAccounts.resolveAccountsForSend(app.appId);
      assert.equal(accounts.defaultFor('email'), undefined, 'a disabled default does not route sends');
      assert.equal(accounts.find('mail-c'), undefined, 'disabled accounts are not offered to sends');
      assert.equal(accounts.defaultFor('webhook'), undefined);
      assert.equal(accounts.find('hook')?.id, hook.id);

      await call(app, 'DELETE', '/v1/channel-accounts/mail-c');
      const next = await create('mail-d', 'smtp', smtpConfig);
      assert.equal(next.isDefault, true, 'a channel without a default gets the next account as default');
      const notDefault = await create('hook-2', 'webhook', { url: 'https://example.com/other' }, { isDefault: false });
      assert.equal(notDefault.isDefault, false);
    });

    test('delete removes the account and its flow window', async () => {
      const db = herald.context.database.db;
      const created = (await call(orders, 'POST', '/v1/channel-accounts', { type: 'webhook', name: 'short-lived', config: { url: 'https://example.com/x' } })).json();
      await db.insertInto('flow_windows').values({ channel_account_id: created.id, sent_times: '[1]' }).execute();
      assert.equal((await call(orders, 'DELETE', '/v1/channel-accounts/short-lived')).statusCode, 204);
      const gone = await call(orders, 'GET', `/v1/channel-accounts/${created.id}`);
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().code, 'CHANNEL_ACCOUNT_NOT_FOUND');
      assert.equal(await db.selectFrom('channel_accounts').select('id').where('id', '=', created.id).executeTakeFirst(), undefined);
      assert.equal(await db.selectFrom('flow_windows').select('channel_account_id').where('channel_account_id', '=', created.id).executeTakeFirst(), undefined);
      assert.equal((await call(orders, 'DELETE', '/v1/channel-accounts/short-lived')).statusCode, 404);
    });

    test('apps are isolated: another app cannot see or touch an account', async () => {
      const created = (await call(orders, 'POST', '/v1/channel-accounts', { type: 'webhook', name: 'orders-hook', config: { url: 'https://example.com/orders' } })).json();
      for (const target of ['orders-hook', created.id]) {
        for (const [method, body] of [['GET'], ['PATCH', { enabled: false }], ['DELETE']] as const) {
          const response = await call(billing, method, `/v1/channel-accounts/${target}`, body);
          assert.equal(response.statusCode, 404, `${method} ${target}: ${response.body}`);
          assert.equal(response.json().code, 'CHANNEL_ACCOUNT_NOT_FOUND');
        }
      }
      assert.deepEqual((await call(billing, 'GET', '/v1/channel-accounts')).json().items, []);
      assert.equal((await herald.services.channelAccounts.resolveAccountsForSend(billing.appId)).find('orders-hook'), undefined);
      const sameName = await call(billing, 'POST', '/v1/channel-accounts', { type: 'webhook', name: 'orders-hook', config: { url: 'https://example.com/billing' } });
      assert.equal(sameName.statusCode, 201, 'names are unique per app');
      assert.equal((await call(orders, 'GET', '/v1/channel-accounts/orders-hook')).json().enabled, true);
    });

    test('console users: viewers read, admins manage, within the app in X-Herald-App', async () => {
      const viewer = await consoleSession(herald, 'viewer');
      const operator = await consoleSession(herald, 'operator');
      const admin = await consoleSession(herald, 'admin');
      const created = await herald.server!.inject({
        method: 'POST',
        url: '/v1/channel-accounts',
        headers: { ...admin, 'x-herald-app': 'billing' },
        payload: { type: 'smtp', name: 'console-mail', config: smtpConfig },
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().config.password, SECRET_MASK);

      const read = await herald.server!.inject({ method: 'GET', url: '/v1/channel-accounts/console-mail', headers: { ...viewer, 'x-herald-app': 'billing' } });
      assert.equal(read.statusCode, 200);
      assert.ok(!read.body.includes(SMTP_PASSWORD));
      const types = await herald.server!.inject({ method: 'GET', url: '/v1/channel-account-types', headers: viewer });
      assert.equal(types.statusCode, 200, 'provider types are not app data: no app header needed');

      const denied = await herald.server!.inject({ method: 'PATCH', url: '/v1/channel-accounts/console-mail', headers: { ...operator, 'x-herald-app': 'billing' }, payload: { enabled: false } });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().code, 'ROLE_INSUFFICIENT');
      const elsewhere = await herald.server!.inject({ method: 'GET', url: '/v1/channel-accounts/console-mail', headers: { ...viewer, 'x-herald-app': 'orders' } });
      assert.equal(elsewhere.statusCode, 404);
      assert.ok(!herald.logs.text.includes(SMTP_PASSWORD));
    });
  });
}

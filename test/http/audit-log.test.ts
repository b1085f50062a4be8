import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/clock.ts';
import { SECRET_MASK } from '../../src/domain/channel-accounts/channel-account-config.ts';
import { consoleSession, createAppWithKey, createTestHerald, signedInject, type AppCredentials, type ConsoleSession, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

const FIRST_PASSWORD = 'smtp-password-first-41d7';
const SECOND_PASSWORD = 'smtp-password-second-9b02';
const smtpConfig = { host: 'smtp.example.com', port: 587, user: 'mailer', password: FIRST_PASSWORD, from: 'Herald <noreply@example.com>' };

for (const dialect of testDialects) {
  describe(`audit log on ${dialect}`, () => {
    let herald: TestHerald;
    let clock: ManualClock;
    let orders: AppCredentials;
    let billing: AppCredentials;
    let owner: ConsoleSession;

    const call = (credentials: AppCredentials, method: string, url: string, body?: unknown) => signedInject(herald, credentials, { method, url, body });
    const asConsole = (session: ConsoleSession, method: string, url: string, options: { body?: unknown; app?: string; remoteAddress?: string } = {}) =>
      herald.server!.inject({
        method: method as 'GET',
        url,
        headers: { ...session, ...(options.app === undefined ? {} : { 'x-herald-app': options.app }) },
        ...(options.body === undefined ? {} : { payload: options.body as object }),
        ...(options.remoteAddress === undefined ? {} : { remoteAddress: options.remoteAddress }),
      });
    const search = async (query: string, session = owner) => {
      const response = await asConsole(session, 'GET', `/v1/audit-log?${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as { items: Record<string, any>[]; nextCursor: string | null };
    };

    before(async () => {
      clock = new ManualClock();
      herald = await createTestHerald(dialect, { clock });
      orders = await createAppWithKey(herald, 'orders');
      billing = await createAppWithKey(herald, 'billing');
      owner = await consoleSession(herald, 'owner');
    });
    after(() => herald.close());

    test('a channel account create and patch are audited with the secret masked before and after, and never stored', async () => {
      const created = await call(orders, 'POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: smtpConfig });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as string;
      const patched = await call(orders, 'PATCH', `/v1/channel-accounts/mail`, { config: { password: SECOND_PASSWORD, port: 465 } });
      assert.equal(patched.statusCode, 200, patched.body);

      const { items } = await search(`target=${id}`);
      assert.deepEqual(items.map((row) => row.action), ['PATCH /v1/channel-accounts/{idOrName}', 'POST /v1/channel-accounts']);
      const [patch, create] = items;
      assert.equal(create!.before, null, 'a create has nothing before it');
      assert.deepEqual(create!.after.config, { ...smtpConfig, password: SECRET_MASK });
      assert.deepEqual(patch!.before.config, { ...smtpConfig, password: SECRET_MASK });
      assert.deepEqual(patch!.after.config, { ...smtpConfig, port: 465, password: SECRET_MASK });
      for (const row of items) {
        assert.equal(row.appId, orders.appId);
        assert.equal(row.actor, orders.accessKeyId);
        assert.equal(row.actorKind, 'access-key');
        assert.equal(row.address, '127.0.0.1');
      }
      const stored = JSON.stringify(await herald.context.database.db.selectFrom('audit_log').selectAll().execute());
      assert.ok(!stored.includes(FIRST_PASSWORD) && !stored.includes(SECOND_PASSWORD), 'no secret is stored in the audit log, not even encrypted');
    });

    test("a key's create and revoke are audited under its app, the new secret masked", async () => {
      const created = await asConsole(owner, 'POST', `/v1/apps/${orders.appName}/keys`);
      assert.equal(created.statusCode, 201, created.body);
      const { accessKeyId, secretAccessKey } = created.json() as { accessKeyId: string; secretAccessKey: string };
      const revoked = await asConsole(owner, 'DELETE', `/v1/apps/${orders.appName}/keys/${accessKeyId}`);
      assert.equal(revoked.statusCode, 204, revoked.body);

      const { items } = await call(orders, 'GET', `/v1/audit-log?target=${accessKeyId}`).then((response) => response.json());
      assert.deepEqual(
        items.map((row: Record<string, unknown>) => [row.action, row.appId]),
        [
          ['DELETE /v1/apps/{app}/keys/{accessKeyId}', orders.appId],
          ['POST /v1/apps/{app}/keys', orders.appId],
        ],
        "the app's own key sees its keys' changes",
      );
      assert.equal(items[1].after.secretAccessKey, SECRET_MASK);
      assert.equal(items[0].after, null, 'a revoke leaves nothing after it');
      const stored = JSON.stringify(await herald.context.database.db.selectFrom('audit_log').selectAll().execute());
      assert.ok(!stored.includes(secretAccessKey));
    });

    test('a rotated callback secret is audited against the app id however the path names the app, the secret masked', async () => {
      const rotated = await call(orders, 'POST', `/v1/apps/${orders.appName}/callback-secret/rotate`);
      assert.equal(rotated.statusCode, 200, rotated.body);
      const { items } = await call(orders, 'GET', `/v1/audit-log?action=${encodeURIComponent('POST /v1/apps/{app}/callback-secret/rotate')}`).then((response) => response.json());
      assert.equal(items.length, 1);
      assert.equal(items[0].target, orders.appId);
      assert.deepEqual(items[0].after, { callbackSecret: SECRET_MASK });
    });

    test("a console user's change names the user and the client's address", async () => {
      const admin = await consoleSession(herald, 'admin', 'admin-audit@example.com');
      const response = await asConsole(admin, 'PATCH', '/v1/channel-accounts/mail', { app: orders.appName, body: { enabled: false }, remoteAddress: '203.0.113.7' });
      assert.equal(response.statusCode, 200, response.body);
      const [row] = (await search('action=' + encodeURIComponent('PATCH /v1/channel-accounts/{idOrName}') + '&limit=1')).items;
      assert.equal(row!.actorKind, 'user');
      assert.equal(row!.actorEmail, 'admin-audit@example.com');
      assert.match(row!.actor, /^usr_/);
      assert.equal(row!.address, '203.0.113.7');
      assert.equal(row!.appId, orders.appId);
      assert.equal(row!.before.enabled, true);
      assert.equal(row!.after.enabled, false);
    });

    test('refused changes, sends and subscriber traffic write no row', async () => {
      const countRows = async () => Number((await herald.context.database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const rowsBefore = await countRows();
      assert.equal((await call(orders, 'PATCH', '/v1/channel-accounts/nope', { enabled: true })).statusCode, 404);
      assert.equal((await call(orders, 'POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: smtpConfig })).statusCode, 409);
      assert.equal((await call(orders, 'POST', '/v1/subscribers', { externalId: 'audit-u1' })).statusCode, 201);
      assert.equal(await countRows(), rowsBefore);
    });

    test('search filters by actor, action, time and pages with a cursor', async () => {
      clock.advance(60_000);
      const from = new Date(clock.now()).toISOString();
      for (const name of ['g1', 'g2', 'g3']) {
        assert.equal((await call(billing, 'POST', '/v1/receiver-groups', { name, members: ['u1'] })).statusCode, 201);
      }
      const byActor = await search(`actor=${billing.accessKeyId}`);
      assert.deepEqual(byActor.items.map((row) => row.after.name), ['g3', 'g2', 'g1'], 'newest first');
      assert.equal((await search(`from=${from}&action=${encodeURIComponent('POST /v1/receiver-groups')}`)).items.length, 3);
      assert.equal((await search(`to=${new Date(clock.now() - 1).toISOString()}&actor=${billing.accessKeyId}`)).items.length, 0);

      const first = await search(`actor=${billing.accessKeyId}&limit=2`);
      assert.equal(first.items.length, 2);
      const second = await search(`actor=${billing.accessKeyId}&limit=2&cursor=${first.nextCursor}`);
      assert.deepEqual(second.items.map((row) => row.after.name), ['g1']);
      assert.equal(second.nextCursor, null);

      const badCursor = await asConsole(owner, 'GET', '/v1/audit-log?cursor=abc');
      assert.equal(badCursor.statusCode, 400);
      assert.equal(badCursor.json().code, 'INVALID_CURSOR');
      const backwards = await asConsole(owner, 'GET', `/v1/audit-log?from=${new Date(clock.now()).toISOString()}&to=${new Date(clock.now() - 60_000).toISOString()}`);
      assert.equal(backwards.statusCode, 400);
      assert.equal(backwards.json().code, 'AUDIT_RANGE_INVALID');
    });

    test('when the audit row cannot be written the change stands, and the masked row goes to the error log', async () => {
      const { db } = herald.context.database;
      await db.schema.alterTable('audit_log').renameTo('audit_log_away').execute();
      try {
        const created = await call(orders, 'POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail-unaudited', config: smtpConfig });
        assert.equal(created.statusCode, 201, created.body);
        assert.equal((await call(orders, 'GET', '/v1/channel-accounts/mail-unaudited')).statusCode, 200);
      } finally {
        await db.schema.alterTable('audit_log_away').renameTo('audit_log').execute();
      }
      const failure = herald.logs.text.split('\n').find((line) => line.includes('AUDIT_WRITE_FAILED'));
      assert.ok(failure, 'the failure is logged');
      assert.match(failure, /POST \/v1\/channel-accounts/);
      assert.ok(!failure.includes(FIRST_PASSWORD), 'the logged row is masked too');
    });

    test('an access key sees its own app only; console users need admin', async () => {
      const own = (await call(billing, 'GET', '/v1/audit-log').then((response) => response.json())) as { items: { appId: string }[] };
      assert.ok(own.items.length > 0);
      assert.ok(own.items.every((row) => row.appId === billing.appId));
      const other = await call(billing, 'GET', `/v1/audit-log?app=${orders.appName}`);
      assert.equal(other.statusCode, 403);
      assert.equal(other.json().code, 'APP_FORBIDDEN');
      const oneApp = await search(`app=${orders.appName}`);
      assert.ok(oneApp.items.length > 0 && oneApp.items.every((row) => row.appId === orders.appId));
      const viewer = await consoleSession(herald, 'viewer');
      const refused = await asConsole(viewer, 'GET', '/v1/audit-log');
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().code, 'ROLE_INSUFFICIENT');
      const missingUser = await asConsole(viewer, 'PATCH', '/v1/users/usr_missing', { body: { role: 'admin' } });
      assert.equal(missingUser.json().code, 'ROLE_INSUFFICIENT', 'a missing target does not answer before the route checks the role');
    });
  });
}

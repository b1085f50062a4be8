import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { CONSOLE_ORIGIN, consoleSession, TEST_PASSWORD, createAppWithKey, createTestHerald, signedInject, type AppCredentials, type ConsoleSession, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

// consoleSession() creates its users with this password.

for (const dialect of testDialects) {
  describe(`cross-site request forgery on ${dialect}`, () => {
    let herald: TestHerald;
    let admin: ConsoleSession;
    let orders: AppCredentials;
    const inject = (options: InjectOptions) => herald.server!.inject(options);
    const assertRejected = (response: Awaited<ReturnType<typeof inject>>) => {
      assert.equal(response.statusCode, 403, response.body);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(response.json().code, 'CSRF_REJECTED');
    };

    before(async () => {
      herald = await createTestHerald(dialect);
      admin = await consoleSession(herald, 'admin', 'csrf-admin@example.com');
      orders = await createAppWithKey(herald, 'orders');
    });
    after(() => herald.close());

    test('a cookie write without a same-origin Origin or Sec-Fetch-Site is refused, and nothing changes', async () => {
      const { cookie } = admin;
      const attempts: Array<Record<string, string>> = [
        {},
        { origin: 'https://evil.example' },
        { origin: 'null' },
        { origin: 'http://localhost:8080' },
        { origin: 'https://localhost' },
        { origin: 'not a url' },
        { 'sec-fetch-site': 'cross-site' },
        { 'sec-fetch-site': 'same-site' },
        { 'sec-fetch-site': 'none' },
        { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      ];
      for (const headers of attempts) {
        const response = await inject({ method: 'POST', url: '/v1/apps', headers: { cookie, ...headers }, payload: { name: 'forged' } });
        assertRejected(response);
      }
      const refused = await inject({ method: 'POST', url: '/v1/apps', headers: { cookie, origin: 'https://evil.example' }, payload: { name: 'forged' } });
      assert.match(refused.json().detail, /https:\/\/evil\.example/);
      assert.match(refused.json().detail, /access key/);
      assert.match(refused.json().detail, /HERALD_TRUST_PROXY/);
      assert.ok(!(await herald.services.apps.list()).some((app) => app.name === 'forged'));
    });

    test('bodyless writes and other methods (rotate, DELETE, PUT) are refused the same way', async () => {
      const before = await herald.services.apps.callbackSecret(orders.appId);
      assertRejected(await inject({ method: 'POST', url: '/v1/apps/orders/callback-secret/rotate', headers: { cookie: admin.cookie } }));
      assertRejected(await inject({ method: 'DELETE', url: '/v1/apps/orders/keys/HKNOPE', headers: { cookie: admin.cookie, origin: 'https://evil.example' } }));
      assertRejected(await inject({ method: 'PUT', url: '/v1/subscribers', headers: { cookie: admin.cookie, 'x-herald-app': 'orders', 'sec-fetch-site': 'cross-site' }, payload: { items: [] } }));
      assert.equal(await herald.services.apps.callbackSecret(orders.appId), before);
      const rotated = await inject({ method: 'POST', url: '/v1/apps/orders/callback-secret/rotate', headers: { cookie: admin.cookie, 'sec-fetch-site': 'same-origin' } });
      assert.equal(rotated.statusCode, 200, rotated.body);
    });

    test("the console's own writes pass by Origin or Sec-Fetch-Site; reads and signed requests need neither", async () => {
      const byOrigin = await inject({ method: 'POST', url: '/v1/apps', headers: admin, payload: { name: 'by-origin' } });
      assert.equal(byOrigin.statusCode, 201, byOrigin.body);
      const byFetchSite = await inject({ method: 'POST', url: '/v1/apps', headers: { cookie: admin.cookie, 'sec-fetch-site': 'same-origin' }, payload: { name: 'by-fetch-site' } });
      assert.equal(byFetchSite.statusCode, 201, byFetchSite.body);
      const read = await inject({ method: 'GET', url: '/v1/apps', headers: { cookie: admin.cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
      assert.equal(read.statusCode, 200);
      const signed = await signedInject(herald, orders, { method: 'POST', url: '/v1/subscribers', body: { externalId: 'from-elsewhere' }, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
      assert.equal(signed.statusCode, 201, signed.body);
    });

    test('logout needs the same origin; the session survives a forged one', async () => {
      const session = await consoleSession(herald, 'viewer');
      assertRejected(await inject({ method: 'POST', url: '/auth/logout', headers: { cookie: session.cookie } }));
      assert.equal((await inject({ method: 'GET', url: '/v1/whoami', headers: session })).statusCode, 200);
      const logout = await inject({ method: 'POST', url: '/auth/logout', headers: session });
      assert.equal(logout.statusCode, 204);
      assert.equal((await inject({ method: 'GET', url: '/v1/whoami', headers: session })).json().code, 'SESSION_EXPIRED');
      assert.equal((await inject({ method: 'POST', url: '/auth/logout' })).statusCode, 204);
    });

    test('login and setup refuse cross-site browsers but not clients without one', async () => {
      const credentials = { email: 'csrf-admin@example.com', password: TEST_PASSWORD };
      for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }]) {
        const forged = await inject({ method: 'POST', url: '/auth/login', headers, payload: credentials });
        assertRejected(forged);
        assert.equal(forged.headers['set-cookie'], undefined);
      }
      assertRejected(await inject({ method: 'POST', url: '/auth/setup', headers: { origin: 'https://evil.example' }, payload: { email: 'root@example.com', password: TEST_PASSWORD } }));
      for (const headers of [{}, { origin: CONSOLE_ORIGIN }, { 'sec-fetch-site': 'same-origin' }]) {
        const login = await inject({ method: 'POST', url: '/auth/login', headers, payload: credentials });
        assert.equal(login.statusCode, 200, login.body);
        assert.match(String(login.headers['set-cookie']), /herald_session=/);
      }
    });

    test('behind a trusted proxy the public origin counts; untrusted forwarded headers do not', async () => {
      const proxied = await createTestHerald(dialect, { env: { HERALD_TRUST_PROXY: 'true' } });
      try {
        const session = await consoleSession(proxied, 'admin');
        const headers = { cookie: session.cookie, host: 'herald-internal:8080', 'x-forwarded-host': 'herald.example.com', 'x-forwarded-proto': 'https', origin: 'https://herald.example.com' };
        const created = await proxied.server!.inject({ method: 'POST', url: '/v1/apps', headers, payload: { name: 'via-proxy' } });
        assert.equal(created.statusCode, 201, created.body);
        const spoofed = await proxied.server!.inject({ method: 'POST', url: '/v1/apps', headers: { ...headers, origin: 'https://herald-internal:8080' }, payload: { name: 'spoofed' } });
        assertRejected(spoofed);
      } finally {
        await proxied.close();
      }
      const forwarded = { cookie: admin.cookie, host: 'herald-internal:8080', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', origin: 'https://evil.example' };
      assertRejected(await inject({ method: 'POST', url: '/v1/apps', headers: forwarded, payload: { name: 'forwarded' } }));
    });
  });
}

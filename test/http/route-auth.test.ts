import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleSession, createAppWithKey, createTestHerald, signedInject, type AppCredentials, type ConsoleSession, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { rawGet, rawHttpRequest } from '../support/raw-http.ts';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

/**
 * Request targets that reach, or try to reach, /v1 routes by another spelling. Routed to a /v1
 * route, they must be authenticated there (401 without credentials); otherwise they are 404.
 */
const TRICKS: Array<[target: string, status: 400 | 401 | 404]> = [
  ['/%761/whoami', 401],
  ['/%761/channel-account-types', 401],
  ['/v1/%77hoami', 401],
  ['/V1/whoami', 404],
  ['/V1/channel-account-types', 404],
  ['//v1/whoami', 404],
  ['/v1//whoami', 404],
  ['/v1/whoami/', 404],
  ['/v1/./whoami', 404],
  ['/v1/%2e%2e/healthz', 404],
  ['/v1/%2E%2E/v1/whoami', 404],
  ['/%2F/v1/whoami', 404],
  ['/%2Fv1/whoami', 404],
  ['/v1;x/whoami', 404],
  ['/v1/whoami;x', 404],
  ['/v1/whoami%00', 400],
  ['http://x/v1/whoami', 401],
  ['http://x/v1/channel-account-types', 401],
  ['http://x/%761/whoami', 401],
  ['HTTP://X/V1/whoami', 404],
  ['/v1/whoami?x', 401],
  ['/v1/whoami?', 401],
  ['/v1/whoami#x', 401],
  ['/v1/apps/%2e%2e/callback-secret', 401],
  ['/v1/apps/x%2Fy/keys', 401],
];

for (const dialect of testDialects) {
  describe(`authentication on the matched route on ${dialect}`, () => {
    let herald: TestHerald;
    let port: number;
    let orders: AppCredentials;
    let other: AppCredentials;
    let admin: ConsoleSession;

    before(async () => {
      herald = await createTestHerald(dialect, { env: { PORT: '0', HOST: '127.0.0.1' } });
      await herald.start();
      port = (herald.server!.server.address() as { port: number }).port;
      orders = await createAppWithKey(herald, 'orders');
      other = await createAppWithKey(herald, 'other');
      admin = await consoleSession(herald, 'admin');
    });
    after(() => herald.close());

    for (const [target, status] of TRICKS) {
      test(`GET ${target} without credentials → ${status} problem+json`, async () => {
        const response = await rawGet(port, target);
        assert.equal(response.status, status, response.body);
        assert.equal(response.headers['content-type'], PROBLEM_JSON);
        assert.equal(JSON.parse(response.body).code, { 400: 'NUL_CHARACTER', 401: 'AUTH_MISSING', 404: 'ROUTE_NOT_FOUND' }[status]);
      });
    }

    test('a /v1 route reached by another spelling still knows who is calling', async () => {
      const response = await rawGet(port, '/%761/whoami', [`Cookie: ${admin.cookie}`]);
      assert.equal(response.status, 200, response.body);
      assert.equal(JSON.parse(response.body).role, 'admin');
      const absolute = await rawGet(port, `http://127.0.0.1:${port}/v1/channel-account-types`, [`Cookie: ${admin.cookie}`]);
      assert.equal(absolute.status, 200, absolute.body);
    });

    test('every /v1 route in the OpenAPI document lists its security and refuses unsigned requests with 401', async () => {
      const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
      let checked = 0;
      for (const [path, operations] of Object.entries<Record<string, { security?: unknown[]; 'x-herald-access'?: string }>>(spec.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          if (path.startsWith('/inbox/v1/')) {
            assert.deepEqual(operation.security, [{ inboxSubscriberHash: [], inboxSubscriber: [] }, { inboxToken: [] }], `${method} ${path}`);
            const url = path.replaceAll(/\{\w+\}/g, 'x');
            const response = await herald.server!.inject({ method: method.toUpperCase() as 'GET', url, headers: { 'content-type': 'application/json' }, payload: method === 'get' ? undefined : '{"not":"checked"}' });
            assert.equal(response.statusCode, 401, `${method} ${url}: ${response.body}`);
            assert.equal(response.json().code, 'INBOX_APP_UNKNOWN', 'without ?app= nothing is decided, not even the schema');
            continue;
          }
          if (!path.startsWith('/v1/')) {
            assert.equal(operation.security, undefined, `${method} ${path} is public`);
            continue;
          }
          assert.ok(operation.security && operation.security.length > 0, `${method} ${path} lists no security`);
          assert.match(operation['x-herald-access'] ?? '', /\w/, `${method} ${path} describes no access`);
          const url = path.replaceAll(/\{\w+\}/g, 'x');
          const response = await herald.server!.inject({ method: method.toUpperCase() as 'GET', url, headers: { 'content-type': 'application/json' }, payload: method === 'get' ? undefined : '{"not":"checked"}' });
          assert.equal(response.statusCode, 401, `${method} ${url}: ${response.body}`);
          assert.equal(response.json().code, 'AUTH_MISSING');
          checked++;
        }
      }
      assert.ok(checked >= 40, `only ${checked} /v1 operations`);
    });

    test('routes under /v1 cannot be added outside the signed API plugin', async () => {
      const fresh = await createTestHerald(dialect);
      try {
        for (const url of ['/v1/extra', '/V1/extra', '/v1']) {
          assert.throws(() => fresh.server!.get(url, async () => 'unauthenticated'), /outside the signed API plugin/);
        }
        for (const url of ['/inbox/v1/extra', '/Inbox/V1/extra', '/inbox/v1']) {
          assert.throws(() => fresh.server!.get(url, async () => 'unauthenticated'), /outside the inbox API plugin/);
        }
        await assert.rejects(async () => {
          await fresh.server!.register(async (plugin) => void plugin.get('/extra', async () => 'unauthenticated'), { prefix: '/v1' });
        }, /outside the signed API plugin/);
      } finally {
        await fresh.close();
      }
    });

    test('an unsigned body over the limit and not JSON is refused with 401 before it is read', async () => {
      const response = await herald.server!.inject({ method: 'POST', url: '/v1/messages', headers: { 'content-type': 'application/json' }, payload: '{'.repeat(2 * 1024 * 1024) });
      assert.equal(response.statusCode, 401, response.body);
      assert.equal(response.json().code, 'AUTH_MISSING');
    });

    // A server that waits for the body never answers: the timeout turns that into a failure.
    test('an unsigned 1 MB upload gets its 401 while most of the body is still unsent', { timeout: 10_000 }, async () => {
      const declared = 1024 * 1024;
      const head = ['POST /v1/subscribers HTTP/1.1', 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${declared}`, '', ''].join('\r\n');
      const response = await rawHttpRequest(port, head, '{"items": [');
      assert.equal(response.status, 401, response.body);
      assert.equal(JSON.parse(response.body).code, 'AUTH_MISSING');
    });

    test('a bad signature or an expired session is reported before schema errors', async () => {
      const wrongSecret = await signedInject(herald, { ...orders, secretAccessKey: 'not-the-secret' }, { method: 'POST', url: '/v1/subscribers', body: { bogus: true } });
      assert.equal(wrongSecret.statusCode, 401, wrongSecret.body);
      assert.equal(wrongSecret.json().code, 'SIGNATURE_MISMATCH');
      const expired = await herald.server!.inject({ method: 'POST', url: '/v1/subscribers', headers: { cookie: 'herald_session=expired', origin: admin.origin, 'x-herald-app': 'orders' }, payload: { bogus: true } });
      assert.equal(expired.statusCode, 401, expired.body);
      assert.equal(expired.json().code, 'SESSION_EXPIRED');
      const viewer = await consoleSession(herald, 'viewer');
      const denied = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: viewer, payload: { bogus: true } });
      assert.equal(denied.statusCode, 403, denied.body);
      assert.equal(denied.json().code, 'ROLE_INSUFFICIENT');
      const valid = await signedInject(herald, orders, { method: 'POST', url: '/v1/subscribers', body: { bogus: true } });
      assert.equal(valid.json().code, 'VALIDATION_FAILED');
    });

    test('access declarations: keys act on their own app, console-only routes refuse them, console users name the app', async () => {
      const users = await signedInject(herald, orders, { method: 'GET', url: '/v1/users' });
      assert.equal(users.statusCode, 403);
      assert.equal(users.json().code, 'CONSOLE_ONLY');
      const createApp = await signedInject(herald, orders, { method: 'POST', url: '/v1/apps', body: { name: 'sneaky' } });
      assert.equal(createApp.json().code, 'CONSOLE_ONLY');
      const keys = await signedInject(herald, orders, { method: 'GET', url: '/v1/apps/orders/keys' });
      assert.equal(keys.json().code, 'CONSOLE_ONLY');

      const own = await signedInject(herald, orders, { method: 'GET', url: '/v1/apps/orders' });
      assert.equal(own.statusCode, 200);
      assert.equal(own.json().id, orders.appId);
      const foreign = await signedInject(herald, orders, { method: 'GET', url: `/v1/apps/${other.appId}` });
      assert.equal(foreign.statusCode, 403);
      assert.equal(foreign.json().code, 'APP_FORBIDDEN');
      const listed = await signedInject(herald, orders, { method: 'GET', url: '/v1/apps' });
      assert.deepEqual(listed.json().items.map((app: { id: string }) => app.id), [orders.appId]);

      // The X-Herald-App header of a signed request is ignored: a key acts on its own app.
      await signedInject(herald, orders, { method: 'POST', url: '/v1/subscribers', body: { externalId: 'scoped-1' }, headers: { 'x-herald-app': 'other' } });
      assert.equal((await herald.services.subscribers.get(orders.appId, 'scoped-1')).externalId, 'scoped-1');
      await assert.rejects(herald.services.subscribers.get(other.appId, 'scoped-1'), { code: 'SUBSCRIBER_NOT_FOUND' });

      const unnamed = await herald.server!.inject({ method: 'GET', url: '/v1/subscribers', headers: admin });
      assert.equal(unnamed.json().code, 'APP_SCOPE_MISSING');
      const unknown = await herald.server!.inject({ method: 'GET', url: '/v1/subscribers', headers: { ...admin, 'x-herald-app': 'nope' } });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().code, 'APP_NOT_FOUND');
      const named = await herald.server!.inject({ method: 'GET', url: '/v1/subscribers', headers: { ...admin, 'x-herald-app': 'orders' } });
      assert.deepEqual(named.json().items.map((subscriber: { externalId: string }) => subscriber.externalId), ['scoped-1']);
    });

    test('an app reads and rotates its own callback secret with its key, and only its own', async () => {
      const read = await signedInject(herald, orders, { method: 'GET', url: '/v1/apps/orders/callback-secret' });
      assert.equal(read.statusCode, 200, read.body);
      assert.equal(read.json().callbackSecret, await herald.services.apps.callbackSecret(orders.appId));
      const byId = await signedInject(herald, orders, { method: 'GET', url: `/v1/apps/${orders.appId}/callback-secret` });
      assert.equal(byId.json().callbackSecret, read.json().callbackSecret);

      const foreign = await signedInject(herald, orders, { method: 'GET', url: '/v1/apps/other/callback-secret' });
      assert.equal(foreign.statusCode, 403);
      assert.equal(foreign.json().code, 'APP_FORBIDDEN');
      assert.ok(!foreign.body.includes(await herald.services.apps.callbackSecret(other.appId)));
      const rotateForeign = await signedInject(herald, orders, { method: 'POST', url: '/v1/apps/other/callback-secret/rotate' });
      assert.equal(rotateForeign.json().code, 'APP_FORBIDDEN');
      const missing = await signedInject(herald, orders, { method: 'GET', url: '/v1/apps/missing/callback-secret' });
      assert.equal(missing.json().code, 'APP_NOT_FOUND');

      const rotated = await signedInject(herald, orders, { method: 'POST', url: '/v1/apps/orders/callback-secret/rotate' });
      assert.equal(rotated.statusCode, 200, rotated.body);
      assert.notEqual(rotated.json().callbackSecret, read.json().callbackSecret);
      assert.equal(await herald.services.apps.callbackSecret(orders.appId), rotated.json().callbackSecret);

      const viewer = await consoleSession(herald, 'viewer');
      const viewerRead = await herald.server!.inject({ method: 'GET', url: '/v1/apps/other/callback-secret', headers: viewer });
      assert.equal(viewerRead.json().code, 'ROLE_INSUFFICIENT');
      const adminRead = await herald.server!.inject({ method: 'GET', url: '/v1/apps/other/callback-secret', headers: admin });
      assert.equal(adminRead.json().callbackSecret, await herald.services.apps.callbackSecret(other.appId));
    });

    test('a 404 echoes neither the query nor the authority of the request target', async () => {
      const response = await rawGet(port, 'http://user:hunter2@x/nope?token=s3cret');
      assert.equal(response.status, 404);
      assert.equal(response.headers['content-type'], PROBLEM_JSON);
      assert.equal(JSON.parse(response.body).code, 'ROUTE_NOT_FOUND');
      assert.match(JSON.parse(response.body).detail, /GET \/nope;/);
      for (const secret of ['hunter2', 's3cret']) assert.ok(!response.body.includes(secret), response.body);
      const long = await rawGet(port, `/${'a'.repeat(5000)}`);
      assert.equal(long.status, 404);
      assert.ok(long.body.length < 600, `${long.body.length} bytes`);
      const rejected = await rawGet(port, 'http://user:hunter2@x/v1/whoami?token=s3cret');
      assert.equal(rejected.status, 401);
      assert.equal(JSON.parse(rejected.body).instance, '/v1/whoami');
      for (const secret of ['hunter2', 's3cret']) assert.ok(!rejected.body.includes(secret), rejected.body);
    });

    test('a path segment over the router limit is 414 URI_TOO_LONG problem+json', async () => {
      const response = await rawGet(port, `/v1/apps/${'a'.repeat(500)}/keys?token=s3cret`);
      assert.equal(response.status, 414, response.body);
      assert.equal(response.headers['content-type'], PROBLEM_JSON);
      assert.equal(JSON.parse(response.body).code, 'URI_TOO_LONG');
      assert.ok(!response.body.includes('s3cret'), response.body);
    });

    test('a path the router cannot decode is 400 INVALID_URL problem+json, without the query', async () => {
      for (const target of ['/v1/%zz?token=s3cret', '/%7', '/v1/apps/%E0%A4%A/keys', 'http://x/v1/whoami?token=s3cret#x']) {
        const response = await rawGet(port, target);
        assert.equal(response.status, 400, `${target}: ${response.body}`);
        assert.equal(response.headers['content-type'], PROBLEM_JSON);
        assert.equal(JSON.parse(response.body).code, 'INVALID_URL');
        assert.ok(!response.body.includes('s3cret'), response.body);
      }
    });
  });
}

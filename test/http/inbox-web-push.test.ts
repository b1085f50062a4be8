import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH, randomBytes } from 'node:crypto';
import { subscriberHash } from '../../src/security/subscriber-credentials.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

const SHOP = 'https://shop.example.com';

/** What a browser's PushSubscription.toJSON() gives: a push service endpoint, a P-256 public key and an auth secret. */
function browserSubscription() {
  const endpoint = `https://push.example.net/wpush/v2/${randomBytes(12).toString('base64url')}`;
  return { endpoint, expirationTime: null, keys: { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
}

/** The widget's Web Push routes: the subscriber registers its own browsers, and only its own. */
for (const dialect of testDialects) {
  describe(`inbox Web Push routes on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let other: AppCredentials;
    const secrets = new Map<string, string>();

    const as = (target: AppCredentials, subscriberId: string) => ({ 'x-herald-subscriber': subscriberId, 'x-herald-subscriber-hash': subscriberHash(secrets.get(target.appId)!, subscriberId) });
    const call = (subscriberId: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, target = app) =>
      herald.server!.inject({ method, url: `/inbox/v1${path}?app=${target.appId}`, headers: as(target, subscriberId), ...(body === undefined ? {} : { payload: body as object }) });
    /** The subscriber's subscriptions as the app's backend sees them. */
    const stored = async (subscriberId: string, target = app) => {
      const response = await signedInject(herald, target, { method: 'GET', url: `/v1/subscribers/${subscriberId}/push-subscriptions` });
      assert.equal(response.statusCode, 200, response.body);
      return (response.json().items as Array<{ id: string; endpoint: string }>).map((item) => item.endpoint);
    };
    const rowCount = async () => Number((await herald.context.database.db.selectFrom('push_subscriptions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      herald = await createTestHerald(dialect);
      app = await createAppWithKey(herald);
      other = await createAppWithKey(herald);
      await herald.services.apps.update(app.appId, { settings: { inbox: { allowedOrigins: [SHOP] } } });
      for (const target of [app, other]) {
        secrets.set(target.appId, await herald.services.apps.inboxSecret(target.appId));
        for (const externalId of ['u1', 'u2']) assert.equal((await signedInject(herald, target, { method: 'POST', url: '/v1/subscribers', body: { externalId } })).statusCode, 201);
      }
    });
    after(() => herald.close());

    test('the VAPID public key is the one the signed API serves, and needs a subscriber proof', async () => {
      const response = await call('u1', 'GET', '/web-push/vapid-public-key');
      assert.equal(response.statusCode, 200, response.body);
      const { publicKey } = response.json();
      assert.equal(Buffer.from(publicKey, 'base64url').length, 65, 'an uncompressed P-256 point');
      assert.equal((await signedInject(herald, app, { method: 'GET', url: '/v1/web-push/vapid-public-key' })).json().publicKey, publicKey);
      assert.notEqual((await call('u1', 'GET', '/web-push/vapid-public-key', undefined, other)).json().publicKey, publicKey, 'each app has its own key');
      const anonymous = await herald.server!.inject({ method: 'GET', url: `/inbox/v1/web-push/vapid-public-key?app=${app.appId}`, headers: { 'x-herald-subscriber': 'u1' } });
      assert.deepEqual([anonymous.statusCode, anonymous.json().code], [401, 'INBOX_AUTH_MISSING']);
    });

    test('a subscriber stores its browser (201, then 200 for the same endpoint) and nobody else gets it', async () => {
      const browser = browserSubscription();
      const created = await herald.server!.inject({ method: 'POST', url: `/inbox/v1/push-subscriptions?app=${app.appId}`, headers: { ...as(app, 'u1'), 'user-agent': 'Mozilla/5.0 Chrome/131.0', origin: SHOP }, payload: browser });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.headers['access-control-allow-origin'], SHOP);
      const view = created.json();
      assert.match(view.id, /^wps_/);
      assert.deepEqual([view.endpoint, view.userAgent], [browser.endpoint, 'Mozilla/5.0 Chrome/131.0']);
      const again = await call('u1', 'POST', '/push-subscriptions', { ...browser, keys: browserSubscription().keys });
      assert.deepEqual([again.statusCode, again.json().id], [200, view.id], 'the same endpoint with new keys is the same subscription');
      const token = (await herald.services.apps.mintInboxToken(app.appId, 'u2', 600)).token;
      const second = browserSubscription();
      const byToken = await herald.server!.inject({ method: 'POST', url: `/inbox/v1/push-subscriptions?app=${app.appId}`, headers: { authorization: `Bearer ${token}` }, payload: second });
      assert.equal(byToken.statusCode, 201, byToken.body);
      assert.deepEqual(await stored('u1'), [browser.endpoint]);
      assert.deepEqual(await stored('u2'), [second.endpoint]);
      assert.deepEqual(await stored('u1', other), [], 'the same external id in another app has nothing');
    });

    test('a subscriber deletes its own subscription; another subscriber, or another app, gets a 404', async () => {
      const browser = browserSubscription();
      const { id } = (await call('u1', 'POST', '/push-subscriptions', browser)).json();
      for (const [what, response] of [
        ['another subscriber', await call('u2', 'DELETE', `/push-subscriptions/${id}`)],
        ['the same external id in another app', await call('u1', 'DELETE', `/push-subscriptions/${id}`, undefined, other)],
      ] as const) {
        assert.deepEqual([response.statusCode, response.json().code], [404, 'PUSH_SUBSCRIPTION_NOT_FOUND'], what);
      }
      assert.ok((await stored('u1')).includes(browser.endpoint), 'still there');
      const deleted = await call('u1', 'DELETE', `/push-subscriptions/${id}`);
      assert.equal(deleted.statusCode, 204, deleted.body);
      assert.equal((await stored('u1')).includes(browser.endpoint), false);
      const twice = await call('u1', 'DELETE', `/push-subscriptions/${id}`);
      assert.deepEqual([twice.statusCode, twice.json().code], [404, 'PUSH_SUBSCRIPTION_NOT_FOUND']);
    });

    test('bad bodies are 400 with a code naming the field, and a subscriber the app does not know is refused; nothing is stored', async () => {
      const browser = browserSubscription();
      const before = await rowCount();
      const cases: Array<[unknown, string, string?]> = [
        [{ ...browser, endpoint: 'http://push.example.net/wpush/x' }, 'PUSH_ENDPOINT_INVALID', 'endpoint'],
        [{ ...browser, keys: { ...browser.keys, p256dh: Buffer.alloc(65, 3).toString('base64url') } }, 'PUSH_KEY_INVALID', 'keys.p256dh'],
        [{ ...browser, keys: { ...browser.keys, auth: Buffer.alloc(8).toString('base64url') } }, 'PUSH_KEY_INVALID', 'keys.auth'],
        [{ endpoint: browser.endpoint }, 'VALIDATION_FAILED'],
        [{ ...browser, subscriberId: 'u2' }, 'VALIDATION_FAILED'],
      ];
      for (const [body, code, field] of cases) {
        const response = await call('u1', 'POST', '/push-subscriptions', body);
        assert.equal(response.statusCode, 400, `${JSON.stringify(body)}: ${response.body}`);
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
        assert.equal(response.json().code, code, response.body);
        if (field) assert.equal(response.json().field, field, response.body);
      }
      const stranger = await call('nobody', 'POST', '/push-subscriptions', browser);
      assert.deepEqual([stranger.statusCode, stranger.json().code], [404, 'SUBSCRIBER_NOT_FOUND'], 'a valid proof for a subscriber the app never created');
      const badId = await call('u1', 'DELETE', `/push-subscriptions/${'x'.repeat(65)}`);
      assert.equal(badId.statusCode, 400, badId.body);
      assert.equal(await rowCount(), before);
    });
  });
}

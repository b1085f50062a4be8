import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWebPushTestServer, type BrowserSubscription, type WebPushTestServer } from '../../src/providers/webpush/webpush-test-server.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

/** Browsers subscribe through the API, messages reach them encrypted through the worker, and a browser that unsubscribed is forgotten. */

type DeliveryView = { id: string; address: string | null; status: string; error: { code: string } | null };

for (const dialect of testDialects) {
  describe(`web push end to end on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let pushService: WebPushTestServer;
    const call = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => signedInject(herald, app, { method, url, body, headers });
    const settled = (id: string) =>
      waitFor(async () => {
        const message = (await call('GET', `/v1/messages/${id}`)).json();
        return message.status === 'accepted' ? undefined : message;
      }, { what: `message ${id} final` });
    const subscribe = async (externalId: string, browser: BrowserSubscription, expectedStatus = 201) => {
      const response = await call('POST', `/v1/subscribers/${externalId}/push-subscriptions`, { ...browser, expirationTime: null }, { 'user-agent': 'Mozilla/5.0 Firefox/128.0' });
      assert.equal(response.statusCode, expectedStatus, response.body);
      return response.json() as { id: string; endpoint: string; userAgent: string };
    };
    const send = async (body: Record<string, unknown>) => {
      const accepted = await call('POST', '/v1/messages', { channels: ['webpush'], ...body });
      assert.equal(accepted.statusCode, 202, accepted.body);
      return accepted.json() as { id: string; deliveries: DeliveryView[] };
    };

    before(async () => {
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', PORT: '0', HOST: '127.0.0.1' } });
      await herald.start();
      app = await createAppWithKey(herald, 'shop');
      pushService = await startWebPushTestServer();
      const account = await call('POST', '/v1/channel-accounts', { type: 'webpush', name: 'browsers', config: { subject: 'mailto:ops@shop.example', baseUrl: pushService.baseUrl } });
      assert.equal(account.statusCode, 201, account.body);
      for (const externalId of ['u1', 'u2']) assert.equal((await call('POST', '/v1/subscribers', { externalId })).statusCode, 201);
    });
    after(async () => {
      await herald.close();
      await pushService.close();
    });

    test('the VAPID public key is made once per app and served to browsers', async () => {
      const first = await call('GET', '/v1/web-push/vapid-public-key');
      assert.equal(first.statusCode, 200, first.body);
      const { publicKey } = first.json();
      const point = Buffer.from(publicKey, 'base64url');
      assert.deepEqual([point.length, point[0]], [65, 4], 'an uncompressed P-256 point');
      assert.equal((await call('GET', '/v1/web-push/vapid-public-key')).json().publicKey, publicKey);
      const stored = await herald.context.database.db.selectFrom('vapid_keys').selectAll().where('app_id', '=', app.appId).executeTakeFirstOrThrow();
      assert.equal(stored.public_key, publicKey);
      assert.ok(!stored.private_key_enc.includes(publicKey) && stored.private_key_enc.length > 40, 'the private key is stored encrypted');
      pushService.expectVapidPublicKey(publicKey);
    });

    test('a message reaches each browser of the subscriber, decrypted by the push service as sent; a 410 forgets that browser', async () => {
      const laptop = pushService.subscribe();
      const phone = pushService.subscribe();
      const laptopSubscription = await subscribe('u1', laptop);
      const phoneSubscription = await subscribe('u1', phone);
      assert.equal(laptopSubscription.userAgent, 'Mozilla/5.0 Firefox/128.0');
      assert.equal((await subscribe('u1', laptop, 200)).id, laptopSubscription.id, 'the same endpoint again is the same subscription');

      const first = await send({ to: ['u1'], priority: 'urgent', content: { title: 'Order shipped', body: 'Your order 42 is on its way.', url: 'https://shop.example/orders/42' } });
      assert.deepEqual(first.deliveries.map((d) => d.address).sort(), [laptopSubscription.id, phoneSubscription.id].sort(), 'one delivery per browser');
      assert.equal((await settled(first.id)).status, 'completed');
      const pushes = pushService.received.slice(-2);
      assert.equal(pushes.length, 2);
      for (const push of pushes) {
        const payload = JSON.parse(push.plaintext);
        assert.deepEqual([payload.title, payload.body, payload.url], ['Order shipped', 'Your order 42 is on its way.', 'https://shop.example/orders/42']);
        assert.equal(payload.data.messageId, first.id);
        assert.equal(push.urgency, 'high', 'urgent → Urgency: high');
        assert.ok(push.ttlSeconds > 86_000 && push.ttlSeconds <= 86_400, `TTL follows the delivery max age (1 day): ${push.ttlSeconds}`);
        assert.equal(push.jwt.aud, 'https://push.example.net');
      }
      assert.deepEqual(pushes.map((push) => push.path).sort(), [new URL(laptop.endpoint).pathname, new URL(phone.endpoint).pathname].sort());

      pushService.unsubscribe(phone.endpoint);
      const second = await send({ to: ['u1'], content: { title: 'Order delivered', body: 'Enjoy.' } });
      const message = await settled(second.id);
      assert.equal(message.status, 'partially_failed', JSON.stringify(message));
      const gone = (message.deliveries as DeliveryView[]).find((d) => d.address === phoneSubscription.id)!;
      assert.deepEqual([gone.status, gone.error?.code], ['failed', 'WEBPUSH_410']);
      const remaining = (await call('GET', '/v1/subscribers/u1/push-subscriptions')).json().items as Array<{ id: string }>;
      assert.deepEqual(remaining.map((s) => s.id), [laptopSubscription.id], 'the 410 removed that subscription');

      const third = await send({ to: ['u1'], content: { title: 'Rate your order', body: 'Tell us.' } });
      assert.deepEqual(third.deliveries.map((d) => d.address), [laptopSubscription.id], 'the next send skips the forgotten browser');
      assert.equal((await settled(third.id)).status, 'completed');

      assert.equal((await call('DELETE', `/v1/subscribers/u1/push-subscriptions/${laptopSubscription.id}`)).statusCode, 204);
      assert.equal((await call('DELETE', `/v1/subscribers/u1/push-subscriptions/${laptopSubscription.id}`)).json().code, 'PUSH_SUBSCRIPTION_NOT_FOUND');
      const none = await send({ to: ['u1'], content: { title: 'Hello', body: 'again' } });
      assert.deepEqual(none.deliveries.map((d) => [d.status, (d as { reason?: string }).reason]), [['skipped', 'NO_ADDRESS']]);
    });

    test('a send names one browser with { pushSubscription }', async () => {
      const tablet = await subscribe('u2', pushService.subscribe());
      const accepted = await send({ to: [{ pushSubscription: tablet.id }], priority: 'low', content: { title: 'Just this one', body: 'tablet' } });
      assert.equal((await settled(accepted.id)).status, 'completed');
      const push = pushService.received.at(-1)!;
      assert.deepEqual([JSON.parse(push.plaintext).body, push.urgency], ['tablet', 'low']);
      const bad = await call('POST', '/v1/messages', { channels: ['webpush'], to: [{ pushSubscription: 'not-an-id' }], content: { title: 't', body: 'b' } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().code, 'PUSH_SUBSCRIPTION_ID_INVALID');
    });

    test('bad subscription bodies are refused with codes naming the field', async () => {
      const browser = pushService.subscribe();
      const cases: Array<[unknown, number, string, string?]> = [
        [{ ...browser, endpoint: 'http://push.example.net/wpush/x' }, 400, 'PUSH_ENDPOINT_INVALID', 'endpoint'],
        [{ ...browser, endpoint: 'not a url' }, 400, 'PUSH_ENDPOINT_INVALID', 'endpoint'],
        [{ ...browser, keys: { ...browser.keys, p256dh: Buffer.alloc(64, 4).toString('base64url') } }, 400, 'PUSH_KEY_INVALID', 'keys.p256dh'],
        [{ ...browser, keys: { ...browser.keys, p256dh: Buffer.alloc(65, 3).toString('base64url') } }, 400, 'PUSH_KEY_INVALID', 'keys.p256dh'],
        [{ ...browser, keys: { ...browser.keys, auth: 'not/base64url' } }, 400, 'PUSH_KEY_INVALID', 'keys.auth'],
        [{ ...browser, keys: { ...browser.keys, auth: Buffer.alloc(8).toString('base64url') } }, 400, 'PUSH_KEY_INVALID', 'keys.auth'],
        [{ endpoint: browser.endpoint }, 400, 'VALIDATION_FAILED'],
      ];
      for (const [body, status, code, field] of cases) {
        const response = await call('POST', '/v1/subscribers/u2/push-subscriptions', body);
        assert.equal(response.statusCode, status, `${JSON.stringify(body)}: ${response.body}`);
        assert.equal(response.json().code, code, response.body);
        if (field) assert.equal(response.json().field, field, response.body);
      }
      const unknown = await call('POST', '/v1/subscribers/nobody/push-subscriptions', browser);
      assert.deepEqual([unknown.statusCode, unknown.json().code], [404, 'SUBSCRIBER_NOT_FOUND']);
      const viaAddresses = await call('PATCH', '/v1/subscribers/u2', { addresses: { pushSubscription: 'wps_01jh0000000000000000000001' } });
      assert.equal(viaAddresses.statusCode, 400, 'push subscriptions are not subscriber addresses');
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startLoopbackHttpServer } from '../../src/providers/conformance/loopback-http-server.ts';
import { startWebhookTestServer, type WebhookTestServer } from '../../src/providers/webhook/webhook-test-server.ts';
import { verifyWebhookSignature } from '../../src/security/webhook-signature.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

for (const dialect of testDialects) {
  describe(`send API on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let sink: WebhookTestServer;
    const call = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => signedInject(herald, app, { method, url, body, headers });
    const messageCount = async () => Number((await herald.context.database.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      // Any free port: a fixed one collides with whatever else runs on the machine.
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', PORT: '0', HOST: '127.0.0.1' } });
      await herald.start();
      app = await createAppWithKey(herald, 'shop');
      sink = await startWebhookTestServer({ secret: 'hook-secret' });
      const created = await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'hooks', config: { url: sink.url, secret: 'hook-secret' } });
      assert.equal(created.statusCode, 201, created.body);
      const smtp = await call('POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: 2525, from: 'Shop <shop@example.com>' }, enabled: true });
      assert.equal(smtp.statusCode, 201, smtp.body);
      const subscriber = await call('POST', '/v1/subscribers', { externalId: 'u1', name: 'Ada', addresses: { email: 'ada@example.com' } });
      assert.equal(subscriber.statusCode, 201, subscriber.body);
    });
    after(async () => {
      await herald.close();
      await sink.close();
    });

    test('a message to a webhook target is accepted, sent, and traced', async () => {
      const response = await call('POST', '/v1/messages', {
        to: [{ channelAccount: 'hooks' }],
        content: { title: 'Order paid', body: 'Order **1001** was paid' },
        metadata: { orderId: '1001' },
      });
      assert.equal(response.statusCode, 202, response.body);
      const accepted = response.json();
      assert.equal(accepted.deliveries.length, 1);
      assert.equal(accepted.deliveries[0].channel, 'webhook');
      assert.equal(accepted.deliveries[0].status, 'queued');
      const message = await waitFor(async () => {
        const current = (await call('GET', `/v1/messages/${accepted.id}`)).json();
        return current.status === 'completed' ? current : undefined;
      }, { what: 'message completed' });
      assert.equal(message.deliveries[0].status, 'sent');
      assert.deepEqual(
        message.events.map((e: { type: string }) => e.type),
        ['accepted', 'queued', 'sending', 'sent', 'completed'],
      );
      const received = sink.received.find((r) => (r.body as { messageId: string }).messageId === accepted.id);
      assert.ok(received, 'the sink got the message');
      assert.equal((received.body as { title: string }).title, 'Order paid');
      const byMetadata = (await call('GET', '/v1/messages?metadata=orderId:1001')).json();
      assert.deepEqual(byMetadata.items.map((m: { id: string }) => m.id), [accepted.id]);
    });

    test('a subscriber without an address for a channel gets a skipped delivery with the reason', async () => {
      const response = await call('POST', '/v1/messages', { to: ['u1', { email: 'bob@example.com' }], channels: ['email'], content: { body: 'hi' }, sendAt: new Date(Date.now() + 3_600_000).toISOString() });
      assert.equal(response.statusCode, 202, response.body);
      const deliveries = response.json().deliveries;
      assert.deepEqual(deliveries.map((d: { address: string; status: string }) => [d.address, d.status]), [['ada@example.com', 'scheduled'], ['bob@example.com', 'scheduled']]);
      const skipped = await call('POST', '/v1/messages', { to: [{ phone: '+8613800138000' }], channels: ['email'], content: { body: 'hi' } });
      assert.equal(skipped.json().deliveries[0].status, 'skipped');
      assert.equal(skipped.json().deliveries[0].reason, 'NO_ADDRESS');
      assert.equal(skipped.json().status, 'completed');
    });

    test('result callbacks are signed with the app callback secret, also for a message whose deliveries were all skipped', async () => {
      const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
      const receiver = await startLoopbackHttpServer((request, rawBody, response) => {
        received.push({ headers: request.headers, body: rawBody.toString('utf8') });
        response.writeHead(204).end();
      });
      try {
        const secret = await herald.services.apps.callbackSecret(app.appId);
        const sent = await call('POST', '/v1/messages', { to: [{ channelAccount: 'hooks' }], content: { body: 'with callback' }, callbackUrl: `${receiver.origin}/result` });
        const skipped = await call('POST', '/v1/messages', { to: [{ phone: '+8613800138000' }], channels: ['email'], content: { body: 'nobody' }, callbackUrl: `${receiver.origin}/result` });
        assert.equal(skipped.json().status, 'completed');
        await waitFor(() => received.length >= 2, { what: 'two callbacks' });
        const byMessage = new Map(received.map((r) => [JSON.parse(r.body).messageId as string, r]));
        for (const [id, status] of [[sent.json().id, 'completed'], [skipped.json().id, 'completed']]) {
          const callback = byMessage.get(id)!;
          assert.ok(callback, `callback for ${id}`);
          assert.equal(JSON.parse(callback.body).status, status);
          assert.doesNotThrow(() =>
            verifyWebhookSignature({ secret, rawBody: callback.body, timestampHeader: String(callback.headers['x-herald-timestamp']), signatureHeader: String(callback.headers['x-herald-signature']), nowMs: Date.now() }),
          );
        }
        assert.equal(JSON.parse(byMessage.get(skipped.json().id)!.body).deliveries[0].status, 'skipped');
        await waitFor(async () => (await call('GET', `/v1/messages/${sent.json().id}`)).json().events.some((e: { type: string }) => e.type === 'callback_succeeded'), {
          what: 'the callback attempt in the event trail',
        });
      } finally {
        await receiver.close();
      }
    });

    test('retry limits come from the app settings, per channel where set, else the configuration', async () => {
      const other = await createAppWithKey(herald, 'policy-app');
      await signedInject(herald, other, { method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name: 'hooks', config: { url: sink.url, secret: 'hook-secret' } } });
      const send = async () => (await signedInject(herald, other, { method: 'POST', url: '/v1/messages', body: { to: [{ channelAccount: 'hooks' }], content: { body: 'policy' }, delaySeconds: 600 } })).json();
      const defaults = await send();
      assert.equal((await signedInject(herald, other, { method: 'GET', url: `/v1/deliveries/${defaults.deliveries[0].id}` })).json().maxAttempts, herald.config.delivery.maxAttempts);
      await herald.services.apps.update(other.appId, { settings: { maxAttempts: 2, channels: { webhook: { maxAttempts: 3 } } } });
      const overridden = await send();
      assert.equal((await signedInject(herald, other, { method: 'GET', url: `/v1/deliveries/${overridden.deliveries[0].id}` })).json().maxAttempts, 3);
      await herald.services.apps.update(other.appId, { settings: { maxAttempts: 2 } });
      const appWide = await send();
      assert.equal((await signedInject(herald, other, { method: 'GET', url: `/v1/deliveries/${appWide.deliveries[0].id}` })).json().maxAttempts, 2);
    });

    test('idempotency: same key and body answers the same message; a different body is 409', async () => {
      const body = { to: [{ channelAccount: 'hooks' }], content: { body: 'once' } };
      const first = await call('POST', '/v1/messages', body, { 'idempotency-key': 'order-42' });
      const second = await call('POST', '/v1/messages', body, { 'idempotency-key': 'order-42' });
      assert.equal(second.statusCode, 202);
      assert.equal(second.json().id, first.json().id);
      assert.equal(second.headers['idempotent-replayed'], 'true');
      const conflict = await call('POST', '/v1/messages', { ...body, content: { body: 'twice' } }, { 'idempotency-key': 'order-42' });
      assert.equal(conflict.statusCode, 409);
      assert.equal(conflict.json().code, 'IDEMPOTENCY_CONFLICT');
      const viaField = await call('POST', '/v1/messages', { ...body, idempotencyKey: 'order-42' });
      assert.equal(viaField.json().id, first.json().id);
    });

    test('a scheduled message can be canceled before it is sent', async () => {
      const scheduled = await call('POST', '/v1/messages', { to: [{ channelAccount: 'hooks' }], content: { body: 'later' }, delaySeconds: 3600 });
      assert.equal(scheduled.json().deliveries[0].status, 'scheduled');
      const cancel = await call('POST', `/v1/messages/${scheduled.json().id}/cancel`);
      assert.equal(cancel.statusCode, 200, cancel.body);
      assert.equal(cancel.json().canceled, 1);
      const message = (await call('GET', `/v1/messages/${scheduled.json().id}`)).json();
      assert.equal(message.status, 'canceled');
      assert.equal(message.deliveries[0].status, 'canceled');
      assert.ok(message.events.some((e: { type: string }) => e.type === 'canceled'));
      const again = await call('POST', `/v1/messages/${scheduled.json().id}/cancel`);
      assert.equal(again.statusCode, 409);
      const retried = await call('POST', `/v1/deliveries/${message.deliveries[0].id}/retry`);
      assert.equal(retried.statusCode, 202, retried.body);
      await waitFor(async () => (await call('GET', `/v1/messages/${scheduled.json().id}`)).json().status === 'completed', { what: 'retried delivery sent' });
    });

    test('an account receiver on channels its account does not serve gets a skipped delivery (CHANNEL_NOT_SERVED), not none', async () => {
      const response = await call('POST', '/v1/messages', { to: [{ channelAccount: 'hooks' }], channels: ['email'], content: { body: 'x' } });
      assert.equal(response.statusCode, 202, response.body);
      const accepted = response.json();
      assert.equal(accepted.status, 'completed');
      assert.deepEqual(accepted.deliveries.map((d: { channel: string; status: string; reason: string }) => [d.channel, d.status, d.reason]), [['email', 'skipped', 'CHANNEL_NOT_SERVED']]);
      const message = (await call('GET', `/v1/messages/${accepted.id}`)).json();
      assert.equal(message.deliveries[0].error.code, 'CHANNEL_NOT_SERVED');
      assert.match(message.deliveries[0].error.message, /webhook account "hooks" does not send on the email channel/);
      assert.ok(message.events.some((e: { type: string; code: string }) => e.type === 'skipped' && e.code === 'CHANNEL_NOT_SERVED'));
    });

    test('receivers on a channel with no default account are skipped (NO_ACCOUNT); template channels must be configured like named ones', async () => {
      const other = await createAppWithKey(herald, 'robot-only');
      const send = (body: unknown) => signedInject(herald, other, { method: 'POST', url: '/v1/messages', body });
      const robot = await signedInject(herald, other, { method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name: 'robot', config: { url: sink.url, secret: 'hook-secret' }, isDefault: false } });
      assert.equal(robot.statusCode, 201, robot.body);
      const mixed = await send({ to: [{ channelAccount: 'robot' }, { email: 'a@example.com' }], channels: ['webhook'], content: { body: 'x' }, delaySeconds: 3600 });
      assert.equal(mixed.statusCode, 202, mixed.body);
      assert.deepEqual(mixed.json().deliveries.map((d: { status: string; reason?: string }) => d.reason ?? d.status), ['scheduled', 'NO_ACCOUNT']);
      const template = await signedInject(herald, other, { method: 'POST', url: '/v1/templates', body: { code: 'mail.only', defaultChannels: ['email'], content: { body: 'x' }, publish: true } });
      assert.equal(template.statusCode, 201, template.body);
      const byTemplate = await send({ to: [{ email: 'a@example.com' }], template: 'mail.only' });
      assert.equal(byTemplate.statusCode, 422, byTemplate.body);
      assert.equal(byTemplate.json().code, 'CHANNEL_NOT_CONFIGURED');
      assert.match(byTemplate.json().detail, /template "mail.only"/);
    });

    test('retrying a delivery that is not retryable is a 409 problem naming its status', async () => {
      const scheduled = await call('POST', '/v1/messages', { to: [{ channelAccount: 'hooks' }], content: { body: 'not yet' }, delaySeconds: 3600 });
      const response = await call('POST', `/v1/deliveries/${scheduled.json().deliveries[0].id}/retry`);
      assert.equal(response.statusCode, 409, response.body);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(response.json().status, 409);
      assert.equal(response.json().code, 'DELIVERY_NOT_RETRYABLE');
      assert.equal(response.json().deliveryStatus, 'scheduled');
    });

    test('batch: one message, per-receiver variables', async () => {
      const response = await call('POST', '/v1/messages/batch', {
        receivers: [{ to: { channelAccount: 'hooks' }, data: { name: 'A' } }, { to: { channelAccount: 'hooks' }, data: { name: 'B' } }],
        content: { body: 'Hello {{ name }}' },
      });
      assert.equal(response.statusCode, 202, response.body);
      const id = response.json().id;
      await waitFor(async () => (await call('GET', `/v1/messages/${id}`)).json().status === 'completed', { what: 'batch completed' });
      const texts = sink.received.filter((r) => (r.body as { messageId: string }).messageId === id).map((r) => (r.body as { text: string }).text).sort();
      assert.deepEqual(texts, ['Hello A', 'Hello B']);
    });

    test('bad inputs get a 4xx with a code and store nothing', async () => {
      const before = await messageCount();
      const cases: Array<[unknown, number, string]> = [
        [{ to: [{ channelAccount: 'hooks' }], channels: ['pigeon'], content: { body: 'x' } }, 400, 'VALIDATION_FAILED'],
        [{ to: ['nobody'], channels: ['email'], content: { body: 'x' } }, 422, 'SUBSCRIBER_NOT_FOUND'],
        [{ to: [{ email: 'not-an-email' }], channels: ['email'], content: { body: 'x' } }, 400, 'EMAIL_INVALID'],
        [{ to: [], channels: ['email'], content: { body: 'x' } }, 400, 'VALIDATION_FAILED'],
        [{ to: Array.from({ length: 1001 }, () => ({ email: 'a@example.com' })), channels: ['email'], content: { body: 'x' } }, 400, 'VALIDATION_FAILED'],
        [{ to: [{ email: 'a@example.com' }], channels: ['email'], content: { body: 'x' }, sendAt: 'tomorrow' }, 400, 'VALIDATION_FAILED'],
        [{ to: [{ email: 'a@example.com' }], channels: ['email'], content: { body: 'x' }, sendAt: '2026-01-01T10:00:00' }, 400, 'VALIDATION_FAILED'],
        [{ to: [{ channelAccount: 'no-such-robot' }], content: { body: 'x' } }, 422, 'CHANNEL_ACCOUNT_NOT_FOUND'],
        [{ to: [{ channelAccount: 'no-such-robot' }], channels: ['webhook'], content: { body: 'x' } }, 422, 'CHANNEL_ACCOUNT_NOT_FOUND'],
        [{ to: [{ email: 'a@example.com' }], channels: ['email'], channelAccounts: { email: 'nope' }, content: { body: 'x' } }, 422, 'CHANNEL_ACCOUNT_NOT_FOUND'],
        [{ to: [{ email: 'a@example.com' }], channels: ['sms'], content: { body: 'x' } }, 422, 'CHANNEL_NOT_CONFIGURED'],
        [{ to: [{ email: 'a@example.com' }], channels: ['email'] }, 400, 'CONTENT_MISSING'],
        [{ to: [{ email: 'a@example.com' }], channels: ['email'], content: { body: 'x' }, surprise: true }, 400, 'VALIDATION_FAILED'],
        [{ to: [{ email: 'a@example.com' }], channels: ['email'], content: { body: 'x' }, callbackUrl: 'ftp://example.com/result' }, 400, 'OUTBOUND_URL_NOT_ALLOWED'],
        [{ to: [{ email: 'a@example.com' }], channels: ['email'], content: { body: 'Hi {{ name }}' } }, 422, 'TEMPLATE_VARIABLE_MISSING'],
        [{ to: [{ email: 'a@example.com' }], channels: ['email'], content: { body: 'Hi {{ name | shout }}' }, data: { name: 'x' } }, 422, 'TEMPLATE_FILTER_UNKNOWN'],
      ];
      for (const [body, status, code] of cases) {
        const response = await call('POST', '/v1/messages', body);
        assert.equal(response.statusCode, status, `${JSON.stringify(body).slice(0, 120)} → ${response.body}`);
        assert.equal(response.json().code, code, response.body);
        assert.ok(response.json().detail.length > 10);
      }
      assert.equal(await messageCount(), before);
    });

    test('another app cannot read this app\'s messages', async () => {
      const other = await createAppWithKey(herald, 'other-app');
      const mine = await call('POST', '/v1/messages', { to: [{ channelAccount: 'hooks' }], content: { body: 'private' } });
      const peek = await signedInject(herald, other, { method: 'GET', url: `/v1/messages/${mine.json().id}` });
      assert.equal(peek.statusCode, 404);
      assert.equal((await signedInject(herald, other, { method: 'GET', url: '/v1/messages' })).json().items.length, 0);
    });
  });
}

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../clock.ts';
import { startWebhookTestServer, type WebhookTestServer } from '../providers/webhook/webhook-test-server.ts';
import { webhookProvider } from '../providers/webhook/webhook-provider.ts';
import { createDispatchTestBed, dispatchTestConfig, providerMap, silentLogger, type DispatchTestBed } from '../../test/support/dispatch-test-kit.ts';
import { seedApp, seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { testDialects } from '../../test/support/test-databases.ts';
import { waitFor } from '../../test/support/wait-for.ts';
import { createCallbackWorker, type CallbackWorker } from './callback-worker.ts';
import type { CallbackPayload } from '../deliveries/message-completion.ts';

const CALLBACK_SECRET = 'app-callback-secret';

for (const dialect of testDialects) {
  describe(`result callbacks on ${dialect}`, () => {
    let bed: DispatchTestBed;
    let clock: ManualClock;
    let provider: WebhookTestServer;
    let receiver: WebhookTestServer;
    let appId: string;
    let accountId: string;
    let callbacks: CallbackWorker;

    beforeEach(async () => {
      clock = new ManualClock();
      bed = await createDispatchTestBed(dialect, clock);
      provider = await startWebhookTestServer();
      // The receiver checks X-Herald-Signature with the app's callback secret, using its own HMAC code.
      receiver = await startWebhookTestServer({ secret: CALLBACK_SECRET, clock });
      appId = await seedApp(bed.database, bed.cryptoBox, { callbackSecret: CALLBACK_SECRET, nowMs: clock.now() });
      accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId, type: 'webhook', channel: 'webhook', config: { url: provider.url }, nowMs: clock.now() });
      callbacks = createCallbackWorker({
        database: bed.database,
        config: dispatchTestConfig({ delivery: { maxAttempts: 3, backoffBaseMs: 1000 } }),
        clock,
        cryptoBox: bed.cryptoBox,
        outboundHttp: bed.outboundHttp,
        logger: silentLogger,
      });
    });
    afterEach(async () => {
      await callbacks.stop();
      await provider.close();
      await receiver.close();
      await bed.close();
    });

    const eventsOf = (messageId: string) =>
      bed.database.db.selectFrom('events').selectAll().where('message_id', '=', messageId).where('type', 'like', 'callback_%').orderBy('id').execute();

    test('a completed message POSTs one signed result with every delivery', async () => {
      const { messageIds, deliveryIds } = await seedMessages(bed.database, {
        appId,
        channelAccountId: accountId,
        channel: 'webhook',
        nowMs: clock.now(),
        deliveriesPerMessage: 2,
        callbackUrl: receiver.url,
        metadata: { order: 'A-1' },
      });
      await bed.createWorker({ providers: providerMap(webhookProvider) }).drain();
      assert.equal(await callbacks.drain(), 1);

      assert.deepEqual(receiver.rejections, []);
      assert.equal(receiver.received.length, 1);
      const { headers, body } = receiver.received[0];
      const payload = body as CallbackPayload;
      assert.equal(headers['x-herald-event'], 'message.completed');
      assert.match(String(headers['x-herald-callback-id']), /^cbk_/);
      assert.equal(payload.type, 'message.completed');
      assert.equal(payload.messageId, messageIds[0]);
      assert.equal(payload.status, 'completed');
      assert.deepEqual(payload.metadata, { order: 'A-1' });
      assert.equal(payload.completedAt, new Date(clock.now()).toISOString());
      assert.deepEqual(
        payload.deliveries.map((d) => [d.id, d.channel, d.status, d.attempts, d.errorCode, d.sentAt]),
        deliveryIds.map((id) => [id, 'webhook', 'sent', 1, null, new Date(clock.now()).toISOString()]),
      );
      assert.ok(payload.deliveries.every((d) => /^wh_\d+$/.test(d.providerMessageId ?? '')));

      const events = await eventsOf(messageIds[0]);
      assert.deepEqual(
        events.map((e) => [e.type, e.attempt, e.code, e.delivery_id]),
        [['callback_succeeded', 1, 'HTTP_200', null]],
      );
      const row = await bed.database.db.selectFrom('callbacks').selectAll().executeTakeFirstOrThrow();
      assert.equal(row.status, 'succeeded');
      assert.equal(row.run_at, null);
    });

    test('per-delivery callbacks, and the message result says partially_failed', async () => {
      const failing = await startWebhookTestServer();
      failing.setMode('bad-request');
      try {
        const failingAccount = await seedChannelAccount(bed.database, bed.cryptoBox, { appId, type: 'webhook', channel: 'webhook', config: { url: failing.url }, nowMs: clock.now() });
        const { messageIds, deliveryIds } = await seedMessages(bed.database, {
          appId,
          channelAccountId: accountId,
          channel: 'webhook',
          nowMs: clock.now(),
          deliveriesPerMessage: 2,
          callbackUrl: receiver.url,
          callbackPerDelivery: true,
        });
        await bed.database.db.updateTable('deliveries').set({ channel_account_id: failingAccount }).where('id', '=', deliveryIds[1]).execute();
        await bed.createWorker({ providers: providerMap(webhookProvider) }).drain();
        assert.equal(await callbacks.drain(), 3);

        const payloads = receiver.received.map((r) => r.body as CallbackPayload);
        const perDelivery = payloads.filter((p) => p.type === 'delivery.completed');
        assert.deepEqual(perDelivery.map((p) => [p.deliveries[0].id, p.status]).sort(), [
          [deliveryIds[0], 'sent'],
          [deliveryIds[1], 'failed'],
        ]);
        const failedResult = perDelivery.find((p) => p.status === 'failed')!.deliveries[0];
        assert.equal(failedResult.errorCode, 'HTTP_400');
        const messageResult = payloads.find((p) => p.type === 'message.completed')!;
        assert.equal(messageResult.messageId, messageIds[0]);
        assert.equal(messageResult.status, 'partially_failed');
        const events = await eventsOf(messageIds[0]);
        assert.deepEqual(events.map((e) => e.delivery_id).sort(), [deliveryIds[0], deliveryIds[1], null].sort());
      } finally {
        await failing.close();
      }
    });

    test('failed callbacks are retried with backoff, then given up after the attempt limit', async () => {
      receiver.setMode('transient-error');
      const { messageIds } = await seedMessages(bed.database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: clock.now(), callbackUrl: receiver.url });
      const second = await seedMessages(bed.database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: clock.now(), callbackUrl: receiver.url });
      await bed.createWorker({ providers: providerMap(webhookProvider) }).drain();

      assert.equal(await callbacks.drain(), 2);
      const pending = await bed.database.db.selectFrom('callbacks').selectAll().execute();
      for (const callback of pending) {
        assert.equal(callback.status, 'pending');
        assert.equal(callback.attempts, 1);
        assert.match(callback.last_error!, /^HTTP_500/);
        const delayMs = callback.run_at! - clock.now();
        assert.ok(delayMs >= 500 && delayMs <= 1000, `first retry after ${delayMs} ms`);
      }
      assert.equal(await callbacks.drain(), 0, 'not due yet');

      // The first receiver recovers; the second message's callback keeps failing.
      clock.advance(1000);
      receiver.setMode('normal');
      const down = await startWebhookTestServer();
      down.setMode('transient-error');
      try {
        await bed.database.db.updateTable('callbacks').set({ url: down.url }).where('message_id', '=', second.messageIds[0]).execute();
        assert.equal(await callbacks.drain(), 2);
        clock.advance(2000);
        assert.equal(await callbacks.drain(), 1);
      } finally {
        await down.close();
      }

      const rows = new Map((await bed.database.db.selectFrom('callbacks').selectAll().execute()).map((row) => [row.message_id, row]));
      assert.equal(rows.get(messageIds[0])!.status, 'succeeded');
      assert.equal(rows.get(second.messageIds[0])!.status, 'failed');
      assert.equal(rows.get(second.messageIds[0])!.attempts, 3);
      assert.deepEqual(
        (await eventsOf(messageIds[0])).map((e) => [e.type, e.attempt]),
        [
          ['callback_retrying', 1],
          ['callback_succeeded', 2],
        ],
      );
      assert.deepEqual(
        (await eventsOf(second.messageIds[0])).map((e) => [e.type, e.attempt, e.code]),
        [
          ['callback_retrying', 1, 'HTTP_500'],
          ['callback_retrying', 2, 'HTTP_500'],
          ['callback_failed', 3, 'HTTP_500'],
        ],
      );
    });

    test('a started callback worker is woken by completions, not only by polling', async () => {
      const { messageIds } = await seedMessages(bed.database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: clock.now(), count: 5, callbackUrl: receiver.url });
      const config = { worker: { pollIntervalMs: 60_000 } };
      const wokenCallbacks = createCallbackWorker({
        database: bed.database,
        config: dispatchTestConfig(config),
        clock,
        cryptoBox: bed.cryptoBox,
        outboundHttp: bed.outboundHttp,
        logger: silentLogger,
      });
      wokenCallbacks.start();
      try {
        // The callback worker's first claim runs at start and finds nothing; with a one-minute poll interval
        // only the wake-up from the delivery worker can bring the callbacks out within the wait below.
        bed.createWorker({ providers: providerMap(webhookProvider), config, onCallbacksQueued: () => wokenCallbacks.wake() }).start();
        await waitFor(() => receiver.received.length === 5, { what: 'five callbacks', timeoutMs: 10_000 });
        assert.deepEqual(receiver.received.map((r) => (r.body as CallbackPayload).messageId).sort(), [...messageIds].sort());
      } finally {
        await wokenCallbacks.stop();
      }
    });
  });
}

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../clock.ts';
import { HeraldError } from '../errors.ts';
import { startWebhookTestServer, type WebhookTestServer } from '../providers/webhook/webhook-test-server.ts';
import { webhookProvider } from '../providers/webhook/webhook-provider.ts';
import { createDispatchTestBed, providerMap, type DispatchTestBed } from '../../test/support/dispatch-test-kit.ts';
import { seedApp, seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { deliveryTrail, messageTrail } from '../../test/support/message-trail.ts';
import { testDialects } from '../../test/support/test-databases.ts';
import { createDeliveryQueue } from '../dispatch/delivery-queue.ts';
import { createMessageControl, type MessageControl } from './message-control.ts';
import type { DeliveryWakeup } from '../dispatch/wakeup.ts';

function assertHeraldError(kind: string, code: string) {
  return (error: unknown) => {
    assert.ok(error instanceof HeraldError, String(error));
    assert.equal(error.kind, kind);
    assert.equal(error.code, code);
    return true;
  };
}

for (const dialect of testDialects) {
  describe(`message control on ${dialect}`, () => {
    let bed: DispatchTestBed;
    let clock: ManualClock;
    let sink: WebhookTestServer;
    let appId: string;
    let accountId: string;
    let control: MessageControl;
    let wakeups: number;

    beforeEach(async () => {
      clock = new ManualClock();
      bed = await createDispatchTestBed(dialect, clock);
      sink = await startWebhookTestServer();
      appId = await seedApp(bed.database, bed.cryptoBox, { nowMs: clock.now() });
      accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId, type: 'webhook', channel: 'webhook', config: { url: sink.url }, nowMs: clock.now() });
      wakeups = 0;
      const wakeup: DeliveryWakeup = { notifyDeliveriesQueued: () => void wakeups++, subscribe: () => () => undefined };
      control = createMessageControl({ database: bed.database, clock, wakeup });
    });
    afterEach(async () => {
      await sink.close();
      await bed.close();
    });

    const message = (id: string) => bed.database.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const deliveries = (messageId: string) =>
      bed.database.db.selectFrom('deliveries').selectAll().where('message_id', '=', messageId).orderBy('id').execute();

    test('cancel before sending: nothing goes out, the message ends canceled, a second cancel conflicts', async () => {
      const { messageIds } = await seedMessages(bed.database, {
        appId,
        channelAccountId: accountId,
        channel: 'webhook',
        nowMs: clock.now(),
        deliveriesPerMessage: 3,
        sendAtMs: clock.now() + 60_000,
        callbackUrl: `${sink.url}/callback`,
      });
      assert.equal(await control.cancelMessage(messageIds[0], appId), 3);

      for (const delivery of await deliveries(messageIds[0])) {
        assert.equal(delivery.status, 'canceled');
        assert.equal(delivery.run_at, null);
      }
      const canceled = await message(messageIds[0]);
      assert.equal(canceled.status, 'canceled');
      assert.equal(canceled.pending_count, 0);
      assert.equal(canceled.completed_at, clock.now());
      const events = await messageTrail(bed.database, messageIds[0]);
      assert.deepEqual(
        events.map((e) => e.type),
        ['accepted', 'scheduled', 'scheduled', 'scheduled', 'canceled', 'canceled', 'canceled', 'completed'],
      );
      const callback = await bed.database.db.selectFrom('callbacks').selectAll().where('message_id', '=', messageIds[0]).executeTakeFirstOrThrow();
      assert.equal(JSON.parse(callback.payload).status, 'canceled');

      clock.advance(120_000);
      const worker = bed.createWorker({ providers: providerMap(webhookProvider) });
      assert.equal(await worker.drain(), 0);
      assert.equal(sink.requestCount, 0);

      await assert.rejects(control.cancelMessage(messageIds[0], appId), assertHeraldError('conflict', 'MESSAGE_NOT_CANCELABLE'));
      await assert.rejects(control.cancelMessage('msg_unknown', appId), assertHeraldError('not_found', 'MESSAGE_NOT_FOUND'));
      const otherApp = await seedApp(bed.database, bed.cryptoBox);
      const other = await seedMessages(bed.database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: clock.now() });
      await assert.rejects(control.cancelMessage(other.messageIds[0], otherApp), assertHeraldError('not_found', 'MESSAGE_NOT_FOUND'));
    });

    test('a delivery already being sent is not canceled and completes the message afterwards', async () => {
      const { messageIds } = await seedMessages(bed.database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: clock.now(), deliveriesPerMessage: 2 });
      const queue = createDeliveryQueue({ database: bed.database, clock, workerId: 'w1', leaseSeconds: 30, backoff: { baseMs: 1000, maxMs: 10_000 } });
      const [inFlight] = await queue.claim(1);

      assert.equal(await control.cancelMessage(messageIds[0], appId), 1);
      let current = await message(messageIds[0]);
      assert.equal(current.status, 'accepted');
      assert.equal(current.pending_count, 1);

      await queue.complete([{ delivery: inFlight, outcome: { kind: 'sent', providerMessageId: 'p1' } }]);
      current = await message(messageIds[0]);
      assert.equal(current.pending_count, 0);
      assert.equal(current.status, 'partially_failed');
      assert.deepEqual((await deliveries(messageIds[0])).map((d) => d.status).sort(), ['canceled', 'sent']);
    });

    test('retry puts a failed delivery back in the queue and reopens its message', async () => {
      sink.setMode('bad-request');
      const { messageIds, deliveryIds } = await seedMessages(bed.database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: clock.now(), maxAgeMs: 3_600_000 });
      const worker = bed.createWorker({ providers: providerMap(webhookProvider) });
      await worker.drain();
      assert.equal((await message(messageIds[0])).status, 'failed');

      clock.advance(7_200_000);
      await control.retryDelivery(deliveryIds[0], appId);
      assert.equal(wakeups, 1);
      const [retried] = await deliveries(messageIds[0]);
      assert.equal(retried.status, 'queued');
      assert.equal(retried.attempts, 0);
      assert.equal(retried.run_at, clock.now());
      assert.equal(retried.expires_at, clock.now() + 3_600_000, 'the max age counts again from the retry');
      const reopened = await message(messageIds[0]);
      assert.equal(reopened.status, 'accepted');
      assert.equal(reopened.pending_count, 1);
      assert.equal(reopened.completed_at, null);

      sink.setMode('normal');
      assert.equal(await worker.drain(), 1);
      assert.equal((await message(messageIds[0])).status, 'completed');
      const types = (await deliveryTrail(bed.database, deliveryIds[0])).map(
        (e) => `${e.type}${e.code ? `:${e.code}` : ''}`,
      );
      assert.deepEqual(types, ['queued', 'sending', 'failed:HTTP_400', 'queued:MANUAL_RETRY', 'sending', 'sent']);

      await assert.rejects(control.retryDelivery(deliveryIds[0], appId), assertHeraldError('conflict', 'DELIVERY_NOT_RETRYABLE'));
      await assert.rejects(control.retryDelivery('dlv_unknown', appId), assertHeraldError('not_found', 'DELIVERY_NOT_FOUND'));
      const otherApp = await seedApp(bed.database, bed.cryptoBox);
      await assert.rejects(control.retryDelivery(deliveryIds[0], otherApp), assertHeraldError('not_found', 'DELIVERY_NOT_FOUND'));
    });
  });
}

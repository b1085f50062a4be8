import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startWebhookTestServer } from '../providers/webhook/webhook-test-server.ts';
import { dispatchTestConfig, providerMap, silentLogger, useDispatchTestBed } from '../../test/support/dispatch-test-kit.ts';
import { scriptedProvider } from '../../test/support/scripted-provider.ts';
import { seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { testDialects } from '../../test/support/test-databases.ts';
import { createCallbackWorker } from './callback-worker.ts';
import type { SendOutcome } from '../providers/provider.ts';
import type { GateDecision, SendGate } from './send-gates/send-gate.ts';
import { SEND_GATES } from './send-gates/send-gate-pipeline.ts';
import { createWorkerEvents, type WorkerEventMap, type WorkerEventName, type WorkerEvents } from './worker-events.ts';

type Heard = { [K in WorkerEventName]: { name: K; event: WorkerEventMap[K] } }[WorkerEventName];

/** An emitter that remembers everything emitted, in order. */
function recordingEvents(): { events: WorkerEvents; heard: Heard[] } {
  const events = createWorkerEvents((error) => assert.fail(`a listener threw: ${String(error)}`));
  const heard: Heard[] = [];
  const names: WorkerEventName[] = [
    'delivery.sent', 'delivery.retrying', 'delivery.rate_limited', 'delivery.deferred', 'delivery.skipped', 'delivery.failed',
    'lease.lost', 'lease.taken_over', 'lease.released', 'callback.succeeded', 'callback.retrying', 'callback.failed', 'worker.error',
  ];
  for (const name of names) events.on(name, (event) => heard.push({ name, event } as Heard));
  return { events, heard };
}

test('a listener that throws neither reaches the emitter nor stops the other listeners; unsubscribing works', () => {
  const failures: Array<[unknown, string]> = [];
  const events = createWorkerEvents((error, name) => failures.push([error, name]));
  const seen: number[] = [];
  events.on('lease.lost', () => {
    throw new Error('broken metrics');
  });
  const unsubscribe = events.on('lease.lost', (event) => seen.push(event.count));
  events.emit('lease.lost', { workerId: 'w', component: 'delivery-worker', count: 3 });
  unsubscribe();
  events.emit('lease.lost', { workerId: 'w', component: 'delivery-worker', count: 4 });
  assert.deepEqual(seen, [3]);
  assert.deepEqual(failures.map(([error, name]) => [(error as Error).message, name]), [
    ['broken metrics', 'lease.lost'],
    ['broken metrics', 'lease.lost'],
  ]);
});

for (const dialect of testDialects) {
  describe(`worker events on ${dialect}`, () => {
    const bed = useDispatchTestBed(dialect);

    test('the delivery worker reports every outcome kind once its result is written', async () => {
      const answers: Record<string, SendOutcome> = {
        'ok@example.com': { kind: 'sent', providerMessageId: 'p-1' },
        'busy@example.com': { kind: 'retry', code: 'BUSY', message: 'try later', retryAfterMs: 5000 },
        'bad@example.com': { kind: 'failed', code: 'BAD_ADDRESS', message: 'no such mailbox' },
        'throttled@example.com': { kind: 'rate_limited', code: 'THROTTLED', message: 'slow down', retryAfterMs: 7000 },
      };
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'scripted', channel: 'email', nowMs: bed.clock.now() });
      const provider = scriptedProvider(async (request) => {
        // Another worker takes this one over while it is in flight: its result must be dropped.
        if (request.address === 'stolen@example.com') {
          await bed.database.db.updateTable('deliveries').set({ lease_owner: 'another-worker' }).where('id', '=', request.deliveryId).execute();
          return { kind: 'sent' };
        }
        return answers[request.address!]!;
      });
      const decisions: Record<string, GateDecision> = {
        'held@example.com': { kind: 'deferred', untilMs: bed.clock.now() + 60_000, code: 'TEST_HOLD', message: 'held' },
        'dropped@example.com': { kind: 'skipped', code: 'TEST_DROP', message: 'dropped' },
      };
      const gate: SendGate = async (batch) => new Map(batch.flatMap((candidate) => (decisions[candidate.delivery.address!] ? [[candidate, decisions[candidate.delivery.address!]!]] : [])));
      const addresses = [...Object.keys(answers), 'held@example.com', 'dropped@example.com', 'stolen@example.com'];
      const { deliveryIds, messageIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), deliveriesPerMessage: addresses.length, address: (i) => addresses[i]! });
      const { events, heard } = recordingEvents();
      const worker = bed.createWorker({ providers: providerMap(provider), sendGates: [gate, ...SEND_GATES], events, workerId: 'w-1' });
      const nowMs = bed.clock.now();

      assert.equal(await worker.drain(), addresses.length);
      const base = (i: number, attempts: number) => ({
        workerId: 'w-1',
        deliveryId: deliveryIds[i],
        messageId: messageIds[0],
        appId: bed.appId,
        channel: 'email',
        channelAccountId: accountId,
        providerType: 'scripted',
        attempts,
        acceptedAtMs: nowMs,
      });
      // How long a call took varies: it is a duration where the provider was called, null where a gate decided.
      const called = new Set(['delivery.sent', 'delivery.retrying', 'delivery.failed', 'delivery.rate_limited']);
      const byDelivery = new Map(
        heard.flatMap((h) => {
          if (!('deliveryId' in h.event)) return [];
          const { sendDurationMs, ...event } = h.event as typeof h.event & { sendDurationMs: number | null };
          assert.equal(called.has(h.name) ? typeof sendDurationMs === 'number' && sendDurationMs >= 0 : sendDurationMs === null, true, `${h.name}: sendDurationMs ${sendDurationMs}`);
          return [[h.event.deliveryId, { name: h.name, event }]];
        }),
      );
      assert.deepEqual(byDelivery.get(deliveryIds[0]!), { name: 'delivery.sent', event: { ...base(0, 1), providerMessageId: 'p-1', sentAtMs: nowMs } });
      assert.deepEqual(byDelivery.get(deliveryIds[1]!), { name: 'delivery.retrying', event: { ...base(1, 1), code: 'BUSY', message: 'try later', retryAtMs: nowMs + 5000 } });
      assert.deepEqual(byDelivery.get(deliveryIds[2]!), { name: 'delivery.failed', event: { ...base(2, 1), code: 'BAD_ADDRESS', message: 'no such mailbox' } });
      assert.deepEqual(byDelivery.get(deliveryIds[3]!), { name: 'delivery.rate_limited', event: { ...base(3, 0), code: 'THROTTLED', message: 'slow down', retryAtMs: nowMs + 7000 } });
      assert.deepEqual(byDelivery.get(deliveryIds[4]!), { name: 'delivery.deferred', event: { ...base(4, 0), code: 'TEST_HOLD', message: 'held', untilMs: nowMs + 60_000 } });
      assert.deepEqual(byDelivery.get(deliveryIds[5]!), { name: 'delivery.skipped', event: { ...base(5, 0), code: 'TEST_DROP', message: 'dropped' } });
      assert.equal(byDelivery.get(deliveryIds[6]!), undefined, 'a dropped result is not reported as sent');
      assert.deepEqual(heard.filter((h) => h.name === 'lease.lost').map((h) => h.event), [{ workerId: 'w-1', component: 'delivery-worker', count: 1 }]);
      assert.equal(heard.length, 7);
    });

    test('the delivery worker reports leases it takes over and errors it rides out', async () => {
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'scripted', channel: 'email', nowMs: bed.clock.now() });
      const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), count: 2, address: () => 'a@example.com' });
      // The first was leased by a worker that died a while ago.
      await bed.database.db.updateTable('deliveries').set({ status: 'sending', run_at: null, attempts: 1, lease_owner: 'ghost', lease_expires_at: bed.clock.now() - 1 }).where('id', '=', deliveryIds[0]!).execute();
      const broken: SendGate = async () => {
        throw new Error('gate store unreachable');
      };
      const { events, heard } = recordingEvents();
      const worker = bed.createWorker({ providers: providerMap(scriptedProvider(() => ({ kind: 'sent' }))), sendGates: [broken], events, workerId: 'w-2' });
      await worker.drain();

      assert.deepEqual(heard.find((h) => h.name === 'lease.taken_over')?.event, { workerId: 'w-2', component: 'delivery-worker', count: 1, from: 'dead-worker' });
      const errors = heard.filter((h) => h.name === 'worker.error').map((h) => h.event as WorkerEventMap['worker.error']);
      assert.ok(errors.length >= 1);
      assert.equal((errors[0]!.error as Error).message, 'gate store unreachable');
      assert.match(errors[0]!.during, /preparing a delivery batch/);
      const retried = heard.filter((h) => h.name === 'delivery.retrying').map((h) => (h.event as WorkerEventMap['delivery.retrying']).code);
      assert.ok(retried.includes('WORKER_ERROR'), `retried with ${retried.join(', ')}`);
    });

    test('the callback worker reports callbacks that succeeded and ones it retries', async () => {
      const receiver = await startWebhookTestServer();
      try {
        const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'scripted', channel: 'email', nowMs: bed.clock.now() });
        const seed = { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), address: () => 'a@example.com' };
        const answered = await seedMessages(bed.database, { ...seed, callbackUrl: receiver.url });
        // Nothing listens on port 9: the callback is retried.
        const unanswered = await seedMessages(bed.database, { ...seed, callbackUrl: 'http://127.0.0.1:9/result' });
        await bed.createWorker({ providers: providerMap(scriptedProvider(() => ({ kind: 'sent' }))) }).drain();
        const { events, heard } = recordingEvents();
        const callbacks = createCallbackWorker({ database: bed.database, config: dispatchTestConfig(), clock: bed.clock, cryptoBox: bed.cryptoBox, outboundHttp: bed.outboundHttp, logger: silentLogger, workerId: 'cb-1', events });
        assert.equal(await callbacks.drain(), 2);
        const byMessage = new Map(heard.map((h) => [(h.event as WorkerEventMap['callback.succeeded']).messageId, h]));
        const succeeded = byMessage.get(answered.messageIds[0]!)!;
        assert.equal(succeeded.name, 'callback.succeeded');
        assert.deepEqual({ ...succeeded.event, callbackId: undefined }, { workerId: 'cb-1', callbackId: undefined, messageId: answered.messageIds[0], deliveryId: null, appId: bed.appId, url: receiver.url, attempt: 1, code: 'HTTP_200' });
        const retrying = byMessage.get(unanswered.messageIds[0]!)!;
        assert.equal(retrying.name, 'callback.retrying');
        assert.ok((retrying.event as WorkerEventMap['callback.retrying']).retryAtMs > bed.clock.now());
        assert.equal(heard.length, 2);
      } finally {
        await receiver.close();
      }
    });
  });
}

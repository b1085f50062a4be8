import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startDingtalkRobotTestServer } from '../providers/dingtalk-robot/dingtalk-robot-test-server.ts';
import { dingtalkRobotProvider } from '../providers/dingtalk-robot/dingtalk-robot-provider.ts';
import { findClosedPort } from '../providers/conformance/provider-test-support.ts';
import type { ProviderDefinition } from '../providers/provider.ts';
import { startWebhookTestServer } from '../providers/webhook/webhook-test-server.ts';
import { webhookProvider } from '../providers/webhook/webhook-provider.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { providerMap, useDispatchTestBed } from '../../test/support/dispatch-test-kit.ts';
import { seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { deliveryTrail } from '../../test/support/message-trail.ts';
import { testDialects } from '../../test/support/test-databases.ts';
import { waitFor } from '../../test/support/wait-for.ts';
import type { DeliveryRenderer } from './delivery-worker.ts';

const webhookOnly = providerMap(webhookProvider);

async function deliveriesOf(database: HeraldDatabase, ids: readonly string[]) {
  const rows = await database.db.selectFrom('deliveries').selectAll().where('id', 'in', [...ids]).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

async function statusCounts(database: HeraldDatabase, ids: readonly string[]) {
  const counts: Record<string, number> = {};
  for (const row of (await deliveriesOf(database, ids)).values()) counts[row.status] = (counts[row.status] ?? 0) + 1;
  return counts;
}

for (const dialect of testDialects) {
  describe(`delivery worker on ${dialect}`, () => {
    const bed = useDispatchTestBed(dialect);

    async function webhookAccount(url: string, extra: { flowLimits?: Array<{ count: number; perSeconds: number }> } = {}) {
      return seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'webhook', channel: 'webhook', config: { url }, nowMs: bed.clock.now(), ...extra });
    }

    test('sends every queued delivery once and completes the messages, with the whole event trail', async () => {
      const sink = await startWebhookTestServer();
      try {
        const accountId = await webhookAccount(sink.url);
        const seeded = await seedMessages(bed.database, {
          appId: bed.appId,
          channelAccountId: accountId,
          channel: 'webhook',
          nowMs: bed.clock.now(),
          count: 40,
          deliveriesPerMessage: 3,
          metadata: { order: '42' },
        });
        const worker = bed.createWorker({ providers: webhookOnly, workerId: 'worker-main' });
        worker.start();
        await waitFor(async () => (await statusCounts(bed.database, seeded.deliveryIds)).sent === 120, { what: 'all 120 deliveries sent' });
        await worker.stop();

        const receivedIds = sink.received.map((request) => request.headers['x-herald-delivery-id']);
        assert.equal(receivedIds.length, 120);
        assert.deepEqual(new Set(receivedIds), new Set(seeded.deliveryIds));
        const first = sink.received[0].body as { metadata: Record<string, string>; title: string };
        assert.deepEqual(first.metadata, { order: '42' });
        assert.equal(first.title, 'Hello');

        const deliveries = await deliveriesOf(bed.database, seeded.deliveryIds);
        for (const delivery of deliveries.values()) {
          assert.equal(delivery.attempts, 1);
          assert.equal(delivery.run_at, null);
          assert.equal(delivery.lease_owner, null);
          assert.equal(delivery.sent_at, bed.clock.now());
          assert.match(delivery.provider_message_id ?? '', /^wh_\d+$/);
        }
        const messages = await bed.database.db.selectFrom('messages').selectAll().where('id', 'in', seeded.messageIds).execute();
        assert.ok(messages.every((m) => m.status === 'completed' && m.pending_count === 0 && m.completed_at === bed.clock.now()));
        assert.deepEqual(await bed.database.db.selectFrom('result_checks').selectAll().execute(), [], 'webhooks report no results later: no checks');

        const trail = await deliveryTrail(bed.database, seeded.deliveryIds[0]);
        assert.deepEqual(
          trail.map((e) => [e.type, e.attempt]),
          [
            ['queued', null],
            ['sending', 1],
            ['sent', 1],
          ],
        );
        assert.equal(trail[1].detail, 'worker worker-main');
        const messageTrail = await bed.database.db
          .selectFrom('events')
          .select(['type', 'code'])
          .where('message_id', '=', seeded.messageIds[0])
          .where('delivery_id', 'is', null)
          .orderBy('id')
          .execute();
        assert.deepEqual(
          messageTrail.map((e) => [e.type, e.code]),
          [
            ['accepted', null],
            ['completed', 'completed'],
          ],
        );
      } finally {
        await sink.close();
      }
    });

    test('claims the most urgent deliveries first, then the longest due', async () => {
      const sink = await startWebhookTestServer();
      try {
        const accountId = await webhookAccount(sink.url);
        const seed = { appId: bed.appId, channelAccountId: accountId, channel: 'webhook' };
        const low = await seedMessages(bed.database, { ...seed, nowMs: bed.clock.now() - 5000, priority: 3 });
        const normalLater = await seedMessages(bed.database, { ...seed, nowMs: bed.clock.now() - 1000, priority: 2 });
        const normalEarlier = await seedMessages(bed.database, { ...seed, nowMs: bed.clock.now() - 3000, priority: 2 });
        const urgent = await seedMessages(bed.database, { ...seed, nowMs: bed.clock.now(), priority: 0 });
        const worker = bed.createWorker({ providers: webhookOnly, config: { worker: { concurrency: 1, batchSize: 1 } } });
        assert.equal(await worker.drain(), 4);
        assert.deepEqual(
          sink.received.map((request) => request.headers['x-herald-delivery-id']),
          [urgent, normalEarlier, normalLater, low].map((seeded) => seeded.deliveryIds[0]),
        );
      } finally {
        await sink.close();
      }
    });

    test('a scheduled delivery waits for its time', async () => {
      const sink = await startWebhookTestServer();
      try {
        const accountId = await webhookAccount(sink.url);
        const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'webhook', nowMs: bed.clock.now(), sendAtMs: bed.clock.now() + 3_600_000 });
        const worker = bed.createWorker({ providers: webhookOnly });
        assert.equal(await worker.drain(), 0);
        bed.clock.advance(3_599_999);
        assert.equal(await worker.drain(), 0);
        bed.clock.advance(1);
        assert.equal(await worker.drain(), 1);
        assert.deepEqual(await statusCounts(bed.database, deliveryIds), { sent: 1 });
        assert.deepEqual(
          (await deliveryTrail(bed.database, deliveryIds[0])).map((e) => e.type),
          ['scheduled', 'sending', 'sent'],
        );
      } finally {
        await sink.close();
      }
    });

    test('HTTP 500: retries with growing delays, then fails with the last error after max attempts', async () => {
      const sink = await startWebhookTestServer();
      sink.setMode('transient-error');
      try {
        const accountId = await webhookAccount(sink.url);
        const { deliveryIds, messageIds } = await seedMessages(bed.database, {
          appId: bed.appId,
          channelAccountId: accountId,
          channel: 'webhook',
          nowMs: bed.clock.now(),
          maxAttempts: 4,
        });
        const worker = bed.createWorker({ providers: webhookOnly, config: { delivery: { backoffBaseMs: 1000, backoffMaxMs: 60_000 } } });
        const delays: number[] = [];
        for (let attempt = 1; attempt <= 3; attempt++) {
          assert.equal(await worker.drain(), 1);
          const delivery = (await deliveriesOf(bed.database, deliveryIds)).get(deliveryIds[0])!;
          assert.equal(delivery.status, 'retrying');
          assert.equal(delivery.attempts, attempt);
          assert.equal(delivery.last_error_code, 'HTTP_500');
          delays.push(delivery.run_at! - bed.clock.now());
          // Not due before its time.
          bed.clock.advance(delays.at(-1)! - 1);
          assert.equal(await worker.drain(), 0);
          bed.clock.advance(1);
        }
        assert.equal(await worker.drain(), 1);
        const delivery = (await deliveriesOf(bed.database, deliveryIds)).get(deliveryIds[0])!;
        assert.equal(delivery.status, 'failed');
        assert.equal(delivery.attempts, 4);
        assert.equal(delivery.last_error_code, 'HTTP_500');
        assert.match(delivery.last_error_message!, /^HTTP 500: internal error \(gave up after 4 attempts\)$/);
        assert.equal(delivery.run_at, null);
        assert.equal(sink.requestCount, 4);

        // Equal jitter: attempt n waits between base·2^(n-1)/2 and base·2^(n-1).
        assert.ok(delays[0] >= 500 && delays[0] <= 1000, `first delay ${delays[0]}`);
        assert.ok(delays[1] >= 1000 && delays[1] <= 2000, `second delay ${delays[1]}`);
        assert.ok(delays[2] >= 2000 && delays[2] <= 4000, `third delay ${delays[2]}`);

        const trail = await deliveryTrail(bed.database, deliveryIds[0]);
        assert.deepEqual(
          trail.map((e) => `${e.type}:${e.attempt ?? ''}:${e.code ?? ''}`),
          ['queued::', 'sending:1:', 'retrying:1:HTTP_500', 'sending:2:', 'retrying:2:HTTP_500', 'sending:3:', 'retrying:3:HTTP_500', 'sending:4:', 'failed:4:HTTP_500'],
        );
        const message = await bed.database.db.selectFrom('messages').selectAll().where('id', '=', messageIds[0]).executeTakeFirstOrThrow();
        assert.equal(message.status, 'failed');
      } finally {
        await sink.close();
      }
    });

    test('HTTP 429 with Retry-After: rescheduled as asked without burning attempts, failed once the max age is reached', async () => {
      const sink = await startWebhookTestServer({ retryAfterSeconds: 7 });
      sink.setMode('rate-limited');
      try {
        const accountId = await webhookAccount(sink.url);
        const { deliveryIds } = await seedMessages(bed.database, {
          appId: bed.appId,
          channelAccountId: accountId,
          channel: 'webhook',
          nowMs: bed.clock.now(),
          maxAttempts: 2,
          maxAgeMs: 30_000,
        });
        const worker = bed.createWorker({ providers: webhookOnly });
        for (let round = 0; round < 4; round++) {
          assert.equal(await worker.drain(), 1);
          const delivery = (await deliveriesOf(bed.database, deliveryIds)).get(deliveryIds[0])!;
          assert.equal(delivery.status, 'retrying');
          assert.equal(delivery.attempts, 0, 'a rate-limited send does not use up an attempt');
          assert.equal(delivery.run_at, bed.clock.now() + 7000);
          bed.clock.advance(7000);
        }
        // 28 s after accept, the next retry would fall after the 30 s max age.
        assert.equal(await worker.drain(), 1);
        const delivery = (await deliveriesOf(bed.database, deliveryIds)).get(deliveryIds[0])!;
        assert.equal(delivery.status, 'failed');
        assert.equal(delivery.last_error_code, 'HTTP_429');
        assert.match(delivery.last_error_message!, /max age reached/);
        assert.equal(sink.requestCount, 5);
        const types = (await deliveryTrail(bed.database, deliveryIds[0])).map((e) => e.type);
        assert.deepEqual(types.filter((t) => t === 'rate_limited').length, 4);
        assert.equal(types.at(-1), 'failed');
      } finally {
        await sink.close();
      }
    });

    test('timeouts and refused connections are retried, then failed with the last error', async () => {
      const sink = await startWebhookTestServer();
      sink.setMode('hang');
      const closedPort = await findClosedPort();
      try {
        const hangingAccount = await webhookAccount(sink.url);
        const refusedAccount = await webhookAccount(`http://127.0.0.1:${closedPort}/hook`);
        const seed = { appId: bed.appId, channel: 'webhook', nowMs: bed.clock.now(), maxAttempts: 2 };
        const hanging = await seedMessages(bed.database, { ...seed, channelAccountId: hangingAccount });
        const refused = await seedMessages(bed.database, { ...seed, channelAccountId: refusedAccount });
        const ids = [hanging.deliveryIds[0], refused.deliveryIds[0]];
        const worker = bed.createWorker({ providers: webhookOnly, config: { outbound: { requestTimeoutMs: 300 } } });

        assert.equal(await worker.drain(), 2);
        let rows = await deliveriesOf(bed.database, ids);
        assert.equal(rows.get(ids[0])!.status, 'retrying');
        assert.equal(rows.get(ids[0])!.last_error_code, 'TIMEOUT');
        assert.equal(rows.get(ids[1])!.status, 'retrying');
        assert.equal(rows.get(ids[1])!.last_error_code, 'CONNECTION_REFUSED');

        bed.clock.advance(60_000);
        assert.equal(await worker.drain(), 2);
        rows = await deliveriesOf(bed.database, ids);
        assert.equal(rows.get(ids[0])!.status, 'failed');
        assert.equal(rows.get(ids[0])!.last_error_code, 'TIMEOUT');
        assert.equal(rows.get(ids[0])!.attempts, 2);
        assert.equal(rows.get(ids[1])!.status, 'failed');
        assert.equal(rows.get(ids[1])!.last_error_code, 'CONNECTION_REFUSED');
        assert.equal(sink.requestCount, 2);
      } finally {
        await sink.close();
      }
    });

    test('a permanent error fails at once', async () => {
      const sink = await startWebhookTestServer();
      sink.setMode('bad-request');
      try {
        const accountId = await webhookAccount(sink.url);
        const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'webhook', nowMs: bed.clock.now(), maxAttempts: 5 });
        const worker = bed.createWorker({ providers: webhookOnly });
        assert.equal(await worker.drain(), 1);
        const delivery = (await deliveriesOf(bed.database, deliveryIds)).get(deliveryIds[0])!;
        assert.equal(delivery.status, 'failed');
        assert.equal(delivery.attempts, 1);
        assert.equal(delivery.last_error_code, 'HTTP_400');
        assert.equal(sink.requestCount, 1);
      } finally {
        await sink.close();
      }
    });

    test('DingTalk robot flow limit: 25 messages to one robot → 20 sent now, the other 5 after the window, none failed', async () => {
      const robot = await startDingtalkRobotTestServer({ accessToken: 'robot-token', secret: 'SEC-robot', clock: bed.clock, throttle: { count: 20, perSeconds: 60 } });
      try {
        // No flow limit on the account: the provider's documented 20 per 60 s applies.
        const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, {
          appId: bed.appId,
          type: 'dingtalk-robot',
          channel: 'dingtalk',
          config: { baseUrl: robot.baseUrl },
          secrets: { accessToken: 'robot-token', secret: 'SEC-robot' },
          nowMs: bed.clock.now(),
        });
        const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'dingtalk', nowMs: bed.clock.now(), count: 25 });
        const worker = bed.createWorker({ providers: providerMap(dingtalkRobotProvider) });
        const startMs = bed.clock.now();

        assert.equal(await worker.drain(), 25);
        assert.deepEqual(await statusCounts(bed.database, deliveryIds), { sent: 20, queued: 5 });
        assert.equal(robot.received.length, 20);
        const held = [...(await deliveriesOf(bed.database, deliveryIds)).values()].filter((d) => d.status === 'queued');
        for (const delivery of held) {
          assert.equal(delivery.attempts, 0, 'a flow-limited delivery keeps its attempts');
          assert.equal(delivery.run_at, startMs + 60_000);
          assert.equal(delivery.last_error_code, 'FLOW_LIMITED');
        }

        bed.clock.advance(59_999);
        assert.equal(await worker.drain(), 0, 'nothing is due inside the window');
        bed.clock.advance(1);
        assert.equal(await worker.drain(), 5);
        assert.deepEqual(await statusCounts(bed.database, deliveryIds), { sent: 25 });
        assert.equal(robot.requestCount, 25, 'the robot never had to refuse a message');

        const events = await bed.database.db.selectFrom('events').select('type').where('delivery_id', 'in', deliveryIds).execute();
        const count = (type: string) => events.filter((e) => e.type === type).length;
        assert.equal(count('flow_limited'), 5);
        assert.equal(count('rate_limited'), 0);
        assert.equal(count('failed'), 0);
      } finally {
        await robot.close();
      }
    });

    test("an account's own flow limit overrides the provider's and holds across workers", async () => {
      const sink = await startWebhookTestServer();
      try {
        const accountId = await webhookAccount(sink.url, { flowLimits: [{ count: 3, perSeconds: 10 }] });
        const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'webhook', nowMs: bed.clock.now(), count: 8 });
        const config = { worker: { batchSize: 2, concurrency: 2 } };
        const workers = [bed.createWorker({ providers: webhookOnly, config }), bed.createWorker({ providers: webhookOnly, config })];
        await Promise.all(workers.map((worker) => worker.drain()));
        assert.equal(sink.received.length, 3);
        bed.clock.advance(10_000);
        await Promise.all(workers.map((worker) => worker.drain()));
        assert.equal(sink.received.length, 6);
        bed.clock.advance(10_000);
        await Promise.all(workers.map((worker) => worker.drain()));
        assert.deepEqual(await statusCounts(bed.database, deliveryIds), { sent: 8 });
      } finally {
        await sink.close();
      }
    });

    test('provider errors, render failures and unusable accounts', async () => {
      const throwing: ProviderDefinition = {
        type: 'throwing',
        channel: 'webhook',
        target: 'account',
        configSchema: {} as never,
        secretFields: [],
        createSender: () => ({
          send: async () => {
            throw new Error('provider bug');
          },
        }),
      };
      const providers = providerMap(webhookProvider, throwing);
      const seed = { appId: bed.appId, channel: 'webhook', nowMs: bed.clock.now() };
      const throwingAccount = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'throwing', channel: 'webhook', nowMs: bed.clock.now() });
      const disabledAccount = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'webhook', channel: 'webhook', config: { url: 'http://127.0.0.1:9/' }, enabled: false, nowMs: bed.clock.now() });
      const unknownTypeAccount = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'carrier-pigeon', channel: 'webhook', nowMs: bed.clock.now() });
      const okAccount = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'webhook', channel: 'webhook', config: { url: 'http://127.0.0.1:9/' }, nowMs: bed.clock.now() });
      const threw = await seedMessages(bed.database, { ...seed, channelAccountId: throwingAccount });
      const disabled = await seedMessages(bed.database, { ...seed, channelAccountId: disabledAccount });
      const unknownType = await seedMessages(bed.database, { ...seed, channelAccountId: unknownTypeAccount });
      const unrenderable = await seedMessages(bed.database, { ...seed, channelAccountId: okAccount, content: { title: 'x' } as never });

      const worker = bed.createWorker({ providers });
      assert.equal(await worker.drain(), 4);
      const rows = await deliveriesOf(bed.database, [threw, disabled, unknownType, unrenderable].map((s) => s.deliveryIds[0]));
      const row = (seeded: { deliveryIds: string[] }) => rows.get(seeded.deliveryIds[0])!;
      assert.equal(row(threw).status, 'retrying');
      assert.equal(row(threw).last_error_code, 'PROVIDER_ERROR');
      assert.equal(row(threw).last_error_message, 'provider bug');
      assert.equal(row(disabled).status, 'failed');
      assert.equal(row(disabled).last_error_code, 'CHANNEL_ACCOUNT_UNAVAILABLE');
      assert.match(row(disabled).last_error_message!, /is disabled/);
      assert.equal(row(unknownType).status, 'failed');
      assert.equal(row(unknownType).last_error_code, 'CHANNEL_ACCOUNT_UNAVAILABLE');
      assert.match(row(unknownType).last_error_message!, /carrier-pigeon/);
      assert.equal(row(unrenderable).status, 'failed');
      assert.equal(row(unrenderable).last_error_code, 'RENDER_FAILED');
      assert.equal(row(unrenderable).attempts, 1);
    });

    test('storage that is down while a template is loaded retries the delivery instead of failing it', async () => {
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'webhook', channel: 'webhook', config: { url: 'http://127.0.0.1:9/' }, nowMs: bed.clock.now() });
      const seeded = await seedMessages(bed.database, { appId: bed.appId, channel: 'webhook', nowMs: bed.clock.now(), channelAccountId: accountId });
      const databaseDown: DeliveryRenderer = {
        render: async () => {
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        },
      };
      const worker = bed.createWorker({ providers: webhookOnly, renderer: databaseDown });
      assert.equal(await worker.drain(), 1);
      const row = (await deliveriesOf(bed.database, seeded.deliveryIds)).get(seeded.deliveryIds[0])!;
      assert.equal(row.status, 'retrying');
      assert.equal(row.last_error_code, 'STORAGE_UNAVAILABLE');
    });

    test("a dead worker's leases expire and another worker sends the deliveries", async () => {
      const sink = await startWebhookTestServer();
      try {
        const accountId = await webhookAccount(sink.url);
        const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'webhook', nowMs: bed.clock.now(), count: 3 });
        // A worker claims and then vanishes without answering: simulated by claiming through its queue only.
        const { createDeliveryQueue } = await import('./delivery-queue.ts');
        const doomed = createDeliveryQueue({ database: bed.database, clock: bed.clock, workerId: 'doomed', leaseSeconds: 30, backoff: { baseMs: 1000, maxMs: 60_000 } });
        const claimedByDoomed = await doomed.claim(10);
        assert.equal(claimedByDoomed.length, 3);

        const survivor = bed.createWorker({ providers: webhookOnly, config: { worker: { leaseSeconds: 30 } } });
        assert.equal(await survivor.drain(), 0, 'leased deliveries are not claimed while the lease holds');
        bed.clock.advance(30_001);
        assert.equal(await survivor.drain(), 3);
        assert.deepEqual(await statusCounts(bed.database, deliveryIds), { sent: 3 });
        assert.equal(sink.received.length, 3);
        const trail = await deliveryTrail(bed.database, deliveryIds[0]);
        assert.deepEqual(
          trail.map((e) => `${e.type}:${e.attempt ?? ''}`),
          ['queued:', 'sending:1', 'lease_expired:1', 'sending:2', 'sent:2'],
        );

        // The doomed worker's late answer cannot overwrite what the survivor did.
        const late = await doomed.complete([{ delivery: claimedByDoomed[0], outcome: { kind: 'failed', code: 'LATE', message: 'too late' } }]);
        assert.equal(late.applied, 0);
        assert.deepEqual(await statusCounts(bed.database, deliveryIds), { sent: 3 });
      } finally {
        await sink.close();
      }
    });

    test('graceful stop lets sends in flight finish, aborts them after the stop timeout, and leaves no lease behind', async () => {
      const sink = await startWebhookTestServer();
      sink.setMode('hang');
      try {
        const accountId = await webhookAccount(sink.url);
        const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'webhook', nowMs: bed.clock.now(), count: 12 });
        const worker = bed.createWorker({ providers: webhookOnly, config: { worker: { concurrency: 4, batchSize: 4 } }, stopTimeoutMs: 200 });
        worker.start();
        await waitFor(() => sink.requestCount === 4, { what: 'four sends in flight' });
        await worker.stop();
        const rows = [...(await deliveriesOf(bed.database, deliveryIds)).values()];
        assert.ok(rows.every((row) => row.lease_owner === null && row.status !== 'sending'));
        const aborted = rows.filter((row) => row.status === 'retrying');
        assert.equal(aborted.length, 4);
        for (const row of aborted) assert.ok(['ABORTED', 'WORKER_STOPPED'].includes(row.last_error_code!), row.last_error_code!);
        assert.equal(rows.filter((row) => row.status === 'queued' && row.attempts === 0).length, 8);
        // Deliveries claimed ahead but not yet sent went back to the queue unattempted.
        const events = await bed.database.db.selectFrom('events').select(['delivery_id', 'type']).where('delivery_id', 'in', deliveryIds).execute();
        const claimed = new Set(events.filter((e) => e.type === 'sending').map((e) => e.delivery_id));
        const released = new Set(events.filter((e) => e.type === 'released').map((e) => e.delivery_id));
        assert.equal(claimed.size, aborted.length + released.size);
        for (const row of rows.filter((r) => released.has(r.id))) assert.deepEqual([row.status, row.attempts], ['queued', 0]);
      } finally {
        await sink.close();
      }
    });
  });
}

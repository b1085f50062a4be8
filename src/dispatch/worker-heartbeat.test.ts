import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { ManualClock } from '../clock.ts';
import { webhookProvider } from '../providers/webhook/webhook-provider.ts';
import { startWebhookTestServer, type WebhookTestServer } from '../providers/webhook/webhook-test-server.ts';
import { createDispatchTestBed, dispatchTestConfig, providerMap, silentLogger, type DispatchTestBed } from '../../test/support/dispatch-test-kit.ts';
import { seedApp, seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { testDialects } from '../../test/support/test-databases.ts';
import { createCallbackWorker } from './callback-worker.ts';
import { createDeliveryQueue } from './delivery-queue.ts';
import { createWorkerHeartbeat, type WorkerHeartbeat } from './worker-heartbeat.ts';

const INTERVAL_SECONDS = 1;
const DEAD_AFTER_SECONDS = 3;
const LEASE_MS = 60_000;

for (const dialect of testDialects) {
  describe(`worker heartbeats on ${dialect}`, () => {
    let bed: DispatchTestBed;
    let clock: ManualClock;
    let appId: string;
    let accountId: string;
    const heartbeats: WorkerHeartbeat[] = [];

    beforeEach(async () => {
      clock = new ManualClock();
      bed = await createDispatchTestBed(dialect, clock);
      appId = await seedApp(bed.database, bed.cryptoBox, { nowMs: clock.now() });
      accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId, type: 'webhook', channel: 'webhook', config: { url: 'http://127.0.0.1:9/hook' }, nowMs: clock.now() });
    });
    afterEach(async () => {
      await Promise.all(heartbeats.splice(0).map((heartbeat) => heartbeat.stop()));
      await bed.close();
    });

    const heartbeatFor = (workerId: string) => {
      const heartbeat = createWorkerHeartbeat({ database: bed.database, clock, workerId, intervalSeconds: INTERVAL_SECONDS, deadAfterSeconds: DEAD_AFTER_SECONDS, logger: silentLogger });
      heartbeats.push(heartbeat);
      return heartbeat;
    };
    const workerRow = (id: string) => bed.database.db.selectFrom('workers').selectAll().where('id', '=', id).executeTakeFirst();
    /** A worker that heartbeated last at `heartbeatAtMs`, as a crashed process leaves its row. */
    const registerWorker = (id: string, heartbeatAtMs: number) => bed.database.db.insertInto('workers').values({ id, started_at: heartbeatAtMs, heartbeat_at: heartbeatAtMs }).execute();
    /** Deliveries claimed by `owner` (leased for a minute from now), as its claim leaves them. */
    async function leasedTo(owner: string, count = 1): Promise<string[]> {
      const { deliveryIds } = await seedMessages(bed.database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: clock.now(), count });
      await bed.database.db
        .updateTable('deliveries')
        .set({ status: 'sending', run_at: null, attempts: 1, lease_owner: owner, lease_expires_at: clock.now() + LEASE_MS })
        .where('id', 'in', deliveryIds)
        .execute();
      return deliveryIds;
    }
    const statusOf = async (ids: string[]) =>
      (await bed.database.db.selectFrom('deliveries').select(['id', 'status', 'lease_owner']).where('id', 'in', ids).orderBy('id').execute()).map((row) => `${row.status}:${row.lease_owner}`);

    test('registers at start, heartbeats, unregisters at stop; judges other workers only after its own heartbeats held for the dead-after time', async () => {
      const heartbeat = heartbeatFor('w1');
      await heartbeat.start();
      assert.deepEqual({ ...(await workerRow('w1')) }, { id: 'w1', started_at: clock.now(), heartbeat_at: clock.now() });
      assert.equal(heartbeat.staleBeforeMs(), undefined, 'just started: every other heartbeat may be old because this one is new');

      clock.advance(1000);
      await heartbeat.beat();
      assert.equal((await workerRow('w1'))?.heartbeat_at, clock.now());
      clock.advance(2000);
      assert.equal(heartbeat.staleBeforeMs(), clock.now() - DEAD_AFTER_SECONDS * 1000);

      // The database loses the table for a moment (as in an outage): the heartbeat fails, and the judgement waits again.
      await sql`alter table workers rename to workers_away`.execute(bed.database.db);
      await heartbeat.beat();
      assert.equal(heartbeat.staleBeforeMs(), undefined);
      await sql`alter table workers_away rename to workers`.execute(bed.database.db);
      await heartbeat.beat();
      clock.advance(2999);
      assert.equal(heartbeat.staleBeforeMs(), undefined);
      clock.advance(1);
      await heartbeat.beat();
      assert.equal(heartbeat.staleBeforeMs(), clock.now() - DEAD_AFTER_SECONDS * 1000);

      // Stalled (or its clock jumped) past the dead-after time: its own row looks dead, so it judges nobody until it beat again.
      clock.advance(DEAD_AFTER_SECONDS * 1000);
      assert.equal(heartbeat.staleBeforeMs(), undefined, 'a stalled worker would take over its own sends in flight');
      await heartbeat.beat();
      assert.equal(heartbeat.staleBeforeMs(), clock.now() - DEAD_AFTER_SECONDS * 1000);

      await heartbeat.stop();
      assert.equal(await workerRow('w1'), undefined);
    });

    test('deliveries of a worker whose heartbeats stopped are queued again at once; a live worker keeps its leases however slow its sends; unknown owners wait for their leases', async () => {
      await registerWorker('dead', clock.now() - 20_000);
      await registerWorker('alive', clock.now() - 60_000);
      const ofDead = await leasedTo('dead', 2);
      const ofAlive = await leasedTo('alive');
      const ofUnknown = await leasedTo('unknown');
      // 'alive' claimed a minute ago and still heartbeats: a 50-second send is not taken from it.
      clock.advance(50_000);
      await bed.database.db.updateTable('workers').set({ heartbeat_at: clock.now() - 1000 }).where('id', '=', 'alive').execute();

      const queue = createDeliveryQueue({ database: bed.database, clock, workerId: 'reaper', leaseSeconds: 60, backoff: { baseMs: 1000, maxMs: 60_000 } });
      assert.equal(await queue.reapExpiredLeases(100), 0, 'no lease has run out');
      assert.equal(await queue.reapExpiredLeases(100, clock.now() - DEAD_AFTER_SECONDS * 1000), 2);
      assert.deepEqual(await statusOf(ofDead), ['retrying:null', 'retrying:null']);
      assert.deepEqual(await statusOf(ofAlive), ['sending:alive']);
      assert.deepEqual(await statusOf(ofUnknown), ['sending:unknown']);
      const events = await bed.database.db.selectFrom('events').select(['delivery_id', 'type', 'code']).where('type', '=', 'lease_expired').orderBy('delivery_id').execute();
      assert.deepEqual(events.map((event) => ({ ...event })), ofDead.sort().map((id) => ({ delivery_id: id, type: 'lease_expired', code: 'LEASE_EXPIRED' })));

      // Leases still run out for owners without heartbeats.
      clock.advance(LEASE_MS);
      assert.equal(await queue.reapExpiredLeases(100), 2);
      assert.deepEqual(await statusOf([...ofAlive, ...ofUnknown].sort()), ['retrying:null', 'retrying:null']);
    });

    test('a process restarted with the same worker id takes back what its earlier process held', async () => {
      const held = await leasedTo('pod-1', 3);
      const other = await leasedTo('pod-2');
      const queue = createDeliveryQueue({ database: bed.database, clock, workerId: 'pod-1', leaseSeconds: 60, backoff: { baseMs: 1000, maxMs: 60_000 } });
      assert.equal(await queue.reapEarlierLeases(100), 3);
      assert.deepEqual(await statusOf(held), ['retrying:null', 'retrying:null', 'retrying:null']);
      assert.deepEqual(await statusOf(other), ['sending:pod-2']);
    });

    test('result callbacks leased by a worker whose heartbeats stopped are sent again at once; a live worker’s are not', async () => {
      const receiver: WebhookTestServer = await startWebhookTestServer();
      try {
        // One attempt each, to an address nothing listens on: both messages fail at once and queue their callbacks.
        const { messageIds } = await seedMessages(bed.database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: clock.now(), count: 2, maxAttempts: 1, callbackUrl: receiver.url });
        await bed.createWorker({ providers: providerMap(webhookProvider) }).drain();
        const callbackRows = await bed.database.db.selectFrom('callbacks').select(['id', 'message_id']).orderBy('message_id').execute();
        assert.equal(callbackRows.length, 2);
        await registerWorker('dead', clock.now() - 20_000);
        await registerWorker('alive', clock.now());
        for (const [index, row] of callbackRows.entries()) {
          await bed.database.db
            .updateTable('callbacks')
            .set({ status: 'sending', attempts: 1, lease_owner: index === 0 ? 'dead' : 'alive', run_at: clock.now() + LEASE_MS, lease_expires_at: clock.now() + LEASE_MS })
            .where('id', '=', row.id)
            .execute();
        }

        const heartbeat = heartbeatFor('survivor');
        await heartbeat.start();
        clock.advance(DEAD_AFTER_SECONDS * 1000);
        await heartbeat.beat();
        await bed.database.db.updateTable('workers').set({ heartbeat_at: clock.now() }).where('id', '=', 'alive').execute();
        const callbacks = createCallbackWorker({ database: bed.database, config: dispatchTestConfig(), clock, cryptoBox: bed.cryptoBox, outboundHttp: bed.outboundHttp, logger: silentLogger, heartbeat });
        assert.equal(await callbacks.drain(), 1);
        assert.deepEqual(
          receiver.received.map((request) => (request.body as { messageId: string }).messageId),
          [callbackRows[0]!.message_id],
        );
        assert.deepEqual(messageIds.sort(), callbackRows.map((row) => row.message_id));
      } finally {
        await receiver.close();
      }
    });
  });
}

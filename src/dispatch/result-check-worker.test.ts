import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { dingtalkWorkNoticeProvider } from '../providers/dingtalk-work-notice/dingtalk-work-notice-provider.ts';
import { startDingtalkWorkNoticeTestServer, type DingtalkWorkNoticeTestServer } from '../providers/dingtalk-work-notice/dingtalk-work-notice-test-server.ts';
import { dispatchTestConfig, providerMap, silentLogger, useDispatchTestBed } from '../../test/support/dispatch-test-kit.ts';
import { seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { testDialects } from '../../test/support/test-databases.ts';
import { waitFor } from '../../test/support/wait-for.ts';
import { createResultCheckWorker, type ResultCheckWorker } from './result-check-worker.ts';
import { deliveryTrail } from '../../test/support/message-trail.ts';

const APP_KEY = 'dingappkey-results';
const APP_SECRET = 'dingappsecret-results';
const AGENT_ID = 3_100_000_001;
const providers = providerMap(dingtalkWorkNoticeProvider);

for (const dialect of testDialects) {
  describe(`result checks on ${dialect}`, () => {
    let server: DingtalkWorkNoticeTestServer;
    let accountId: string;
    const checkers: ResultCheckWorker[] = [];

    // Registered before the bed's hooks, so the checkers stop while the database is open.
    afterEach(() => Promise.all(checkers.splice(0).map((checker) => checker.stop())));
    const bed = useDispatchTestBed(dialect);
    beforeEach(async () => {
      server = await startDingtalkWorkNoticeTestServer({ appKey: APP_KEY, appSecret: APP_SECRET, agentId: AGENT_ID, clock: bed.clock });
      accountId = await seedChannelAccount(bed.database, bed.cryptoBox, {
        appId: bed.appId,
        type: 'dingtalk-work-notice',
        channel: 'dingtalk',
        config: { appKey: APP_KEY, agentId: AGENT_ID, baseUrl: server.baseUrl },
        secrets: { appSecret: APP_SECRET },
        nowMs: bed.clock.now(),
      });
    });
    afterEach(() => server.close());

    const checker = () => {
      const worker = createResultCheckWorker({
        database: bed.database,
        config: dispatchTestConfig(),
        clock: bed.clock,
        providers,
        cryptoBox: bed.cryptoBox,
        outboundHttp: bed.outboundHttp,
        logger: silentLogger,
        workerId: 'result-checker',
      });
      checkers.push(worker);
      return worker;
    };

    /** Accepts one message to `users` and sends it through the real delivery worker. */
    async function sendTo(users: string[]) {
      const seeded = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'dingtalk', nowMs: bed.clock.now(), deliveriesPerMessage: users.length, address: (index) => users[index]! });
      await bed.createWorker({ providers }).drain();
      const deliveries = await bed.database.db.selectFrom('deliveries').selectAll().where('message_id', '=', seeded.messageIds[0]!).execute();
      const byUser = new Map(deliveries.map((delivery) => [delivery.address!, delivery]));
      return { messageId: seeded.messageIds[0]!, byUser };
    }

    const statusOf = async (deliveryId: string) => (await bed.database.db.selectFrom('deliveries').select('status').where('id', '=', deliveryId).executeTakeFirstOrThrow()).status;
    const messageStatus = async (messageId: string) => (await bed.database.db.selectFrom('messages').select('status').where('id', '=', messageId).executeTakeFirstOrThrow()).status;
    const checks = () => bed.database.db.selectFrom('result_checks').selectAll().orderBy('provider_message_id').execute();
    const trailOf = async (deliveryId: string) =>
      (await deliveryTrail(bed.database, deliveryId)).map((event) => [event.type, event.code]);

    test('sent → delivered → read and sent → failed per user, with the trail, the message status and growing pauses until the checks end', async () => {
      const sentAtMs = bed.clock.now();
      const { messageId, byUser } = await sendTo(['alice', 'bob', 'carol']);
      const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((user) => byUser.get(user)!);
      assert.ok([alice, bob, carol].every((delivery) => delivery.status === 'sent'));
      assert.equal(await messageStatus(messageId), 'completed');
      const created = await checks();
      assert.equal(new Set([alice, bob, carol].map((delivery) => delivery!.provider_message_id)).size, 1, 'the three recipients went out in one call');
      assert.deepEqual(
        created.map((check) => [check.channel_account_id, check.provider_message_id, check.run_at, check.expires_at, check.status]),
        [[accountId, alice!.provider_message_id, sentAtMs + 10_000, sentAtMs + 86_400_000, 'waiting']],
        'one check for the one platform task',
      );

      const worker = checker();
      assert.equal(await worker.drain(), 0, 'nothing is due before firstCheckAfterSeconds');
      assert.equal(server.resultQueries.length, 0);

      server.markUser('bob', 'pending');
      server.markUser('carol', 'invalid');
      worker.start();
      bed.clock.advance(10_000);
      await waitFor(async () => (await statusOf(alice!.id)) === 'delivered' && (await statusOf(carol!.id)) === 'undelivered', { what: 'alice delivered, carol undelivered' });
      assert.equal(await statusOf(bob!.id), 'sent');
      assert.equal(await messageStatus(messageId), 'partially_failed');
      const carolRow = await bed.database.db.selectFrom('deliveries').selectAll().where('id', '=', carol!.id).executeTakeFirstOrThrow();
      assert.equal(carolRow.last_error_code, 'DINGTALK_INVALID_USER');
      assert.deepEqual(
        (await checks()).map((check) => [check.run_at, check.pause_ms, check.checks]),
        [[bed.clock.now() + 20_000, 20_000, 1]],
        'alice and bob are not final yet: asked again after a longer pause',
      );

      server.markUser('alice', 'read');
      server.markUser('bob', 'unread');
      bed.clock.advance(20_000);
      await waitFor(async () => (await statusOf(alice!.id)) === 'read' && (await statusOf(bob!.id)) === 'delivered', { what: 'alice read, bob delivered' });
      assert.deepEqual((await checks()).map((check) => [check.provider_message_id, check.run_at]), [[bob!.provider_message_id, bed.clock.now() + 40_000]], 'bob is not final yet');

      const queriesBefore = server.resultQueries.length;
      bed.clock.advance(40_000);
      await waitFor(async () => (await checks())[0]?.run_at === bed.clock.now() + 80_000, { what: "bob's next check, 80 s later" });
      assert.equal(server.resultQueries.length, queriesBefore + 1);
      assert.equal(await statusOf(bob!.id), 'delivered');

      server.markUser('bob', 'read');
      bed.clock.advance(80_000);
      await waitFor(async () => (await statusOf(bob!.id)) === 'read', { what: 'bob read' });
      await waitFor(async () => (await checks()).length === 0, { what: 'every check ended' });
      await worker.stop();

      assert.deepEqual(await trailOf(alice!.id), [['queued', null], ['sending', null], ['sent', null], ['delivered', null], ['read', null]]);
      assert.deepEqual(await trailOf(bob!.id), [['queued', null], ['sending', null], ['sent', null], ['delivered', null], ['read', null]]);
      assert.deepEqual(await trailOf(carol!.id), [['queued', null], ['sending', null], ['sent', null], ['undelivered', 'DINGTALK_INVALID_USER']]);
      const messageTrail = await bed.database.db.selectFrom('events').select(['type', 'code']).where('message_id', '=', messageId).where('delivery_id', 'is', null).orderBy('id').execute();
      assert.deepEqual(messageTrail.map((event) => [event.type, event.code]), [['accepted', null], ['completed', 'completed'], ['completed', 'partially_failed']]);
      assert.equal(await messageStatus(messageId), 'partially_failed');
    });

    test('a message whose only delivery turns failed becomes failed; a forbidden user fails with the platform code', async () => {
      server.markUser('frank', { forbiddenCode: 143106 });
      const { messageId, byUser } = await sendTo(['frank']);
      bed.clock.advance(10_000);
      assert.equal(await checker().drain(), 1);
      const frank = await bed.database.db.selectFrom('deliveries').selectAll().where('id', '=', byUser.get('frank')!.id).executeTakeFirstOrThrow();
      assert.deepEqual([frank.status, frank.last_error_code], ['undelivered', 'DINGTALK_143106']);
      assert.equal(await messageStatus(messageId), 'failed');
      assert.equal((await checks()).length, 0);
    });

    test('a busy platform reschedules the check; the window ends it with the delivery still sent', async () => {
      server.markUser('dave', 'pending');
      const sentAtMs = bed.clock.now();
      const { byUser } = await sendTo(['dave']);
      const worker = checker();
      server.setMode('busy');
      bed.clock.advance(10_000);
      assert.equal(await worker.drain(), 1);
      assert.deepEqual((await checks()).map((check) => [check.run_at, check.checks]), [[bed.clock.now() + 20_000, 1]]);

      server.setMode('normal');
      bed.clock.set(sentAtMs + 86_400_000 - 1);
      assert.equal(await worker.drain(), 1);
      assert.deepEqual((await checks()).map((check) => check.run_at), [sentAtMs + 86_400_000], 'the last check falls on the end of the window');
      bed.clock.set(sentAtMs + 86_400_000);
      assert.equal(await worker.drain(), 1);
      assert.equal((await checks()).length, 0);
      assert.equal(await statusOf(byUser.get('dave')!.id), 'sent');
    });

    test('a query the platform refuses for good ends the check', async () => {
      const { byUser } = await sendTo(['erin']);
      // The app's agent id changed since the send: getsendresult refuses the old task (DINGTALK_400002).
      const config = JSON.stringify({ appKey: APP_KEY, agentId: AGENT_ID + 1, baseUrl: server.baseUrl });
      await bed.database.db.updateTable('channel_accounts').set({ config, updated_at: bed.clock.now() + 1 }).where('id', '=', accountId).execute();
      bed.clock.advance(10_000);
      assert.equal(await checker().drain(), 1);
      assert.equal((await checks()).length, 0);
      assert.equal(await statusOf(byUser.get('erin')!.id), 'sent');
      assert.equal(server.resultQueries.length, 0);
    });
  });
}

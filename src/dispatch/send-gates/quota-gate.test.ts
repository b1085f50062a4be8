import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProviderDefinition, SendOutcome } from '../../providers/provider.ts';
import { wechatQuotaOutcome } from '../../providers/wechat-token.ts';
import { readAccountQuotaStatuses } from '../../deliveries/account-quotas.ts';
import { providerMap, useDispatchTestBed } from '../../../test/support/dispatch-test-kit.ts';
import { scriptedProvider } from '../../../test/support/scripted-provider.ts';
import { seedChannelAccount, seedMessages } from '../../../test/support/seed-deliveries.ts';
import { testDialects } from '../../../test/support/test-databases.ts';
import { deliveryTrail } from '../../../test/support/message-trail.ts';

/** ManualClock starts at 2026-01-05 09:00 UTC, 17:00 in Shanghai: the day's quota resets at 16:00 UTC. */
const SHANGHAI_MIDNIGHT_MS = Date.UTC(2026, 0, 5, 16, 0);

/** An e-mail provider of its own type whose answer the test changes, recording the addresses it sent to. */
function vendor(type: string, initial: SendOutcome) {
  let answer = initial;
  const calls: string[] = [];
  const definition: ProviderDefinition = {
    type,
    channel: 'email',
    target: 'address',
    configSchema: {} as never,
    secretFields: [],
    createSender: () => ({
      async send(request) {
        calls.push(request.address!);
        return answer;
      },
    }),
  };
  return { definition, calls, answer: (next: SendOutcome) => void (answer = next) };
}

for (const dialect of testDialects) {
  describe(`quota gate on ${dialect}`, () => {
    const bed = useDispatchTestBed(dialect);

    const setQuota = (accountId: string, quota: { period: string; limit: number; timeZone?: string }) =>
      bed.database.db
        .updateTable('channel_accounts')
        .set({ quota: JSON.stringify({ timeZone: 'Asia/Shanghai', ...quota, sinceMs: bed.clock.now() }) })
        .where('id', '=', accountId)
        .execute();
    const rowOf = (id: string) => bed.database.db.selectFrom('deliveries').select(['status', 'attempts', 'run_at', 'last_error_code', 'last_error_message', 'channel_account_id']).where('id', '=', id).executeTakeFirstOrThrow();
    const statusOf = async (accountId: string) => (await readAccountQuotaStatuses(bed.database, bed.clock.now(), [accountId]))[0]!;

    test('the 101st send of a 100/day account waits for midnight in its time zone with QUOTA_EXHAUSTED, using no attempt, and goes then', async () => {
      const provider = scriptedProvider(() => ({ kind: 'sent' }));
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'scripted', channel: 'email', nowMs: bed.clock.now() });
      await setQuota(accountId, { period: 'day', limit: 100 });
      const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), count: 101, address: () => 'a@example.com' });
      const worker = bed.createWorker({ providers: providerMap(provider) });

      assert.equal(await worker.drain(), 101);
      assert.equal(provider.calls.length, 100);
      const rows = await Promise.all(deliveryIds.map(rowOf));
      const held = rows.filter((row) => row.status !== 'sent');
      assert.equal(held.length, 1);
      assert.deepEqual([held[0]!.status, held[0]!.attempts, held[0]!.run_at, held[0]!.last_error_code], ['queued', 0, SHANGHAI_MIDNIGHT_MS, 'QUOTA_EXHAUSTED']);
      assert.match(held[0]!.last_error_message!, new RegExp(`${accountId}.*100 sends per day \\(Asia/Shanghai\\).*resets at 2026-01-05T16:00:00.000Z`));
      assert.deepEqual((await statusOf(accountId)).configured, { period: 'day', limit: 100, used: 100, remaining: 0, resetsAtMs: SHANGHAI_MIDNIGHT_MS });

      bed.clock.set(SHANGHAI_MIDNIGHT_MS - 1);
      assert.equal(await worker.drain(), 0, 'not due before the reset');
      bed.clock.set(SHANGHAI_MIDNIGHT_MS);
      assert.equal(await worker.drain(), 1);
      assert.equal(provider.calls.length, 101);
      assert.equal((await rowOf(deliveryIds[rows.indexOf(held[0]!)]!)).status, 'sent');
      assert.deepEqual((await statusOf(accountId)).configured, { period: 'day', limit: 100, used: 1, remaining: 99, resetsAtMs: SHANGHAI_MIDNIGHT_MS + 86_400_000 });
    });

    test('two workers sending through one 30/day account together make exactly 30 sends', async () => {
      const provider = scriptedProvider(() => ({ kind: 'sent' }));
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'scripted', channel: 'email', nowMs: bed.clock.now() });
      await setQuota(accountId, { period: 'month', limit: 30 });
      await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), count: 60, maxAgeMs: 40 * 86_400_000, address: () => 'a@example.com' });
      const config = { worker: { batchSize: 5, concurrency: 5 } };
      const [first, second] = [bed.createWorker({ providers: providerMap(provider), config }), bed.createWorker({ providers: providerMap(provider), config })];
      const handled = (await Promise.all([first.drain(), second.drain()])).reduce((a, b) => a + b);
      assert.equal(handled, 60);
      assert.equal(provider.calls.length, 30);
      const deferred = await bed.database.db.selectFrom('deliveries').select('run_at').where('last_error_code', '=', 'QUOTA_EXHAUSTED').execute();
      assert.equal(deferred.length, 30);
      assert.ok(deferred.every((row) => row.run_at === Date.UTC(2026, 0, 31, 16, 0)), 'until the first of February in Shanghai');
    });

    test('over its quota, a routed account’s deliveries fail over to the next account with quota left, using no attempt', async () => {
      const primary = vendor('primary-vendor', { kind: 'sent' });
      const secondary = vendor('secondary-vendor', { kind: 'sent' });
      const primaryId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'primary-vendor', channel: 'email', nowMs: bed.clock.now() });
      const secondaryId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'secondary-vendor', channel: 'email', nowMs: bed.clock.now() });
      await setQuota(primaryId, { period: 'balance', limit: 2 });
      await bed.database.db
        .insertInto('channel_routes')
        .values({ app_id: bed.appId, channel: 'email', mode: 'failover', accounts: JSON.stringify([{ accountId: primaryId, weight: 1 }, { accountId: secondaryId, weight: 1 }]), updated_at: bed.clock.now() })
        .execute();
      const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: primaryId, channel: 'email', nowMs: bed.clock.now(), count: 3, address: (i) => `r${i}@example.com` });
      const worker = bed.createWorker({ providers: providerMap(primary.definition, secondary.definition) });

      await worker.drain();
      assert.equal(primary.calls.length, 2);
      assert.equal(secondary.calls.length, 1);
      const rows = await Promise.all(deliveryIds.map(rowOf));
      assert.ok(rows.every((row) => row.status === 'sent' && row.attempts === 1));
      const moved = rows.find((row) => row.channel_account_id === secondaryId)!;
      const trail = await bed.database.db.selectFrom('events').select(['type', 'code', 'detail']).where('delivery_id', '=', deliveryIds[rows.indexOf(moved)]!).orderBy('id').execute();
      const rerouted = trail.find((event) => event.type === 'rerouted')!;
      assert.equal(rerouted.code, 'QUOTA_EXHAUSTED');
      assert.match(rerouted.detail!, /a balance of 2 sends.*sending through "account-.*" \(secondary-vendor\)/);
    });

    test('WeChat 45009 marks the account exhausted until midnight China time: the delivery waits without an attempt, the gate holds the others without calling, a reset releases them', async () => {
      const wechat = vendor('quota-vendor', wechatQuotaOutcome('reach max api daily quota limit', '/cgi-bin/message/template/send', bed.clock.now()));
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'quota-vendor', channel: 'email', nowMs: bed.clock.now() });
      const worker = bed.createWorker({ providers: providerMap(wechat.definition) });
      const first = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), address: () => 'first@example.com' });

      await worker.drain();
      assert.deepEqual(wechat.calls, ['first@example.com']);
      const waiting = await rowOf(first.deliveryIds[0]!);
      assert.deepEqual([waiting.status, waiting.attempts, waiting.run_at, waiting.last_error_code], ['retrying', 0, SHANGHAI_MIDNIGHT_MS, 'WECHAT_45009']);
      const status = await statusOf(accountId);
      assert.deepEqual({ ...status.exhausted, message: undefined }, { sinceMs: bed.clock.now(), untilMs: SHANGHAI_MIDNIGHT_MS, code: 'WECHAT_45009', message: undefined });
      assert.equal(status.remaining, 0);

      const others = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), count: 2, address: (i) => `other${i}@example.com` });
      assert.equal(await worker.drain(), 2);
      assert.equal(wechat.calls.length, 1, 'the gate held them: no call');
      for (const id of others.deliveryIds) {
        const row = await rowOf(id);
        assert.deepEqual([row.status, row.attempts, row.run_at, row.last_error_code], ['queued', 0, SHANGHAI_MIDNIGHT_MS, 'QUOTA_EXHAUSTED']);
        assert.match(row.last_error_message!, /marked out of quota by WECHAT_45009 until 2026-01-05T16:00:00.000Z/);
      }

      // The operator cleared the quota with WeChat and resets the mark (what POST .../quota/reset does).
      wechat.answer({ kind: 'sent' });
      await bed.database.db.updateTable('channel_accounts').set({ quota_exhausted: null }).where('id', '=', accountId).execute();
      bed.clock.advance(6000); // the worker's view of the account is at most 5 s old
      await bed.database.db.updateTable('deliveries').set({ run_at: bed.clock.now() }).where('last_error_code', 'in', ['QUOTA_EXHAUSTED', 'WECHAT_45009']).execute();
      assert.equal(await worker.drain(), 3);
      assert.deepEqual(wechat.calls.slice(1).sort(), ['first@example.com', 'other0@example.com', 'other1@example.com']);
      assert.equal((await statusOf(accountId)).exhausted, null);
    });

    test('a routed account answering 45009 sends the delivery through the route’s next account at once, using one attempt in all', async () => {
      const primary = vendor('wechat-vendor', wechatQuotaOutcome('reach max api daily quota limit', '/cgi-bin/message/template/send', bed.clock.now()));
      const secondary = vendor('secondary-vendor', { kind: 'sent' });
      const primaryId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'wechat-vendor', channel: 'email', nowMs: bed.clock.now() });
      const secondaryId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'secondary-vendor', channel: 'email', nowMs: bed.clock.now() });
      await bed.database.db
        .insertInto('channel_routes')
        .values({ app_id: bed.appId, channel: 'email', mode: 'failover', accounts: JSON.stringify([{ accountId: primaryId, weight: 1 }, { accountId: secondaryId, weight: 1 }]), updated_at: bed.clock.now() })
        .execute();
      const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: primaryId, channel: 'email', nowMs: bed.clock.now(), address: () => 'a@example.com' });
      await bed.createWorker({ providers: providerMap(primary.definition, secondary.definition) }).drain();
      assert.deepEqual([primary.calls.length, secondary.calls.length], [1, 1]);
      const row = await rowOf(deliveryIds[0]!);
      assert.deepEqual([row.status, row.attempts, row.channel_account_id], ['sent', 1, secondaryId]);
      const trail = await deliveryTrail(bed.database, deliveryIds[0]!);
      assert.deepEqual(
        trail.filter((event) => event.type !== 'sending').map((event) => [event.type, event.code]),
        [['queued', null], ['rate_limited', 'WECHAT_45009'], ['rerouted', 'QUOTA_EXHAUSTED'], ['sent', null]],
      );
    });

    test('a mark with a reset time lapses by itself; one without (an Aliyun balance) holds deliveries for the recheck interval', async () => {
      const vendorOutOfBalance = vendor('balance-vendor', { kind: 'rate_limited', code: 'ALIYUN_isv.AMOUNT_NOT_ENOUGH', message: 'out of balance', quotaExhausted: {} });
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'balance-vendor', channel: 'email', nowMs: bed.clock.now() });
      const worker = bed.createWorker({ providers: providerMap(vendorOutOfBalance.definition), config: { delivery: { quotaRecheckSeconds: 120 } } });
      const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), count: 1, address: () => 'a@example.com' });
      await worker.drain();
      const row = await rowOf(deliveryIds[0]!);
      assert.deepEqual([row.status, row.attempts, row.run_at, row.last_error_code], ['retrying', 0, bed.clock.now() + 120_000, 'ALIYUN_isv.AMOUNT_NOT_ENOUGH'], 'waiting, not failed');
      assert.equal((await statusOf(accountId)).exhausted?.untilMs, null);

      bed.clock.advance(120_000);
      assert.equal(await worker.drain(), 1);
      assert.equal(vendorOutOfBalance.calls.length, 1, 'held by the mark, not sent again');
      const held = await rowOf(deliveryIds[0]!);
      assert.deepEqual([held.run_at, held.last_error_code], [bed.clock.now() + 120_000, 'QUOTA_EXHAUSTED']);
      assert.match(held.last_error_message!, /until an operator resets it \(POST \/v1\/channel-accounts\/.*\/quota\/reset/);
    });
  });
}

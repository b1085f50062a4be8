import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { readAccountQuotaStatuses } from '../deliveries/account-quotas.ts';
import type { WechatApiTestServer } from '../providers/wechat-api-test-server.ts';
import { wechatTemplateProvider } from '../providers/wechat-template/wechat-template-provider.ts';
import { startWechatTemplateTestServer } from '../providers/wechat-template/wechat-template-test-server.ts';
import { providerMap, useDispatchTestBed, dispatchTestConfig, silentLogger } from '../../test/support/dispatch-test-kit.ts';
import { seedChannelAccount } from '../../test/support/seed-deliveries.ts';
import { testDialects } from '../../test/support/test-databases.ts';
import { createProviderTokenCache } from './provider-token-cache.ts';
import { createQuotaReadRunner } from './quota-read-runner.ts';

const APP_ID = 'wx0123456789abcdef';
const APP_SECRET = 'secret-0123456789abcdef0123456789';
const TEMPLATE_ID = 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY';
const INTERVAL_SECONDS = 600;

for (const dialect of testDialects) {
  describe(`platform quota reading on ${dialect}`, () => {
    const bed = useDispatchTestBed(dialect);
    let server: WechatApiTestServer;
    beforeEach(async () => {
      server = await startWechatTemplateTestServer({ appId: APP_ID, appSecret: APP_SECRET, templateIds: [TEMPLATE_ID], clock: bed.clock });
      server.setDailyLimit(100_000);
    });
    afterEach(() => server.close());

    const runner = (workerId: string) =>
      createQuotaReadRunner({
        database: bed.database,
        clock: bed.clock,
        config: dispatchTestConfig({ delivery: { quotaReadIntervalSeconds: INTERVAL_SECONDS } }),
        providers: providerMap(wechatTemplateProvider),
        cryptoBox: bed.cryptoBox,
        outboundHttp: bed.outboundHttp,
        tokens: createProviderTokenCache({ database: bed.database, cryptoBox: bed.cryptoBox, clock: bed.clock }),
        workerId,
        leaseSeconds: 30,
        pollIntervalMs: 1000,
        logger: silentLogger,
      });
    const wechatAccount = (appId: string) =>
      seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'wechat-template', channel: 'wechat', config: { appId, baseUrl: server.baseUrl }, secrets: { appSecret: APP_SECRET }, nowMs: bed.clock.now() });

    test('one of two schedulers reads each WeChat account’s template/send quota per interval and stores it, or the error, for the status', async () => {
      const good = await wechatAccount(APP_ID);
      const wrong = await wechatAccount('wx_not_this_platform');
      const webhook = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'webhook', channel: 'webhook', nowMs: bed.clock.now() });
      const [first, second] = [runner('scheduler-a'), runner('scheduler-b')];
      try {
        const ran = await Promise.all([first.runDue(), second.runDue()]);
        assert.deepEqual(ran.sort(), [0, 1], 'exactly one scheduler ran the read');
        assert.equal(server.quotaRequestCount, 1, 'only the account the platform knows got as far as quota/get');

        const [goodStatus, wrongStatus, webhookStatus] = await readAccountQuotaStatuses(bed.database, bed.clock.now(), [good, wrong, webhook]);
        assert.deepEqual(goodStatus!.reported, { limit: 100_000, used: 0, remaining: 100_000, atMs: bed.clock.now() });
        assert.deepEqual([goodStatus!.limit, goodStatus!.remaining], [100_000, 100_000]);
        assert.equal(wrongStatus!.reported, null);
        const wrongReading = await bed.database.db.selectFrom('account_quota_readings').selectAll().where('channel_account_id', '=', wrong).executeTakeFirstOrThrow();
        assert.equal(wrongReading.error_code, 'WECHAT_40013');
        assert.deepEqual({ ...webhookStatus, accountId: undefined }, { accountId: undefined, configured: null, reported: null, exhausted: null, limit: null, remaining: null });

        bed.clock.advance((INTERVAL_SECONDS - 1) * 1000);
        assert.deepEqual(await Promise.all([first.runDue(), second.runDue()]), [0, 0], 'not due before the interval');
        server.setDailyLimit(500);
        bed.clock.advance(1000);
        await Promise.all([first.runDue(), second.runDue()]);
        assert.equal(server.quotaRequestCount, 2);
        const [again] = await readAccountQuotaStatuses(bed.database, bed.clock.now(), [good]);
        assert.deepEqual(again!.reported, { limit: 500, used: 0, remaining: 500, atMs: bed.clock.now() });
      } finally {
        await Promise.all([first.stop(), second.stop()]);
      }
    });
  });
}

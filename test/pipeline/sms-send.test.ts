import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startAliyunSmsTestServer, type AliyunSmsTestServer } from '../../src/providers/aliyun-sms/aliyun-sms-test-server.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

/** An SMS through the API, the worker and aliyun-sms to its test server: template override, E.164 numbers, one call per group. */
for (const dialect of testDialects) {
  describe(`SMS by vendor template on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let aliyun: AliyunSmsTestServer;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

    before(async () => {
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', PORT: '0', HOST: '127.0.0.1' } });
      await herald.start();
      app = await createAppWithKey(herald, 'shop');
      aliyun = await startAliyunSmsTestServer({ accessKeyId: 'LTAI-pipeline', accessKeySecret: 'pipeline-secret', signNames: ['赫勒德'], templates: { SMS_154950909: ['code', 'minutes'] } });
      const account = await call('POST', '/v1/channel-accounts', {
        type: 'aliyun-sms',
        name: 'aliyun',
        config: { accessKeyId: 'LTAI-pipeline', accessKeySecret: 'pipeline-secret', signName: '赫勒德', baseUrl: aliyun.baseUrl },
      });
      assert.equal(account.statusCode, 201, account.body);
    });
    after(async () => {
      await herald.close();
      await aliyun.close();
    });

    test('a template with an SMS override reaches Aliyun once for two written numbers, in E.164, with the BizId on each delivery', async () => {
      const refused = await call('POST', '/v1/templates', {
        code: 'otp.bad',
        defaultChannels: ['sms'],
        content: { body: 'x', channels: { sms: { templateCode: 'SMS_154950909', params: { code: '{{ code }}', minutes: 'https://x.example' } } } },
      });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.equal(refused.json().field, 'content.channels.sms.params.minutes');

      const template = await call('POST', '/v1/templates', {
        code: 'otp',
        defaultChannels: ['sms'],
        variables: [{ name: 'code', type: 'string', required: true, example: '123456' }],
        content: { body: 'Your code is {{ code }}', channels: { sms: { templateCode: 'SMS_154950909', params: { code: '{{ code }}', minutes: '5' } } } },
        publish: true,
      });
      assert.equal(template.statusCode, 201, template.body);

      const tooLong = await call('POST', '/v1/messages', { to: [{ phone: '+8613800138000' }], template: 'otp', data: { code: '9'.repeat(36) } });
      assert.equal(tooLong.statusCode, 422, tooLong.body);
      assert.equal(tooLong.json().code, 'TEMPLATE_FIELD_INVALID');
      const inline = await call('POST', '/v1/messages', { to: [{ phone: '+8613800138000' }], channels: ['sms'], content: { body: 'Your code is 123456' } });
      assert.equal(inline.statusCode, 422, inline.body);
      assert.deepEqual([inline.json().code, inline.json().channelAccount], ['VENDOR_TEMPLATE_REQUIRED', 'aliyun'], 'inline content cannot name a registered template');
      const badNumber = await call('POST', '/v1/messages', { to: [{ phone: '+86 138' }], template: 'otp', data: { code: '1' } });
      assert.equal(badNumber.statusCode, 400, badNumber.body);
      assert.equal(badNumber.json().code, 'PHONE_INVALID');

      const accepted = await call('POST', '/v1/messages', { to: [{ phone: '+86 138-0013-8000' }, { phone: '+86 (139) 0013 9000' }], template: 'otp', data: { code: '123456' } });
      assert.equal(accepted.statusCode, 202, accepted.body);
      const message = await waitFor(async () => {
        const current = (await call('GET', `/v1/messages/${accepted.json().id}`)).json();
        return current.status === 'completed' ? current : undefined;
      }, { what: 'the SMS message completed' });
      assert.equal(aliyun.accepted.length, 1, 'one SendSms call for the group');
      const sent = aliyun.accepted[0];
      assert.deepEqual(sent.phoneNumbers.sort(), ['13800138000', '13900139000']);
      assert.deepEqual(sent.params, { code: '123456', minutes: '5' });
      assert.equal(sent.signName, '赫勒德');
      const deliveries = message.deliveries as Array<{ address: string; status: string; id: string }>;
      assert.deepEqual(deliveries.map((d) => [d.address, d.status]).sort(), [['+8613800138000', 'sent'], ['+8613900139000', 'sent']]);
      assert.ok(deliveries.some((d) => d.id === sent.outId), 'OutId is the dedup key (delivery id) of the first delivery of the call');

      // Aliyun's SmsReport for the call, pushed to the account's receipt URL: one number delivered, one not.
      const receiptUrl = (await call('GET', '/v1/channel-accounts/aliyun')).json().receiptUrl as string;
      const receipt = await herald.server!.inject({
        method: 'POST',
        url: receiptUrl,
        headers: { 'content-type': 'application/json' },
        payload: aliyun.receiptPush(sent, { '13900139000': 'MK:0001' }),
      });
      assert.equal(receipt.statusCode, 200, receipt.body);
      assert.deepEqual(receipt.json(), { code: 0, msg: '接收成功' });
      const after = (await call('GET', `/v1/messages/${accepted.json().id}`)).json();
      assert.deepEqual(
        (after.deliveries as Array<{ address: string; status: string; error: { code: string } | null }>).map((d) => [d.address, d.status, d.error?.code ?? null]).sort(),
        [
          ['+8613800138000', 'delivered', null],
          ['+8613900139000', 'undelivered', 'MK:0001'],
        ],
      );
      assert.equal(after.status, 'partially_failed');
    });
  });
}

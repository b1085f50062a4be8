import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WechatApiTestServer } from '../../src/providers/wechat-api-test-server.ts';
import { startWechatSubscribeTestServer } from '../../src/providers/wechat-subscribe/wechat-subscribe-test-server.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

const APP_ID = 'wxmini0123456789ab';
const APP_SECRET = 'mini-secret-0123456789abcdef012345';
const TEMPLATE_ID = 'xY8NfOLZQnIGM4iKN9vX6Zx3V1kqL7pSm2T0cB5aHdE';
const ALICE = 'oKgAB5T4n0fEsxyBSMlAqQ2pFiTM';
const BOB = 'oKgAB5T4n0fEsxyBSMlAqQ2pFiBB';
const REFUSING = 'oKgAB5T4n0fEsxyBSMlAqQ2pFiRR';

for (const dialect of testDialects) {
  describe(`mini-program subscribe messages end to end on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let server: WechatApiTestServer;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

    before(async () => {
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', PORT: '0', HOST: '127.0.0.1' } });
      await herald.start();
      app = await createAppWithKey(herald, 'shop');
      server = await startWechatSubscribeTestServer({ appId: APP_ID, appSecret: APP_SECRET, templateIds: [TEMPLATE_ID] });
      server.refuseRecipient(REFUSING);
      const account = await call('POST', '/v1/channel-accounts', { type: 'wechat-subscribe', name: 'mini', config: { appId: APP_ID, appSecret: APP_SECRET, baseUrl: server.baseUrl } });
      assert.equal(account.statusCode, 201, account.body);
      const template = await call('POST', '/v1/templates', {
        code: 'order.shipped',
        defaultChannels: ['miniprogram'],
        variables: [{ name: 'order', type: 'object', required: true, example: { id: 'EX-1', total: 10 } }],
        content: {
          body: 'Order {{ order.id }} shipped',
          channels: {
            miniprogram: {
              templateId: TEMPLATE_ID,
              data: { character_string1: '{{ order.id }}', amount2: '¥{{ order.total }}', phrase3: '已发货' },
              page: 'pages/order/detail?id={{ order.id }}',
              state: 'formal',
            },
          },
        },
        publish: true,
      });
      assert.equal(template.statusCode, 201, template.body);
    });
    after(async () => {
      await herald.close();
      await server.close();
    });

    test('each subscriber gets the rendered data with one shared token cached in the database; a refusing user fails WECHAT_43101', async () => {
      const accepted = await call('POST', '/v1/messages', {
        to: [{ miniProgramOpenId: ALICE }, { miniProgramOpenId: BOB }, { miniProgramOpenId: REFUSING }],
        template: 'order.shipped',
        data: { order: { id: 'A-7', total: 1299.5 } },
      });
      assert.equal(accepted.statusCode, 202, accepted.body);
      const message = await waitFor(async () => {
        const current = (await call('GET', `/v1/messages/${accepted.json().id}`)).json();
        return current.status === 'accepted' ? undefined : current;
      }, { what: 'the message final' });
      assert.equal(message.status, 'partially_failed');

      type DeliveryView = { address: string; status: string; attempts: number; providerMessageId: string | null; error: { code: string } | null };
      const byAddress = new Map((message.deliveries as DeliveryView[]).map((d) => [d.address, d]));
      for (const openId of [ALICE, BOB]) {
        const delivery = byAddress.get(openId)!;
        assert.equal(delivery.status, 'sent', JSON.stringify(delivery));
        assert.equal(delivery.providerMessageId, server.received.find((r) => r.body.touser === openId)!.msgid, 'the 19-digit msgid is kept exactly');
      }
      const refused = byAddress.get(REFUSING)!;
      assert.equal(refused.status, 'failed');
      assert.equal(refused.error?.code, 'WECHAT_43101');
      assert.equal(refused.attempts, 1, 'a refusal is not retried');

      assert.deepEqual(server.received.find((r) => r.body.touser === ALICE)!.body, {
        touser: ALICE,
        template_id: TEMPLATE_ID,
        page: 'pages/order/detail?id=A-7',
        miniprogram_state: 'formal',
        data: { character_string1: { value: 'A-7' }, amount2: { value: '¥1299.5' }, phrase3: { value: '已发货' } },
      });
      assert.equal(server.tokenRequestCount, 1, 'one stable_token call served every send');
      const stored = await herald.context.database.db.selectFrom('provider_tokens').selectAll().where('cache_key', '=', `wechat:${APP_ID}`).executeTakeFirstOrThrow();
      const token = server.received[0]!.accessToken;
      assert.ok(!stored.token_enc.includes(token), 'the token is stored encrypted');
    });
  });
}

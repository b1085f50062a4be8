import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startFeishuAppTestServer, type FeishuAppTestServer } from '../../src/providers/feishu-app/feishu-app-test-server.ts';
import { startFeishuRobotTestServer, type FeishuRobotTestServer } from '../../src/providers/feishu-robot/feishu-robot-test-server.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

/** Feishu accounts set up through the API, then messages sent, batched and recalled through them, end to end. */

const APP_ID = 'cli_a1b2c3d4e5f6a7b8';
const APP_SECRET = 'feishu-app-secret-0123456789abcdef';
const WEBHOOK_TOKEN = '2a7c3f1e-0b5d-4c1e-9d2f-7a1b3c5d7e9f';
const BOT_SECRET = 'feishu-bot-sign-secret-0123';
const ALICE = 'ou_7d8a6e6df7621556ce0d21922b676706cc';
const BOB = 'ou_0f1e2d3c4b5a69788796a5b4c3d2e1f0aa';
const GONE = 'ou_99999999999999999999999999999999zz';

for (const dialect of testDialects) {
  describe(`feishu end to end on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let feishuApp: FeishuAppTestServer;
    let robot: FeishuRobotTestServer;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const settled = (id: string) =>
      waitFor(async () => {
        const message = (await call('GET', `/v1/messages/${id}`)).json();
        return message.status === 'accepted' ? undefined : message;
      }, { what: `message ${id} final` });

    before(async () => {
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', PORT: '0', HOST: '127.0.0.1' } });
      await herald.start();
      app = await createAppWithKey(herald, 'shop');
      feishuApp = await startFeishuAppTestServer({ appId: APP_ID, appSecret: APP_SECRET });
      feishuApp.failReceiver(GONE, 230013);
      robot = await startFeishuRobotTestServer({ webhookToken: WEBHOOK_TOKEN, secret: BOT_SECRET });
      const appAccount = await call('POST', '/v1/channel-accounts', { type: 'feishu-app', name: 'herald-bot', config: { appId: APP_ID, appSecret: APP_SECRET, baseUrl: feishuApp.baseUrl } });
      assert.equal(appAccount.statusCode, 201, appAccount.body);
      const robotAccount = await call('POST', '/v1/channel-accounts', {
        type: 'feishu-robot',
        name: 'ops-group',
        config: { webhookToken: WEBHOOK_TOKEN, secret: BOT_SECRET, baseUrl: robot.baseUrl },
        isDefault: false,
      });
      assert.equal(robotAccount.statusCode, 201, robotAccount.body);
      for (const secret of [APP_SECRET, WEBHOOK_TOKEN, BOT_SECRET]) assert.ok(!`${appAccount.body}${robotAccount.body}`.includes(secret), 'secrets are masked');
    });
    after(async () => {
      await herald.close();
      await feishuApp.close();
      await robot.close();
    });

    test('recipients of one message go out in one batch_send call; an id Feishu lists invalid fails alone; the recall takes the batch back', async () => {
      const accepted = await call('POST', '/v1/messages', {
        to: [{ feishuOpenId: ALICE }, { feishuOpenId: BOB }, { feishuOpenId: GONE }],
        channels: ['feishu'],
        content: { title: 'Deploy finished', body: '**herald v1.2.3** is live' },
      });
      assert.equal(accepted.statusCode, 202, accepted.body);
      const message = await settled(accepted.json().id);
      assert.equal(message.status, 'partially_failed', JSON.stringify(message));
      assert.equal(feishuApp.batches.length, 1, 'one batch call');
      const batch = feishuApp.batches[0]!;
      assert.deepEqual(batch.ids, [ALICE, BOB]);
      assert.equal(batch.body.msg_type, 'interactive');
      assert.deepEqual(batch.body.card.header, { title: { tag: 'plain_text', content: 'Deploy finished' } });
      assert.equal(feishuApp.tokenFetchCount, 1);

      type DeliveryView = { id: string; address: string; status: string; providerMessageId: string | null; error: { code: string } | null };
      const byAddress = new Map((message.deliveries as DeliveryView[]).map((delivery) => [delivery.address, delivery]));
      for (const openId of [ALICE, BOB]) assert.deepEqual([byAddress.get(openId)!.status, byAddress.get(openId)!.providerMessageId], ['sent', batch.messageId]);
      assert.equal(byAddress.get(GONE)!.status, 'failed');
      assert.equal(byAddress.get(GONE)!.error?.code, 'FEISHU_INVALID_RECEIVE_ID');

      const recall = await call('POST', `/v1/messages/${message.id}/recall`);
      assert.equal(recall.statusCode, 200, recall.body);
      const outcomes = new Map((recall.json().deliveries as Array<{ id: string; outcome: string }>).map((delivery) => [delivery.id, delivery.outcome]));
      assert.equal(outcomes.get(byAddress.get(ALICE)!.id), 'recalled');
      assert.equal(outcomes.get(byAddress.get(BOB)!.id), 'recalled');
      assert.deepEqual(feishuApp.recalled, [batch.messageId], 'one recall call for the batch');
    });

    test('a message to the group bot arrives signed, as a card with the template\'s mentions', async () => {
      const template = await call('POST', '/v1/templates', {
        code: 'deploy.done',
        defaultChannels: ['feishu'],
        variables: [{ name: 'version', type: 'string', required: true, example: '1.0.0' }],
        content: { title: 'Deploy {{ version }}', body: 'herald **{{ version }}** is live', channels: { feishu: { mentions: { userIds: ALICE } } } },
        publish: true,
      });
      assert.equal(template.statusCode, 201, template.body);
      const accepted = await call('POST', '/v1/messages', { to: [{ channelAccount: 'ops-group' }], template: 'deploy.done', data: { version: '1.2.4' } });
      assert.equal(accepted.statusCode, 202, accepted.body);
      const message = await settled(accepted.json().id);
      assert.equal(message.status, 'completed', JSON.stringify(message));
      const { body } = robot.received.at(-1)!;
      assert.equal(body.msg_type, 'interactive');
      assert.match(body.sign, /^[A-Za-z0-9+/]+=*$/);
      assert.deepEqual(body.card.header, { title: { tag: 'plain_text', content: 'Deploy 1.2.4' } });
      assert.deepEqual(body.card.elements.at(-1), { tag: 'markdown', content: `<at id=${ALICE}></at>` });
    });
  });
}

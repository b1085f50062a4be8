import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSmtpTestServer, type SmtpTestServer } from '../../src/providers/smtp/smtp-test-server.ts';
import { startWecomAppTestServer, type WecomAppTestServer } from '../../src/providers/wecom-app/wecom-app-test-server.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

/** Recall through the API: a message sent over WeCom app and e-mail is taken back where the platform can. */

const CORP = { corpId: 'ww-recall-corp', corpSecret: 'recall-corp-secret', agentId: 1000002 };

for (const dialect of testDialects) {
  describe(`recall through the API on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let wecom: WecomAppTestServer;
    let smtp: SmtpTestServer;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

    before(async () => {
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50' } });
      await herald.start();
      app = await createAppWithKey(herald, 'recalls');
      wecom = await startWecomAppTestServer(CORP);
      smtp = await startSmtpTestServer();
      for (const account of [
        { type: 'wecom-app', name: 'notices', config: { ...CORP, baseUrl: wecom.baseUrl } },
        { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: smtp.port, starttls: 'disabled', from: 'Ops <ops@example.com>' } },
      ]) {
        const created = await call('POST', '/v1/channel-accounts', account);
        assert.equal(created.statusCode, 201, created.body);
      }
      const subscriber = await call('POST', '/v1/subscribers', { externalId: 'zhang', name: 'Zhang San', addresses: { email: 'zhang@example.com', wecomUserId: 'zhangsan' } });
      assert.equal(subscriber.statusCode, 201, subscriber.body);
    });
    after(async () => {
      await herald.close();
      await wecom.close();
      await smtp.close();
    });

    test('the WeCom delivery is recalled on the platform, the e-mail one answered not recallable, and both are in the trail', async () => {
      const sent = await call('POST', '/v1/messages', { to: ['zhang'], channels: ['wecom', 'email'], content: { title: 'Price change', body: 'The new price list is out.' } });
      assert.equal(sent.statusCode, 202, sent.body);
      const messageId = sent.json().id as string;
      await waitFor(async () => (await call('GET', `/v1/messages/${messageId}`)).json().status === 'completed', { what: 'both deliveries sent' });
      assert.equal(wecom.sent.length, 1);
      assert.equal(smtp.received.length, 1);

      const recalled = await call('POST', `/v1/messages/${messageId}/recall`);
      assert.equal(recalled.statusCode, 200, recalled.body);
      const byChannel = Object.fromEntries((recalled.json().deliveries as Array<Record<string, unknown>>).map((delivery) => [delivery.channel, delivery]));
      assert.deepEqual([byChannel.wecom!.outcome, byChannel.wecom!.status], ['recalled', 'recalled']);
      assert.deepEqual([byChannel.email!.outcome, byChannel.email!.status, byChannel.email!.code], ['not_recallable', 'sent', 'RECALL_NOT_SUPPORTED']);
      assert.deepEqual(wecom.recalled, [wecom.sent[0]!.msgid], 'the platform got one recall, for the msgid it gave');

      const message = (await call('GET', `/v1/messages/${messageId}`)).json();
      const trail = (message.events as Array<{ type: string; deliveryId: string | null; code: string | null }>).filter((event) => event.type.startsWith('recall'));
      assert.deepEqual(
        trail.map((event) => [event.deliveryId, event.type, event.code]).sort(),
        [
          [byChannel.email!.id, 'recall_failed', 'RECALL_NOT_SUPPORTED'],
          [byChannel.wecom!.id, 'recalled', null],
        ].sort(),
      );
      assert.equal(message.status, 'completed', 'a recall does not turn a completed message into a failure');
    });

    test('recalling an unknown message is a 404 problem', async () => {
      const response = await call('POST', '/v1/messages/msg_00000000000000000000000000/recall');
      assert.equal(response.statusCode, 404, response.body);
      assert.equal(response.json().code, 'MESSAGE_NOT_FOUND');
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SECRET_MASK } from '../../src/domain/channel-accounts/channel-account-config.ts';
import { startCustomHttpTestServer, type CustomHttpTestServer } from '../../src/providers/custom-http/custom-http-test-server.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

/** A custom-http account set up through the API, then a message sent through it to a company IM, end to end. */

const IM_TOKEN = 'im-bearer-token-8c2f41';
const QUERY_SECRET = 'query-sig-0d93be';
const APP_KEY = 'app-key-77e0a5';

for (const dialect of testDialects) {
  describe(`custom-http channel account on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let im: CustomHttpTestServer;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

    const imConfig = (to: string) => ({
      url: `${im.url}?tenant=acme&sig=${QUERY_SECRET}`,
      headers: { Authorization: `Bearer ${IM_TOKEN}` },
      secrets: { appKey: APP_KEY },
      bodyTemplate: `{"to":"${to}","title":"{{ title }}","text":"{{ text }}","extra":{"orderId":{{ metadata.orderId | json }},"appKey":"{{ secrets.appKey }}"}}`,
      success: { jsonField: 'code', equals: 0 },
      messageIdField: 'data.msgId',
    });

    /** The message once it reached `status`. */
    const reached = (id: string, status: 'completed' | 'failed') =>
      waitFor(async () => {
        const message = (await call('GET', `/v1/messages/${id}`)).json();
        return message.status === status ? message : undefined;
      }, { what: `message ${id} ${status}` });

    before(async () => {
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', PORT: '0', HOST: '127.0.0.1' } });
      await herald.start();
      app = await createAppWithKey(herald, 'shop');
      im = await startCustomHttpTestServer({ token: IM_TOKEN, users: ['lilei'] });
    });
    after(async () => {
      await herald.close();
      await im.close();
    });

    test('the account type is listed with its channel and masked secret fields', async () => {
      const types = (await call('GET', '/v1/channel-account-types')).json().items as Array<Record<string, unknown>>;
      const customHttp = types.find((item) => item.type === 'custom-http');
      assert.ok(customHttp);
      assert.equal(customHttp.channel, 'webhook');
      assert.equal(customHttp.target, 'account');
      assert.deepEqual(customHttp.secretFields, ['url', 'headers', 'secrets']);
      assert.deepEqual(customHttp.secretMasks, { url: 'query', headers: 'values', secrets: 'values' });
    });

    test('an account is created through the API with its secrets masked, and a broken template is a 400 naming it', async () => {
      const broken = await call('POST', '/v1/channel-accounts', { type: 'custom-http', name: 'broken-im', config: { ...imConfig('lilei'), bodyTemplate: '{"to":"{{ to"}' } });
      assert.equal(broken.statusCode, 400, broken.body);
      assert.equal(broken.json().code, 'CUSTOM_HTTP_TEMPLATE_INVALID');
      assert.equal(broken.json().field, 'config.bodyTemplate');
      assert.match(broken.json().detail, /^config\.bodyTemplate: line 1, column 8: /);

      const created = await call('POST', '/v1/channel-accounts', { type: 'custom-http', name: 'company-im', config: imConfig('lilei') });
      assert.equal(created.statusCode, 201, created.body);
      const view = created.json();
      assert.equal(view.channel, 'webhook');
      assert.deepEqual(view.config, {
        ...imConfig('lilei'),
        url: `${im.url}?tenant=${SECRET_MASK}&sig=${SECRET_MASK}`,
        headers: { Authorization: SECRET_MASK },
        secrets: { appKey: SECRET_MASK },
      });
      const read = await call('GET', '/v1/channel-accounts/company-im');
      assert.deepEqual(read.json(), view);
      for (const secret of [IM_TOKEN, QUERY_SECRET, APP_KEY]) {
        for (const response of [created, read]) assert.ok(!response.body.includes(secret), `${secret} is not read back`);
        assert.ok(!herald.logs.text.includes(secret), `${secret} is not logged`);
      }
    });

    test('a message to the account reaches the company IM rendered and escaped, and records its message id', async () => {
      // Inline content is Liquid too, so the braces a title may carry are tested at the provider level.
      const title = 'Order "1001" paid \\ <ok>';
      const response = await call('POST', '/v1/messages', {
        to: [{ channelAccount: 'company-im' }],
        content: { title, body: 'Order **1001** was paid' },
        metadata: { orderId: '1001' },
      });
      assert.equal(response.statusCode, 202, response.body);
      const message = await reached(response.json().id, 'completed');
      const [delivery] = message.deliveries;
      assert.equal(delivery.status, 'sent', JSON.stringify(delivery));
      const received = im.received.find((request) => request.body.title === title);
      assert.ok(received, 'the IM got the request');
      assert.equal(received.url, `/api/v1/messages?tenant=acme&sig=${QUERY_SECRET}`);
      assert.equal(received.headers.authorization, `Bearer ${IM_TOKEN}`);
      assert.equal(typeof received.headers['idempotency-key'], 'string');
      assert.deepEqual(received.body, { to: 'lilei', title, text: 'Order **1001** was paid', extra: { orderId: '1001', appKey: APP_KEY } });
      const sent = im.delivered.find((item) => item.title === title);
      assert.ok(sent);
      assert.equal(delivery.providerMessageId, sent.msgId);
    });

    test('an answer with a code other than 0 fails the delivery for good with CUSTOM_HTTP_REJECTED', async () => {
      const created = await call('POST', '/v1/channel-accounts', { type: 'custom-http', name: 'im-unknown-user', config: imConfig('nobody'), isDefault: false });
      assert.equal(created.statusCode, 201, created.body);
      const requestsBefore = im.requestCount;
      const response = await call('POST', '/v1/messages', { to: [{ channelAccount: 'im-unknown-user' }], content: { title: 'Hi', body: 'hello' }, metadata: { orderId: '1002' } });
      assert.equal(response.statusCode, 202, response.body);
      const message = await reached(response.json().id, 'failed');
      const [delivery] = message.deliveries;
      assert.equal(delivery.status, 'failed');
      assert.equal(delivery.attempts, 1, 'a rejection is not retried');
      assert.equal(delivery.error.code, 'CUSTOM_HTTP_REJECTED');
      assert.match(delivery.error.message, /^code is 40013, expected 0/);
      assert.equal(im.requestCount, requestsBefore + 1);
    });
  });
}

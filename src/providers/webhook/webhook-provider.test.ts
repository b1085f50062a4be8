import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../clock.ts';
import { HeraldError } from '../../errors.ts';
import { describeProviderConformance } from '../conformance/provider-conformance.ts';
import {
  assertOutcomeKind,
  createTestProviderEnvironment,
  sampleSendRequest,
  type TestProviderEnvironment,
  testSenderEnvironment,
} from '../conformance/provider-test-support.ts';
import { webhookProvider, type WebhookConfig } from './webhook-provider.ts';
import { startWebhookTestServer, type WebhookTestServer } from './webhook-test-server.ts';

const SECRET = 'whsec_test_0123456789abcdef';

describeProviderConformance<WebhookConfig>({
  definition: webhookProvider,
  startServer: () => startWebhookTestServer({ secret: SECRET }),
  accountConfig: (port) => ({ url: `http://127.0.0.1:${port}/hooks/herald`, secret: SECRET }),
  invalidConfigs: [
    { name: 'missing url', config: { secret: SECRET } },
    { name: 'non-string header value', config: { url: 'https://example.com/hook', headers: { 'X-Team': 5 } } },
    { name: 'method other than POST', config: { url: 'https://example.com/hook', method: 'GET' } },
  ],
});

describe('webhook provider', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  let server: WebhookTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startWebhookTestServer({ secret: SECRET, clock, retryAfterSeconds: 7 });
    environment = createTestProviderEnvironment({ clock, requestTimeoutMs: 300 });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });

  const send = (config: Partial<WebhookConfig> = {}) =>
    webhookProvider
      .createSender({ id: 'acc_1', name: 'hook', config: { url: server.url, secret: SECRET, ...config } }, testSenderEnvironment())
      .send(sampleSendRequest({ attempt: 2 }), environment.context());

  test('posts the message as signed JSON with the configured headers', async () => {
    server.setMode('normal');
    const before = server.received.length;
    const outcome = await send({ url: `${server.url}?token=query-token&team=a%20b`, headers: { Authorization: 'Bearer downstream-token' } });

    assertOutcomeKind(outcome, 'sent');
    assert.equal(outcome.providerMessageId, `wh_${before + 1}`);
    const { url, headers, body } = server.received.at(-1)!;
    assert.equal(url, '/hooks/herald?token=query-token&team=a%20b');
    const request = sampleSendRequest({ attempt: 2 });
    assert.deepEqual(body, {
      messageId: request.messageId,
      deliveryId: request.deliveryId,
      dedupKey: request.dedupKey,
      attempt: 2,
      title: request.content.title,
      summary: request.content.summary,
      text: request.content.text,
      markdown: request.content.markdown,
      url: request.content.url,
      metadata: request.metadata,
      sentAt: new Date(clock.now()).toISOString(),
    });
    assert.equal(headers.authorization, 'Bearer downstream-token');
    assert.equal(headers['x-herald-delivery-id'], request.deliveryId);
    assert.equal(headers['x-herald-timestamp'], String(clock.now() / 1000));
    assert.match(String(headers['x-herald-signature']), /^v1=[0-9a-f]{64}$/);
  });

  test('a receiver with a different secret refuses the signature: failed HTTP_401', async () => {
    server.setMode('normal');
    const outcome = await send({ secret: 'a-different-secret' });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'HTTP_401');
    assert.equal(server.rejections.at(-1), 'signature mismatch');
  });

  test('without a secret no signature headers are sent', async () => {
    const unsignedServer = await startWebhookTestServer();
    try {
      const outcome = await webhookProvider
        .createSender({ id: 'acc_2', name: 'unsigned', config: { url: unsignedServer.url } }, testSenderEnvironment())
        .send(sampleSendRequest(), environment.context());
      assertOutcomeKind(outcome, 'sent');
      const { headers } = unsignedServer.received[0];
      assert.equal(headers['x-herald-signature'], undefined);
      assert.equal(headers['x-herald-timestamp'], undefined);
    } finally {
      await unsignedServer.close();
    }
  });

  test('429 is rate_limited with the Retry-After delay', async () => {
    server.setMode('rate-limited');
    const outcome = await send();
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'HTTP_429');
    assert.equal(outcome.retryAfterMs, 7000);
  });

  test('500 is retry HTTP_500, 400 is failed HTTP_400', async () => {
    server.setMode('transient-error');
    const serverError = await send();
    assertOutcomeKind(serverError, 'retry');
    assert.equal(serverError.code, 'HTTP_500');
    assert.match(serverError.message, /internal error/);

    server.setMode('bad-request');
    const badRequest = await send();
    assertOutcomeKind(badRequest, 'failed');
    assert.equal(badRequest.code, 'HTTP_400');
  });

  test('a receiver that never answers is retry TIMEOUT after the dispatcher request timeout', async () => {
    server.setMode('hang');
    const outcome = await send();
    assertOutcomeKind(outcome, 'retry');
    assert.equal(outcome.code, 'TIMEOUT');
  });

  test('validateConfig refuses reserved headers, naming the header', () => {
    for (const name of ['Host', 'Content-Length', 'Connection', 'Transfer-Encoding', 'X-Herald-Signature', 'x-herald-timestamp']) {
      assert.throws(
        () => webhookProvider.validateConfig!({ url: 'https://example.com/hook', headers: { [name]: 'x' } }),
        (error: unknown) =>
          error instanceof HeraldError && error.code === 'WEBHOOK_HEADER_RESERVED' && error.message.includes(name),
        name,
      );
    }
    assert.throws(
      () => webhookProvider.validateConfig!({ url: 'https://example.com/hook', headers: { 'X-Ok': 'a\r\nInjected: 1' } }),
      { code: 'WEBHOOK_HEADER_INVALID' },
    );
    assert.throws(
      () => webhookProvider.validateConfig!({ url: 'https://example.com/hook', headers: { 'Bad Name': 'x' } }),
      { code: 'WEBHOOK_HEADER_INVALID' },
    );
    webhookProvider.validateConfig!({ url: 'https://example.com/hook', headers: { Authorization: 'Bearer t', 'X-Team': 'ops' } });
  });

  test('validateConfig refuses URLs that are not plain http(s)', () => {
    for (const url of ['ftp://example.com/hook', 'https://user:pw@example.com/hook', 'not a url']) {
      assert.throws(() => webhookProvider.validateConfig!({ url }), { code: 'OUTBOUND_URL_NOT_ALLOWED' }, url);
    }
  });
});

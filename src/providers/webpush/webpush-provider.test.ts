import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import webPush from 'web-push';
import { ManualClock } from '../../clock.ts';
import { HeraldError } from '../../errors.ts';
import { describeProviderConformance } from '../conformance/provider-conformance.ts';
import { assertOutcomeKind, createTestProviderEnvironment, sampleSendRequest, testSenderEnvironment, type TestProviderEnvironment } from '../conformance/provider-test-support.ts';
import type { ProviderSender, SendRequest, WebPushDirectory, WebPushSubscription } from '../provider.ts';
import { MAX_WEB_PUSH_PAYLOAD_BYTES, webPushProvider, type WebPushConfig } from './webpush-provider.ts';
import { startWebPushTestServer, type WebPushTestServer } from './webpush-test-server.ts';

const SUBJECT = 'mailto:ops@shop.example';
const BROWSER = 'wps_01jh0000000000000000000001';
const vapid = webPush.generateVAPIDKeys();

/** The worker's directory, in memory: subscriptions by id, one app's VAPID keys. */
function memoryDirectory(): WebPushDirectory & { subscriptions: Map<string, WebPushSubscription> } {
  const subscriptions = new Map<string, WebPushSubscription>();
  return {
    subscriptions,
    subscription: async (_appId, id) => subscriptions.get(id),
    vapidKeys: async () => vapid,
  };
}

const conformanceDirectory = memoryDirectory();
describeProviderConformance<WebPushConfig>({
  definition: webPushProvider,
  async startServer() {
    const server = await startWebPushTestServer();
    conformanceDirectory.subscriptions.set(BROWSER, server.subscribe());
    return server;
  },
  accountConfig: (port) => ({ subject: SUBJECT, baseUrl: `http://127.0.0.1:${port}` }),
  address: BROWSER,
  context: { webPush: conformanceDirectory },
  invalidConfigs: [
    { name: 'missing subject', config: { baseUrl: 'http://127.0.0.1:1' } },
    { name: 'negative ttlSeconds', config: { subject: SUBJECT, ttlSeconds: -1 } },
    { name: 'ttlSeconds over 4 weeks', config: { subject: SUBJECT, ttlSeconds: 2_419_201 } },
  ],
});

describe('webpush provider', () => {
  let server: WebPushTestServer;
  let environment: TestProviderEnvironment;
  let sender: ProviderSender;
  const clock = new ManualClock(Date.now());
  const directory = memoryDirectory();
  const send = (overrides: Partial<SendRequest> = {}) => sender.send(sampleSendRequest({ address: BROWSER, ...overrides }), environment.context({ webPush: directory }));

  before(async () => {
    server = await startWebPushTestServer({ clock, retryAfterSeconds: 42 });
    server.expectVapidPublicKey(vapid.publicKey);
    environment = createTestProviderEnvironment({ clock });
    sender = webPushProvider.createSender({ id: 'acc_1', name: 'browsers', config: { subject: SUBJECT, baseUrl: server.baseUrl } }, testSenderEnvironment());
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => {
    server.setMode('normal');
    directory.subscriptions.set(BROWSER, server.subscribe());
  });

  test('the push service decrypts exactly the JSON notification that was sent, signed with the app VAPID key for the endpoint origin', async () => {
    const outcome = await send({ priority: 'urgent', expiresAtMs: clock.now() + 3_600_000 });
    assertOutcomeKind(outcome, 'sent');
    assert.match(outcome.providerMessageId ?? '', /^https:\/\/push\.example\.net\/message\/[0-9a-f]{16}$/);
    const push = server.received.at(-1)!;
    assert.deepEqual(JSON.parse(push.plaintext), {
      title: 'Deploy finished',
      body: 'herald v1.2.3 is live on production.',
      url: 'https://example.com/deploys/123',
      data: { messageId: 'msg_01JH0000000000000000000001', deliveryId: 'dlv_01JH0000000000000000000001', metadata: { team: 'platform' } },
    });
    assert.equal(push.vapidPublicKey, vapid.publicKey);
    assert.deepEqual(push.jwt, { aud: 'https://push.example.net', exp: Math.floor(clock.now() / 1000) + 12 * 3600, sub: SUBJECT });
    assert.equal(push.urgency, 'high', 'urgent → high');
    assert.equal(push.ttlSeconds, 3600, 'TTL: what is left of the delivery max age');
  });

  test('priority maps to Urgency; TTL is capped by the account and by 4 weeks', async () => {
    const capped = webPushProvider.createSender({ id: 'acc_2', name: 'capped', config: { subject: SUBJECT, baseUrl: server.baseUrl, ttlSeconds: 600 } }, testSenderEnvironment());
    assertOutcomeKind(await capped.send(sampleSendRequest({ address: BROWSER, priority: 'low', expiresAtMs: clock.now() + 86_400_000 }), environment.context({ webPush: directory })), 'sent');
    assert.deepEqual([server.received.at(-1)!.urgency, server.received.at(-1)!.ttlSeconds], ['low', 600]);
    assertOutcomeKind(await send({ priority: 'normal' }), 'sent');
    assert.deepEqual([server.received.at(-1)!.urgency, server.received.at(-1)!.ttlSeconds], ['normal', 2_419_200]);
    assertOutcomeKind(await send({ priority: 'high', expiresAtMs: clock.now() - 1000 }), 'sent');
    assert.deepEqual([server.received.at(-1)!.urgency, server.received.at(-1)!.ttlSeconds], ['high', 0]);
  });

  test('410 and 404 fail for good and mark the address gone; an unsubscribed browser answers 410 by itself', async () => {
    for (const [mode, code] of [['gone', 'WEBPUSH_410'], ['not-found', 'WEBPUSH_404']] as const) {
      server.setMode(mode);
      const outcome = await send();
      assertOutcomeKind(outcome, 'failed');
      assert.deepEqual([outcome.code, outcome.addressGone], [code, true]);
    }
    server.setMode('normal');
    server.unsubscribe(directory.subscriptions.get(BROWSER)!.endpoint);
    const outcome = await send();
    assertOutcomeKind(outcome, 'failed');
    assert.deepEqual([outcome.code, outcome.addressGone], ['WEBPUSH_410', true]);
  });

  test('413 is permanent, 429 is rate limited with Retry-After, 500 retries', async () => {
    server.setMode('too-large');
    const tooLarge = await send();
    assertOutcomeKind(tooLarge, 'failed');
    assert.equal(tooLarge.code, 'WEBPUSH_413');
    assert.equal(tooLarge.addressGone, undefined);
    server.setMode('throttled');
    const throttled = await send();
    assertOutcomeKind(throttled, 'rate_limited');
    assert.deepEqual([throttled.code, throttled.retryAfterMs], ['WEBPUSH_429', 42_000]);
    server.setMode('transient-error');
    const busy = await send();
    assertOutcomeKind(busy, 'retry');
    assert.equal(busy.code, 'WEBPUSH_500');
  });

  test('a VAPID key the subscription was not made with is refused with 403, permanently', async () => {
    server.expectVapidPublicKey(webPush.generateVAPIDKeys().publicKey);
    try {
      const outcome = await send();
      assertOutcomeKind(outcome, 'failed');
      assert.equal(outcome.code, 'WEBPUSH_403');
      assert.match(outcome.message, /not the key this subscription was made with/);
    } finally {
      server.expectVapidPublicKey(vapid.publicKey);
    }
  });

  test('a deleted subscription and an oversized notification fail without a request', async () => {
    const before = server.requestCount;
    const missing = await send({ address: 'wps_01jh0000000000000000000009' });
    assertOutcomeKind(missing, 'failed');
    assert.equal(missing.code, 'PUSH_SUBSCRIPTION_NOT_FOUND');
    const content = { ...sampleSendRequest().content, text: 'x'.repeat(MAX_WEB_PUSH_PAYLOAD_BYTES) };
    const tooLarge = await send({ content });
    assertOutcomeKind(tooLarge, 'failed');
    assert.equal(tooLarge.code, 'WEBPUSH_PAYLOAD_TOO_LARGE');
    assert.equal(server.requestCount, before);
  });

  test('the subject must be a mailto: or https: URI', () => {
    assert.throws(() => webPushProvider.validateConfig!({ subject: 'ops@shop.example' }), (error: unknown) => error instanceof HeraldError && error.code === 'VAPID_SUBJECT_INVALID');
    assert.doesNotThrow(() => webPushProvider.validateConfig!({ subject: 'https://shop.example/contact' }));
  });
});

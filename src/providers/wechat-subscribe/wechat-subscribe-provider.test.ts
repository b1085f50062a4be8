import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../../clock.ts';
import { describeProviderConformance } from '../conformance/provider-conformance.ts';
import {
  assertOutcomeKind,
  createTestProviderEnvironment,
  memoryTokenCache,
  sampleSendRequest,
  type TestProviderEnvironment,
  testSenderEnvironment,
} from '../conformance/provider-test-support.ts';
import type { SendRequest, TokenCache } from '../provider.ts';
import type { WechatApiTestServer } from '../wechat-api-test-server.ts';
import type { WechatAccountConfig } from '../wechat-token.ts';
import { wechatSubscribeProvider } from './wechat-subscribe-provider.ts';
import { startWechatSubscribeTestServer } from './wechat-subscribe-test-server.ts';

const APP_ID = 'wxmini0123456789ab';
const APP_SECRET = 'mini-secret-0123456789abcdef012345';
const OPEN_ID = 'oKgAB5T4n0fEsxyBSMlAqQ2pFiTM';
const TEMPLATE_ID = 'xY8NfOLZQnIGM4iKN9vX6Zx3V1kqL7pSm2T0cB5aHdE';
const extras = { miniprogram: { templateId: TEMPLATE_ID, data: { thing1: '保温杯', amount2: '¥1299.50' }, page: 'pages/order/detail?id=A-1024' } };

describeProviderConformance<WechatAccountConfig>({
  definition: wechatSubscribeProvider,
  startServer: () => startWechatSubscribeTestServer({ appId: APP_ID, appSecret: APP_SECRET, templateIds: [TEMPLATE_ID] }),
  accountConfig: (port) => ({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: `http://127.0.0.1:${port}` }),
  address: OPEN_ID,
  extras,
  invalidConfigs: [{ name: 'missing appId', config: { appSecret: APP_SECRET } }],
});

describe('wechat-subscribe provider', () => {
  const clock = new ManualClock();
  let server: WechatApiTestServer;
  let environment: TestProviderEnvironment;
  let tokens: TokenCache;

  before(async () => {
    server = await startWechatSubscribeTestServer({ appId: APP_ID, appSecret: APP_SECRET, templateIds: [TEMPLATE_ID], clock });
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => {
    server.setMode('normal');
    tokens = memoryTokenCache();
  });

  const request = (overrides: Partial<SendRequest> = {}, miniprogram: Record<string, unknown> = extras.miniprogram): SendRequest => {
    const sample = sampleSendRequest({ address: OPEN_ID, ...overrides });
    return { ...sample, content: { ...sample.content, extras: { miniprogram } } };
  };
  const send = (sendRequest = request(), context = environment.context({ tokens })) =>
    wechatSubscribeProvider
      .createSender({ id: 'acc_mini', name: 'mini program', config: { appId: APP_ID, appSecret: APP_SECRET, baseUrl: server.baseUrl } }, testSenderEnvironment())
      .send(sendRequest, context);

  test('sends the documented body: page, miniprogram_state, lang and data as { value }', async () => {
    const outcome = await send(request({}, { ...extras.miniprogram, state: 'trial', lang: 'en_US' }));
    assertOutcomeKind(outcome, 'sent');
    const accepted = server.received.at(-1)!;
    assert.deepEqual(accepted.body, {
      touser: OPEN_ID,
      template_id: TEMPLATE_ID,
      page: 'pages/order/detail?id=A-1024',
      miniprogram_state: 'trial',
      lang: 'en_US',
      data: { thing1: { value: '保温杯' }, amount2: { value: '¥1299.50' } },
    });
    assert.equal(outcome.providerMessageId, accepted.msgid);
  });

  test('without page, state or lang the body leaves them out', async () => {
    assertOutcomeKind(await send(request({}, { templateId: TEMPLATE_ID, data: { thing1: '发货' } })), 'sent');
    assert.deepEqual(Object.keys(server.received.at(-1)!.body).sort(), ['data', 'template_id', 'touser']);
  });

  test('uses the same token key as the official account would for the same appid, and refreshes on 40001', async () => {
    const keys: string[] = [];
    const recording: TokenCache = { get: (key, fetch) => (keys.push(key), tokens.get(key, fetch)), invalidate: (key) => (keys.push(`invalidate ${key}`), tokens.invalidate(key)) };
    assertOutcomeKind(await send(request(), environment.context({ tokens: recording })), 'sent');
    server.revokeTokens();
    assertOutcomeKind(await send(request(), environment.context({ tokens: recording })), 'sent');
    assert.deepEqual(keys, [`wechat:${APP_ID}`, `wechat:${APP_ID}`, `invalidate wechat:${APP_ID}`, `wechat:${APP_ID}`]);
  });

  test('a user who refused or has no subscription left is failed WECHAT_43101', async () => {
    const refusing = 'oKgAB5T4n0fEsxyBSMlAqQ2pFiXX';
    server.refuseRecipient(refusing);
    const outcome = await send(request({ address: refusing }));
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'WECHAT_43101');
    assert.match(outcome.message, /refused this subscribe message or has no subscription left/);
  });

  test('data WeChat refuses (47003) is failed, not retried', async () => {
    const outcome = await send(request({}, { templateId: TEMPLATE_ID, data: { thing1: 'a value much longer than twenty characters' } }));
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'WECHAT_47003');
    assert.match(outcome.message, /data\.thing1\.value invalid/);
  });

  test('the daily quota (45009) waits for midnight China time; busy (-1) is retry', async () => {
    await send(); // a token first
    server.setMode('quota-exceeded');
    const quota = await send(request(), environment.context({ tokens, clock: new ManualClock(Date.UTC(2026, 0, 5, 16, 0)) }));
    assertOutcomeKind(quota, 'rate_limited');
    assert.equal(quota.code, 'WECHAT_45009');
    assert.equal(quota.retryAfterMs, 24 * 3_600_000);
    assert.match(quota.message, /\/cgi-bin\/message\/subscribe\/send/);
    server.setMode('busy');
    const busy = await send();
    assertOutcomeKind(busy, 'retry');
    assert.equal(busy.code, 'WECHAT_-1');
  });

  test('a message rendered without a subscribe template is failed MINIPROGRAM_TEMPLATE_MISSING without a call', async () => {
    const requestsBefore = server.requestCount;
    const outcome = await send(sampleSendRequest({ address: OPEN_ID }));
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'MINIPROGRAM_TEMPLATE_MISSING');
    assert.equal(server.requestCount, requestsBefore);
  });
});

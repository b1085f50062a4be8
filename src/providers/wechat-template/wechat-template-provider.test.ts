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
import { fetchWechatStableToken, msUntilChinaMidnight, type WechatAccountConfig } from '../wechat-token.ts';
import { readWechatApiQuota } from '../wechat-message-call.ts';
import { wechatTemplateProvider } from './wechat-template-provider.ts';
import { startWechatTemplateTestServer } from './wechat-template-test-server.ts';

const APP_ID = 'wx0123456789abcdef';
const APP_SECRET = 'secret-0123456789abcdef0123456789';
const OPEN_ID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const TEMPLATE_ID = 'ngqIpbwh8bUfcSsECmogfXcV14J0tQlEpBO27izEYtY';
const extras = {
  wechat: { templateId: TEMPLATE_ID, data: { character_string1: 'A-1024', amount2: '¥1299.50' }, url: 'https://shop.example.com/orders/A-1024' },
};

describeProviderConformance<WechatAccountConfig>({
  definition: wechatTemplateProvider,
  startServer: () => startWechatTemplateTestServer({ appId: APP_ID, appSecret: APP_SECRET, templateIds: [TEMPLATE_ID] }),
  accountConfig: (port) => ({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: `http://127.0.0.1:${port}` }),
  address: OPEN_ID,
  extras,
  invalidConfigs: [
    { name: 'missing appSecret', config: { appId: APP_ID } },
    { name: 'empty appId', config: { appId: '', appSecret: APP_SECRET } },
  ],
});

test('WeChat daily quotas reset at midnight China time (UTC+8)', () => {
  assert.equal(msUntilChinaMidnight(Date.UTC(2026, 0, 5, 15, 30)), 30 * 60_000, '23:30 in Beijing');
  assert.equal(msUntilChinaMidnight(Date.UTC(2026, 0, 5, 16, 0)), 24 * 3_600_000, 'midnight exactly: the next one');
  assert.equal(msUntilChinaMidnight(Date.UTC(2026, 0, 5, 1, 0)), 15 * 3_600_000, '09:00 in Beijing');
});

describe('wechat-template provider', () => {
  const clock = new ManualClock();
  let server: WechatApiTestServer;
  let environment: TestProviderEnvironment;
  let tokens: TokenCache;

  before(async () => {
    server = await startWechatTemplateTestServer({ appId: APP_ID, appSecret: APP_SECRET, templateIds: [TEMPLATE_ID], clock });
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

  const config = (overrides: Partial<WechatAccountConfig> = {}): WechatAccountConfig => ({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: server.baseUrl, ...overrides });
  const request = (overrides: Partial<SendRequest> = {}, wechat: Record<string, unknown> = extras.wechat): SendRequest => {
    const sample = sampleSendRequest({ address: OPEN_ID, ...overrides });
    return { ...sample, content: { ...sample.content, extras: { wechat } } };
  };
  const send = (sendRequest = request(), accountConfig = config()) =>
    wechatTemplateProvider.createSender({ id: 'acc_wx', name: 'official account', config: accountConfig }, testSenderEnvironment()).send(sendRequest, environment.context({ tokens }));

  test('sends the documented body with client_msg_id and keeps the 19-digit msgid exactly', async () => {
    const miniprogram = { appId: 'wxmini0123456789', pagePath: 'pages/order/detail?id=A-1024' };
    const outcome = await send(request({ dedupKey: 'msg_1:rcv_1:wechat' }, { ...extras.wechat, miniprogram }));
    assertOutcomeKind(outcome, 'sent');
    const accepted = server.received.at(-1)!;
    assert.deepEqual(accepted.body, {
      touser: OPEN_ID,
      template_id: TEMPLATE_ID,
      url: 'https://shop.example.com/orders/A-1024',
      miniprogram: { appid: 'wxmini0123456789', pagepath: 'pages/order/detail?id=A-1024' },
      client_msg_id: 'msg_1:rcv_1:wechat',
      data: { character_string1: { value: 'A-1024' }, amount2: { value: '¥1299.50' } },
    });
    assert.match(accepted.msgid, /^\d{19}$/);
    assert.equal(outcome.providerMessageId, accepted.msgid);
  });

  test('a repeated attempt carries the same client_msg_id, so WeChat delivers it once', async () => {
    const before = server.received.length;
    const first = await send(request({ dedupKey: 'msg_2:rcv_1:wechat' }));
    const again = await send(request({ dedupKey: 'msg_2:rcv_1:wechat', attempt: 2 }));
    assertOutcomeKind(first, 'sent');
    assertOutcomeKind(again, 'sent');
    assert.equal(again.providerMessageId, first.providerMessageId);
    assert.equal(server.received.length, before + 1);
  });

  test('fetches the token from stable_token once and reuses it under the appid key', async () => {
    const keys: string[] = [];
    const recording: TokenCache = { get: (key, fetch) => (keys.push(key), tokens.get(key, fetch)), invalidate: (key) => tokens.invalidate(key) };
    const sender = wechatTemplateProvider.createSender({ id: 'acc_wx', name: 'wx', config: config() }, testSenderEnvironment());
    const tokenCallsBefore = server.tokenRequestCount;
    for (let i = 0; i < 3; i++) assertOutcomeKind(await sender.send(request({ dedupKey: `msg_3:${i}` }), environment.context({ tokens: recording })), 'sent');
    assert.equal(server.tokenRequestCount, tokenCallsBefore + 1);
    assert.deepEqual(keys, [`wechat:${APP_ID}`, `wechat:${APP_ID}`, `wechat:${APP_ID}`]);
  });

  test('stable_token answers the same token while it is valid and a new one in its last 5 minutes', async () => {
    const context = environment.context();
    const first = await fetchWechatStableToken(config(), context);
    const again = await fetchWechatStableToken(config(), context);
    assert.equal(again.token, first.token);
    assert.ok(first.expiresInSeconds <= 7200 && first.expiresInSeconds > 300);
    clock.advance((first.expiresInSeconds - 299) * 1000);
    const renewed = await fetchWechatStableToken(config(), context);
    assert.notEqual(renewed.token, first.token);
    assert.equal(renewed.expiresInSeconds, 7200);
  });

  test('a token WeChat no longer accepts (40001) is dropped and the send made once more with a fresh one', async () => {
    assertOutcomeKind(await send(request({ dedupKey: 'msg_4:a' })), 'sent');
    const oldToken = server.received.at(-1)!.accessToken;
    server.revokeTokens();
    const tokenCallsBefore = server.tokenRequestCount;
    const outcome = await send(request({ dedupKey: 'msg_4:b' }));
    assertOutcomeKind(outcome, 'sent');
    assert.equal(server.tokenRequestCount, tokenCallsBefore + 1);
    assert.notEqual(server.received.at(-1)!.accessToken, oldToken);
  });

  test('an expired token (42001) is refreshed too', async () => {
    assertOutcomeKind(await send(request({ dedupKey: 'msg_5:a' })), 'sent');
    clock.advance(7201 * 1000);
    const outcome = await send(request({ dedupKey: 'msg_5:b' }));
    assertOutcomeKind(outcome, 'sent');
  });

  test('refreshes only once: a token rejected again right after is retry, not a loop', async () => {
    const revokingCache: TokenCache = {
      get: async (key, fetch) => {
        const token = await tokens.get(key, fetch);
        server.revokeTokens(); // someone else renews the token after every fetch
        return token;
      },
      invalidate: (key) => tokens.invalidate(key),
    };
    const requestsBefore = server.requestCount;
    const outcome = await wechatTemplateProvider
      .createSender({ id: 'acc_wx', name: 'wx', config: config() }, testSenderEnvironment())
      .send(request({ dedupKey: 'msg_6' }), environment.context({ tokens: revokingCache }));
    assertOutcomeKind(outcome, 'retry');
    assert.equal(outcome.code, 'WECHAT_40001');
    assert.equal(server.requestCount - requestsBefore, 4, 'token, send, token, send');
  });

  test('a user who does not follow the account is failed WECHAT_43004', async () => {
    const stranger = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS7x';
    server.refuseRecipient(stranger);
    const outcome = await send(request({ address: stranger }));
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'WECHAT_43004');
    assert.match(outcome.message, /does not follow the official account/);
  });

  test('the daily quota (45009) is rate_limited until midnight China time, pointing at quota/get and clear_quota', async () => {
    server.setMode('quota-exceeded');
    const quotaClock = new ManualClock(Date.UTC(2026, 0, 5, 14, 0)); // 22:00 in Beijing
    await send(); // a token first, on the quota clock's day
    const outcome = await wechatTemplateProvider
      .createSender({ id: 'acc_wx', name: 'wx', config: config() }, testSenderEnvironment())
      .send(request(), environment.context({ tokens, clock: quotaClock }));
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'WECHAT_45009');
    assert.equal(outcome.retryAfterMs, 2 * 3_600_000);
    assert.deepEqual(outcome.quotaExhausted, { untilMs: Date.UTC(2026, 0, 5, 16, 0) }, 'the account is exhausted until midnight in Beijing');
    assert.match(outcome.message, /quota\/get/);
    assert.match(outcome.message, /clear_quota/);
    assert.match(outcome.message, /\/cgi-bin\/message\/template\/send/);
  });

  test('readQuota asks openapi/quota/get for template/send and reads daily_limit, used and remain; an unknown cgi_path is 76021', async () => {
    server.setDailyLimit(1000);
    const sender = wechatTemplateProvider.createSender({ id: 'acc_wx', name: 'official account', config: config() }, testSenderEnvironment());
    const before = await sender.readQuota!(environment.context({ tokens }));
    assert.equal(before.kind, 'quota');
    await send();
    const after = await sender.readQuota!(environment.context({ tokens }));
    assert.deepEqual(after, { kind: 'quota', limit: 1000, used: (before as { used: number }).used + 1, remaining: 1000 - (before as { used: number }).used - 1 });
    const unknown = await readWechatApiQuota(config(), '/cgi-bin/no/such/api', environment.context({ tokens }));
    assert.equal(unknown.kind, 'failed');
    assert.equal((unknown as { code: string }).code, 'WECHAT_76021');
    assert.match((unknown as { message: string }).message, /knows no API \/cgi-bin\/no\/such\/api/);
  });

  test('system busy (-1) is retry; a 502 is retry HTTP_502', async () => {
    server.setMode('busy');
    await send(); // fetches the token (busy applies to the message API)
    const busy = await send();
    assertOutcomeKind(busy, 'retry');
    assert.equal(busy.code, 'WECHAT_-1');
    server.setMode('transient-error');
    const gateway = await send();
    assertOutcomeKind(gateway, 'retry');
    assert.equal(gateway.code, 'HTTP_502');
  });

  test('an unknown template id (40037) and a bad openid (40003) are failed', async () => {
    const unknownTemplate = await send(request({}, { ...extras.wechat, templateId: 'no-such-template' }));
    assertOutcomeKind(unknownTemplate, 'failed');
    assert.equal(unknownTemplate.code, 'WECHAT_40037');
    const badOpenId = await send(request({ address: 'not an openid' }));
    assertOutcomeKind(badOpenId, 'failed');
    assert.equal(badOpenId.code, 'WECHAT_40003');
  });

  test('a wrong appSecret is failed WECHAT_40125 and nothing is sent', async () => {
    const before = server.received.length;
    const outcome = await send(request(), config({ appSecret: 'wrong' }));
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'WECHAT_40125');
    assert.match(outcome.message, /appSecret/);
    assert.equal(server.received.length, before);
  });

  test('a message rendered without a WeChat template is failed WECHAT_TEMPLATE_MISSING without a call', async () => {
    const requestsBefore = server.requestCount;
    const outcome = await send(sampleSendRequest({ address: OPEN_ID }));
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'WECHAT_TEMPLATE_MISSING');
    assert.equal(server.requestCount, requestsBefore);
  });

  test('validateConfig refuses a baseUrl that is not http(s)', () => {
    assert.throws(() => wechatTemplateProvider.validateConfig!({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: 'file:///etc/passwd' }), {
      code: 'OUTBOUND_URL_NOT_ALLOWED',
    });
  });
});

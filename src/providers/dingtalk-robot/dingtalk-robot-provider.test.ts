import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../../clock.ts';
import { describeProviderConformance } from '../conformance/provider-conformance.ts';
import {
  assertOutcomeKind,
  createTestProviderEnvironment,
  sampleSendRequest,
  type TestProviderEnvironment,
  testSenderEnvironment,
} from '../conformance/provider-test-support.ts';
import {
  dingtalkRobotProvider,
  dingtalkRobotSendUrl,
  signDingtalkRobotRequest,
  type DingtalkRobotConfig,
} from './dingtalk-robot-provider.ts';
import { startDingtalkRobotTestServer, type DingtalkRobotTestServer } from './dingtalk-robot-test-server.ts';

const ACCESS_TOKEN = 'robot-token-0123456789';
const SECRET = 'SEC0123456789abcdef';

describeProviderConformance<DingtalkRobotConfig>({
  definition: dingtalkRobotProvider,
  startServer: () => startDingtalkRobotTestServer({ accessToken: ACCESS_TOKEN, secret: SECRET }),
  accountConfig: (port) => ({ accessToken: ACCESS_TOKEN, secret: SECRET, baseUrl: `http://127.0.0.1:${port}` }),
  invalidConfigs: [
    { name: 'missing accessToken', config: { secret: SECRET } },
    { name: 'unknown messageType', config: { accessToken: ACCESS_TOKEN, messageType: 'card' } },
    { name: 'atMobiles not an array', config: { accessToken: ACCESS_TOKEN, atMobiles: '13800000000' } },
  ],
});

describe('dingtalk-robot signing', () => {
  test('signs as documented: base64 HMAC-SHA256 keyed by the secret over "timestamp\\nsecret"', () => {
    // Reference value from: printf '1700000000000\nSEC0123456789abcdef' | openssl dgst -sha256 -hmac SEC0123456789abcdef -binary | base64
    assert.equal(signDingtalkRobotRequest(SECRET, 1_700_000_000_000), 'TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=');
  });

  test('URL-encodes the signature exactly once and keeps a base URL path prefix', () => {
    const url = dingtalkRobotSendUrl(
      { accessToken: ACCESS_TOKEN, secret: SECRET, baseUrl: 'https://gateway.example.com/dingtalk/' },
      1_700_000_000_000,
    );
    assert.equal(
      url.href,
      `https://gateway.example.com/dingtalk/robot/send?access_token=${ACCESS_TOKEN}&timestamp=1700000000000` +
        '&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D',
    );
  });

  test('without a secret the URL carries only the token, on the default base URL', () => {
    assert.equal(dingtalkRobotSendUrl({ accessToken: ACCESS_TOKEN }, 1).href, `https://oapi.dingtalk.com/robot/send?access_token=${ACCESS_TOKEN}`);
  });
});

describe('dingtalk-robot provider', () => {
  const clock = new ManualClock();
  let server: DingtalkRobotTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startDingtalkRobotTestServer({
      accessToken: ACCESS_TOKEN,
      secret: SECRET,
      clock,
      throttle: { count: 20, perSeconds: 60 },
    });
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => {
    server.setMode('normal');
    // A fresh minute for the throttle window in every test.
    clock.advance(61_000);
  });

  const send = (config: Partial<DingtalkRobotConfig> = {}, context = environment.context()) =>
    dingtalkRobotProvider
      .createSender({ id: 'acc_ding', name: 'ops group', config: { accessToken: ACCESS_TOKEN, secret: SECRET, baseUrl: server.baseUrl, ...config } }, testSenderEnvironment())
      .send(sampleSendRequest(), context);

  test('sends markdown by default, mentioning the configured people in the text', async () => {
    const outcome = await send({ atMobiles: ['13800000000'], atUserIds: ['manager01'] });
    assertOutcomeKind(outcome, 'sent');
    const { body, query } = server.received.at(-1)!;
    const { content } = sampleSendRequest();
    assert.deepEqual(body, {
      msgtype: 'markdown',
      markdown: { title: content.title, text: `${content.markdown}\n\n@13800000000 @manager01` },
      at: { atMobiles: ['13800000000'], atUserIds: ['manager01'], isAtAll: false },
    });
    assert.equal(query.get('timestamp'), String(clock.now()));
  });

  test("merges the template's mentions with the account's, each person once", async () => {
    const sender = dingtalkRobotProvider.createSender(
      { id: 'acc_ding', name: 'ops group', config: { accessToken: ACCESS_TOKEN, secret: SECRET, baseUrl: server.baseUrl, atMobiles: ['13800000000'] } },
      testSenderEnvironment(),
    );
    const request = sampleSendRequest();
    const mentions = { userIds: ['oncall01'], mobiles: ['13800000000', '13900000000'], all: false };
    assertOutcomeKind(await sender.send({ ...request, content: { ...request.content, extras: { mentions } } }, environment.context()), 'sent');
    const { body } = server.received.at(-1)!;
    assert.deepEqual(body.at, { atMobiles: ['13800000000', '13900000000'], atUserIds: ['oncall01'], isAtAll: false });
    assert.equal(body.markdown.text, `${request.content.markdown}\n\n@13800000000 @13900000000 @oncall01`);

    const everyone = { ...request.content, extras: { mentions: { userIds: [], mobiles: [], all: true } } };
    assertOutcomeKind(await sender.send({ ...request, content: everyone }, environment.context()), 'sent');
    assert.deepEqual(server.received.at(-1)!.body.at, { atMobiles: ['13800000000'], atUserIds: [], isAtAll: true });
  });

  test('sends text messages with the plain text', async () => {
    assertOutcomeKind(await send({ messageType: 'text', isAtAll: true }), 'sent');
    assert.deepEqual(server.received.at(-1)!.body, {
      msgtype: 'text',
      text: { content: sampleSendRequest().content.text },
      at: { atMobiles: [], atUserIds: [], isAtAll: true },
    });
  });

  test('a wrong secret is failed DINGTALK_310000', async () => {
    const outcome = await send({ secret: 'SECwrong' });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'DINGTALK_310000');
  });

  test('a timestamp more than an hour off is failed DINGTALK_310000', async () => {
    const skewedClock = new ManualClock(clock.now() - 61 * 60_000);
    const outcome = await send({}, environment.context({ clock: skewedClock }));
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'DINGTALK_310000');
    assert.match(outcome.message, /1 hour/);
  });

  test('an unknown token is failed DINGTALK_300005', async () => {
    const outcome = await send({ accessToken: 'no-such-robot' });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'DINGTALK_300005');
  });

  test('the 21st message in a minute is rate_limited DINGTALK_130101 for at least a minute', async () => {
    const sender = dingtalkRobotProvider.createSender({
      id: 'acc_ding',
      name: 'ops group',
      config: { accessToken: ACCESS_TOKEN, secret: SECRET, baseUrl: server.baseUrl },
    }, testSenderEnvironment());
    for (let i = 0; i < 20; i++) assertOutcomeKind(await sender.send(sampleSendRequest(), environment.context()), 'sent');
    const outcome = await sender.send(sampleSendRequest(), environment.context());
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'DINGTALK_130101');
    assert.ok(outcome.retryAfterMs! >= 60_000);
  });

  test('a 200 answer that is not JSON is retry INVALID_RESPONSE; a 502 is retry HTTP_502', async () => {
    server.setMode('invalid-json');
    const invalidJson = await send();
    assertOutcomeKind(invalidJson, 'retry');
    assert.equal(invalidJson.code, 'INVALID_RESPONSE');

    server.setMode('transient-error');
    const badGateway = await send();
    assertOutcomeKind(badGateway, 'retry');
    assert.equal(badGateway.code, 'HTTP_502');
  });

  test('a robot without signing gets no timestamp or sign', async () => {
    const unsignedServer = await startDingtalkRobotTestServer({ accessToken: ACCESS_TOKEN });
    try {
      const outcome = await dingtalkRobotProvider
        .createSender({ id: 'acc_plain', name: 'plain', config: { accessToken: ACCESS_TOKEN, baseUrl: unsignedServer.baseUrl } }, testSenderEnvironment())
        .send(sampleSendRequest(), environment.context());
      assertOutcomeKind(outcome, 'sent');
      const { query } = unsignedServer.received[0];
      assert.deepEqual([...query.keys()], ['access_token']);
    } finally {
      await unsignedServer.close();
    }
  });

  test('validateConfig refuses a baseUrl that is not http(s)', () => {
    assert.throws(() => dingtalkRobotProvider.validateConfig!({ accessToken: ACCESS_TOKEN, baseUrl: 'file:///etc/passwd' }), {
      code: 'OUTBOUND_URL_NOT_ALLOWED',
    });
  });
});

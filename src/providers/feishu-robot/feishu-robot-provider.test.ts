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
import type { RenderedMessage } from '../provider.ts';
import { feishuRobotProvider, feishuRobotSendUrl, signFeishuRobotRequest, type FeishuRobotConfig } from './feishu-robot-provider.ts';
import { startFeishuRobotTestServer, type FeishuRobotTestServer } from './feishu-robot-test-server.ts';

const WEBHOOK_TOKEN = '2a7c3f1e-0b5d-4c1e-9d2f-7a1b3c5d7e9f';
const SECRET = 'SEC0123456789abcdef';

describeProviderConformance<FeishuRobotConfig>({
  definition: feishuRobotProvider,
  startServer: () => startFeishuRobotTestServer({ webhookToken: WEBHOOK_TOKEN, secret: SECRET }),
  accountConfig: (port) => ({ webhookToken: WEBHOOK_TOKEN, secret: SECRET, baseUrl: `http://127.0.0.1:${port}` }),
  invalidConfigs: [
    { name: 'missing webhookToken', config: { secret: SECRET } },
    { name: 'unknown messageType', config: { webhookToken: WEBHOOK_TOKEN, messageType: 'markdown' } },
    { name: 'empty secret', config: { webhookToken: WEBHOOK_TOKEN, secret: '' } },
    { name: 'a mention id that could break out of the at tag', config: { webhookToken: WEBHOOK_TOKEN, mentionUserIds: ['ou_1"></at>'] } },
  ],
});

describe('feishu-robot definition and signing', () => {
  test('declares both documented windows, 5 per second and 100 per minute, enforced together', () => {
    assert.deepEqual(feishuRobotProvider.defaultFlowLimits, [
      { count: 5, perSeconds: 1 },
      { count: 100, perSeconds: 60 },
    ]);
    assert.equal(feishuRobotProvider.target, 'account');
    assert.equal(feishuRobotProvider.channel, 'feishu');
    assert.deepEqual(feishuRobotProvider.secretFields, ['webhookToken', 'secret']);
  });

  test('signs as documented: base64 HMAC-SHA256 keyed by "timestamp\\nsecret" over an empty message', () => {
    // Reference value from: printf '' | openssl dgst -sha256 -hmac $'1700000000\nSEC0123456789abcdef' -binary | base64
    assert.equal(signFeishuRobotRequest(SECRET, 1_700_000_000), 'PiO7POLlSx/DM2qf8Dy/XCWeJK3exVnevp5G99LEN2M=');
  });

  test('posts to the hook path on the default base URL, or under a gateway prefix', () => {
    assert.equal(feishuRobotSendUrl({ webhookToken: WEBHOOK_TOKEN }).href, `https://open.feishu.cn/open-apis/bot/v2/hook/${WEBHOOK_TOKEN}`);
    assert.equal(
      feishuRobotSendUrl({ webhookToken: WEBHOOK_TOKEN, baseUrl: 'https://gateway.example.com/feishu/' }).href,
      `https://gateway.example.com/feishu/open-apis/bot/v2/hook/${WEBHOOK_TOKEN}`,
    );
  });

  test('validateConfig refuses a baseUrl that is not http(s)', () => {
    assert.throws(() => feishuRobotProvider.validateConfig!({ webhookToken: WEBHOOK_TOKEN, baseUrl: 'file:///etc/passwd' }), {
      code: 'OUTBOUND_URL_NOT_ALLOWED',
    });
  });
});

describe('feishu-robot provider', () => {
  const clock = new ManualClock();
  let server: FeishuRobotTestServer;
  let environment: TestProviderEnvironment;

  const card = { header: { title: { tag: 'plain_text', content: 'Deploy finished' } }, elements: [{ tag: 'markdown', content: '**herald** is live' }] };
  const post = { zh_cn: { title: 'Deploy finished', content: [[{ tag: 'text', text: 'herald', style: ['bold'] }, { tag: 'text', text: ' is live' }]] } };
  const rendered = (): RenderedMessage => ({ ...sampleSendRequest().content, extras: { feishuCard: card, feishuPost: post } });

  before(async () => {
    server = await startFeishuRobotTestServer({
      webhookToken: WEBHOOK_TOKEN,
      secret: SECRET,
      clock,
      throttle: [
        { count: 5, perSeconds: 1 },
        { count: 100, perSeconds: 60 },
      ],
    });
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => {
    server.setMode('normal');
    // Fresh throttle windows in every test.
    clock.advance(61_000);
  });

  const sender = (config: Partial<FeishuRobotConfig> = {}) =>
    feishuRobotProvider.createSender(
      { id: 'acc_feishu', name: 'ops group', config: { webhookToken: WEBHOOK_TOKEN, secret: SECRET, baseUrl: server.baseUrl, ...config } },
      testSenderEnvironment(),
    );
  const send = (config: Partial<FeishuRobotConfig> = {}, content = rendered(), context = environment.context()) =>
    sender(config).send(sampleSendRequest({ content }), context);

  test('sends the rendered card by default, signed in the body with the timestamp in seconds', async () => {
    assertOutcomeKind(await send(), 'sent');
    const seconds = Math.floor(clock.now() / 1000);
    assert.deepEqual(server.received.at(-1)!.body, {
      timestamp: String(seconds),
      sign: signFeishuRobotRequest(SECRET, seconds),
      msg_type: 'interactive',
      card,
    });
  });

  test('sends the rendered post wrapped in content.post', async () => {
    assertOutcomeKind(await send({ messageType: 'post' }), 'sent');
    const { body } = server.received.at(-1)!;
    assert.equal(body.msg_type, 'post');
    assert.deepEqual(body.content, { post });
  });

  test('sends text as a content object', async () => {
    assertOutcomeKind(await send({ messageType: 'text' }), 'sent');
    const { body } = server.received.at(-1)!;
    assert.deepEqual([body.msg_type, body.content], ['text', { text: sampleSendRequest().content.text }]);
  });

  test('without rendered extras it builds the card and the post from the title, Markdown and text', async () => {
    const { content } = sampleSendRequest();
    assertOutcomeKind(await send({}, content), 'sent');
    assert.deepEqual(server.received.at(-1)!.body.card, {
      config: { wide_screen_mode: true },
      header: { title: { tag: 'plain_text', content: content.title } },
      elements: [{ tag: 'markdown', content: content.markdown }],
      card_link: { url: content.url },
    });
    assertOutcomeKind(await send({ messageType: 'post' }, content), 'sent');
    assert.deepEqual(server.received.at(-1)!.body.content.post, {
      zh_cn: { title: content.title, content: [[{ tag: 'text', text: content.text }], [{ tag: 'a', text: content.url, href: content.url }]] },
    });
  });

  describe('mentions', () => {
    const mentioned = (mentions: object): RenderedMessage => ({ ...rendered(), extras: { feishuCard: card, feishuPost: post, mentions } });
    const templateMentions = { userIds: ['ou_a1', 'ou_lead', 'not an id"'], mobiles: ['13800138000'], all: false };

    test('the card gets a markdown element of <at id=..> tags: the account\'s, then the template\'s, once each; mobiles and odd ids are left out', async () => {
      assertOutcomeKind(await send({ mentionUserIds: ['ou_lead'] }, mentioned(templateMentions)), 'sent');
      assert.deepEqual(server.received.at(-1)!.body.card, {
        ...card,
        elements: [...card.elements, { tag: 'markdown', content: '<at id=ou_lead></at> <at id=ou_a1></at>' }],
      });
    });

    test('the post gets a last line of at elements, @all last', async () => {
      assertOutcomeKind(await send({ messageType: 'post', mentionAll: true }, mentioned(templateMentions)), 'sent');
      assert.deepEqual(server.received.at(-1)!.body.content.post.zh_cn.content.at(-1), [
        { tag: 'at', user_id: 'ou_a1' },
        { tag: 'at', user_id: 'ou_lead' },
        { tag: 'at', user_id: 'all' },
      ]);
    });

    test('text gets <at user_id=".."></at> tags after the text', async () => {
      assertOutcomeKind(await send({ messageType: 'text' }, mentioned({ userIds: ['ou_a1'], mobiles: [], all: true })), 'sent');
      assert.equal(server.received.at(-1)!.body.content.text, `${sampleSendRequest().content.text}\n<at user_id="ou_a1"></at> <at user_id="all"></at>`);
    });

    test('only mobile numbers mention nobody: the message is unchanged', async () => {
      assertOutcomeKind(await send({}, mentioned({ userIds: [], mobiles: ['13800138000'], all: false })), 'sent');
      assert.deepEqual(server.received.at(-1)!.body.card, card);
    });
  });

  test('a bot without signing sends no timestamp or sign', async () => {
    const unsigned = await startFeishuRobotTestServer({ webhookToken: WEBHOOK_TOKEN });
    try {
      const outcome = await feishuRobotProvider
        .createSender({ id: 'acc_plain', name: 'plain', config: { webhookToken: WEBHOOK_TOKEN, baseUrl: unsigned.baseUrl } }, testSenderEnvironment())
        .send(sampleSendRequest(), environment.context());
      assertOutcomeKind(outcome, 'sent');
      assert.deepEqual(Object.keys(unsigned.received[0].body), ['msg_type', 'card']);
    } finally {
      await unsigned.close();
    }
  });

  test('a wrong secret is failed FEISHU_19021', async () => {
    const outcome = await send({ secret: 'SECwrong' });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'FEISHU_19021');
  });

  test('a clock more than an hour off is failed FEISHU_19021; 59 minutes off is still accepted', async () => {
    const skewed = await send({}, rendered(), environment.context({ clock: new ManualClock(clock.now() - 61 * 60_000) }));
    assertOutcomeKind(skewed, 'failed');
    assert.equal(skewed.code, 'FEISHU_19021');
    assert.match(skewed.message, /one hour/);
    assertOutcomeKind(await send({}, rendered(), environment.context({ clock: new ManualClock(clock.now() - 59 * 60_000) })), 'sent');
  });

  test('an unknown webhook token is failed FEISHU_19001', async () => {
    const outcome = await send({ webhookToken: 'no-such-bot' });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'FEISHU_19001');
  });

  test('an IP outside the allow list is failed FEISHU_19022', async () => {
    server.setMode('ip-not-allowed');
    const outcome = await send();
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'FEISHU_19022');
  });

  test('a message without the bot keyword is failed FEISHU_19024; with it, sent', async () => {
    const keywordServer = await startFeishuRobotTestServer({ webhookToken: WEBHOOK_TOKEN, keywords: ['[herald]'] });
    try {
      const keywordSender = feishuRobotProvider.createSender(
        { id: 'acc_kw', name: 'keyword', config: { webhookToken: WEBHOOK_TOKEN, baseUrl: keywordServer.baseUrl, messageType: 'text' } },
        testSenderEnvironment(),
      );
      const missing = await keywordSender.send(sampleSendRequest(), environment.context());
      assertOutcomeKind(missing, 'failed');
      assert.equal(missing.code, 'FEISHU_19024');
      const content = { ...sampleSendRequest().content, text: '[herald] deploy finished' };
      assertOutcomeKind(await keywordSender.send(sampleSendRequest({ content }), environment.context()), 'sent');
    } finally {
      await keywordServer.close();
    }
  });

  test('a body over 20 KB is failed FEISHU_9499', async () => {
    const huge = { ...sampleSendRequest().content, text: 'x'.repeat(21 * 1024) };
    const outcome = await send({ messageType: 'text' }, huge);
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'FEISHU_9499');
  });

  test('the 6th message in a second is rate_limited FEISHU_11232 for a minute; the next second takes it', async () => {
    const robot = sender();
    for (let i = 0; i < 5; i++) assertOutcomeKind(await robot.send(sampleSendRequest(), environment.context()), 'sent');
    const outcome = await robot.send(sampleSendRequest(), environment.context());
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'FEISHU_11232');
    assert.equal(outcome.retryAfterMs, 60_000);
    clock.advance(1_000);
    assertOutcomeKind(await robot.send(sampleSendRequest(), environment.context()), 'sent');
  });

  test('the 101st message in a minute is rate_limited even at two per second', async () => {
    const robot = sender();
    for (let i = 0; i < 100; i++) {
      assertOutcomeKind(await robot.send(sampleSendRequest(), environment.context()), 'sent');
      clock.advance(500);
    }
    const outcome = await robot.send(sampleSendRequest(), environment.context());
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'FEISHU_11232');
  });

  test('the older answer form {"StatusCode":0} is sent', async () => {
    server.setMode('legacy-answer');
    assertOutcomeKind(await send(), 'sent');
  });

  test('a 503 page is retry HTTP_503', async () => {
    server.setMode('transient-error');
    const outcome = await send();
    assertOutcomeKind(outcome, 'retry');
    assert.equal(outcome.code, 'HTTP_503');
  });
});

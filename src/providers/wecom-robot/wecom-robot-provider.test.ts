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
import { renderForChannel } from '../../templates/render-message.ts';
import { orderPaidContent, orderPaidData } from '../../templates/golden/order-paid-template.ts';
import type { RenderedMessage } from '../provider.ts';
import { wecomAppMessagePart } from '../wecom-app/wecom-app-provider.ts';
import { wecomRobotMessageBody, wecomRobotProvider, wecomRobotSendUrl, type WecomRobotConfig } from './wecom-robot-provider.ts';
import { startWecomRobotTestServer, type WecomRobotTestServer } from './wecom-robot-test-server.ts';

const KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';

describeProviderConformance<WecomRobotConfig>({
  definition: wecomRobotProvider,
  startServer: () => startWecomRobotTestServer({ key: KEY }),
  accountConfig: (port) => ({ key: KEY, baseUrl: `http://127.0.0.1:${port}` }),
  invalidConfigs: [
    { name: 'missing key', config: { baseUrl: 'http://127.0.0.1:1' } },
    { name: 'unknown messageType', config: { key: KEY, messageType: 'textcard' } },
    { name: 'mentionedMobiles not an array', config: { key: KEY, mentionedMobiles: '13800000000' } },
  ],
});

const ARTICLES = [
  { title: 'Order A-1024 paid', description: 'CN¥1,299.50', url: 'https://shop.example.com/orders/A-1024', picUrl: 'https://shop.example.com/a.png' },
  { title: 'Track it', url: 'https://shop.example.com/track/A-1024' },
];

describe('WeCom providers read what the template renderer writes', () => {
  const rendered = renderForChannel({ templateCode: 'order.paid', content: orderPaidContent, data: orderPaidData, channel: 'wecom' });

  test('the robot sends the rendered articles and mentions', () => {
    const news = wecomRobotMessageBody({ key: KEY, messageType: 'news' }, rendered) as { news: { articles: Array<Record<string, unknown>> } };
    assert.deepEqual(news.news.articles.map((article) => [article.title, article.url, article.picurl]), [
      ['Order A-1024 paid by Ada <Lovelace> & Co', 'https://shop.example.com/orders/A-1024', 'https://shop.example.com/img/A-1024.png'],
      ['2 items', 'https://shop.example.com/orders/A-1024/items', undefined],
    ]);
    const markdown = wecomRobotMessageBody({ key: KEY }, rendered) as { markdown: { content: string } };
    assert.ok(markdown.markdown.content.endsWith('\n<@shop-ops>'));
  });

  test('the application sends the rendered text_notice card first', () => {
    const part = wecomAppMessagePart({ corpId: 'ww1', corpSecret: 's', agentId: 1 }, rendered) as Record<string, any>;
    assert.equal(part.msgtype, 'template_card');
    assert.deepEqual(part.template_card.main_title, { title: 'Order A-1024 paid', desc: 'CN¥1,299.50' });
  });
});

describe('wecom-robot provider', () => {
  const clock = new ManualClock();
  let server: WecomRobotTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startWecomRobotTestServer({ key: KEY, clock, throttle: { count: 20, perSeconds: 60 } });
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => {
    server.setMode('normal');
    clock.advance(61_000);
  });

  const sender = (config: Partial<WecomRobotConfig> = {}) =>
    wecomRobotProvider.createSender({ id: 'acc_wecom', name: 'ops group', config: { key: KEY, baseUrl: server.baseUrl, ...config } }, testSenderEnvironment());
  const send = (config: Partial<WecomRobotConfig> = {}, content: Partial<RenderedMessage> = {}) =>
    sender(config).send(sampleSendRequest({ content: { ...sampleSendRequest().content, ...content } }), environment.context());

  test('posts to /cgi-bin/webhook/send?key=.. on the default host, keeping a gateway prefix', () => {
    assert.equal(wecomRobotSendUrl({ key: KEY }).href, `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${KEY}`);
    assert.equal(wecomRobotSendUrl({ key: 'a b', baseUrl: 'https://gw.example.com/wecom/' }).href, 'https://gw.example.com/wecom/cgi-bin/webhook/send?key=a+b');
  });

  test('sends markdown by default, writing <@userid> for the account and template mentions', async () => {
    const outcome = await send(
      { mentionedUserIds: ['zhangsan'], mentionedMobiles: ['13800000000'] },
      { extras: { mentions: { userIds: ['lisi', 'zhangsan'], mobiles: [], all: false } } },
    );
    assertOutcomeKind(outcome, 'sent');
    assert.deepEqual(server.received.at(-1)!.body, {
      msgtype: 'markdown',
      markdown: { content: `${sampleSendRequest().content.markdown}\n<@zhangsan> <@lisi>` },
    });
  });

  test('text messages carry the mention lists, @all included', async () => {
    const outcome = await send(
      { messageType: 'text', mentionedMobiles: ['13800000000'] },
      { extras: { mentions: { userIds: ['lisi'], mobiles: ['13900000000'], all: true } } },
    );
    assertOutcomeKind(outcome, 'sent');
    assert.deepEqual(server.received.at(-1)!.body, {
      msgtype: 'text',
      text: { content: sampleSendRequest().content.text, mentioned_list: ['lisi', '@all'], mentioned_mobile_list: ['13800000000', '13900000000'] },
    });
  });

  test('text without mentions sends only the content', async () => {
    assertOutcomeKind(await send({ messageType: 'text' }), 'sent');
    assert.deepEqual(server.received.at(-1)!.body, { msgtype: 'text', text: { content: sampleSendRequest().content.text } });
  });

  test('a news account sends the template articles, picurl as WeCom spells it', async () => {
    assertOutcomeKind(await send({ messageType: 'news' }, { extras: { wecom: { news: { articles: ARTICLES } } } }), 'sent');
    assert.deepEqual(server.received.at(-1)!.body, {
      msgtype: 'news',
      news: {
        articles: [
          { title: 'Order A-1024 paid', description: 'CN¥1,299.50', url: 'https://shop.example.com/orders/A-1024', picurl: 'https://shop.example.com/a.png' },
          { title: 'Track it', url: 'https://shop.example.com/track/A-1024' },
        ],
      },
    });
  });

  test('a news account falls back to markdown for a message without articles; a markdown account ignores articles', async () => {
    assertOutcomeKind(await send({ messageType: 'news' }), 'sent');
    assert.equal(server.received.at(-1)!.body.msgtype, 'markdown');
    assertOutcomeKind(await send({}, { extras: { wecom: { news: { articles: ARTICLES } } } }), 'sent');
    assert.equal(server.received.at(-1)!.body.msgtype, 'markdown');
  });

  test('content at the limit stays within 4096 / 2048 bytes with the mentions added', async () => {
    const longMarkdown = '保'.repeat(1365); // 4095 bytes, as the channel limit may leave it
    assertOutcomeKind(await send({ mentionedUserIds: ['zhangsan'] }, { markdown: longMarkdown }), 'sent');
    const content: string = server.received.at(-1)!.body.markdown.content;
    assert.ok(Buffer.byteLength(content) <= 4096);
    assert.ok(content.endsWith('…\n<@zhangsan>'));

    assertOutcomeKind(await send({ messageType: 'text' }, { text: 'x'.repeat(3000) }), 'sent');
    assert.equal(Buffer.byteLength(server.received.at(-1)!.body.text.content), 2048);
  });

  test('a wrong key is failed WECOM_93000', async () => {
    const outcome = await send({ key: 'no-such-robot' });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'WECOM_93000');
    assert.match(outcome.message, /invalid webhook url/);
  });

  test('an invalid parameter is failed WECOM_40058 with the errmsg naming it', async () => {
    const outcome = await send({ messageType: 'news' }, { extras: { wecom: { news: { articles: Array.from({ length: 9 }, () => ARTICLES[1]) } } } });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'WECOM_40058');
    assert.match(outcome.message, /1 to 8 articles/);
  });

  test('the 21st message in a minute is rate_limited WECOM_45009 for a minute', async () => {
    const robot = sender();
    for (let i = 0; i < 20; i++) assertOutcomeKind(await robot.send(sampleSendRequest(), environment.context()), 'sent');
    const outcome = await robot.send(sampleSendRequest(), environment.context());
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'WECOM_45009');
    assert.equal(outcome.retryAfterMs, 60_000);
  });

  test('system busy (-1), a 502 and a non-JSON 200 are retried', async () => {
    const expected = { busy: 'WECOM_-1', 'transient-error': 'HTTP_502', 'invalid-json': 'INVALID_RESPONSE' } as const;
    for (const [mode, code] of Object.entries(expected)) {
      server.setMode(mode as keyof typeof expected);
      const outcome = await send();
      assertOutcomeKind(outcome, 'retry');
      assert.equal(outcome.code, code);
    }
  });

  test('declares the robot pace and keeps the key secret', () => {
    assert.deepEqual(wecomRobotProvider.defaultFlowLimits, [{ count: 20, perSeconds: 60 }]);
    assert.deepEqual(wecomRobotProvider.secretFields, ['key']);
    assert.throws(() => wecomRobotProvider.validateConfig!({ key: KEY, baseUrl: 'file:///etc/passwd' }), { code: 'OUTBOUND_URL_NOT_ALLOWED' });
  });
});

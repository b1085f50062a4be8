import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Dispatcher } from 'undici';
import { Value } from 'typebox/value';
import { ManualClock } from '../../clock.ts';
import { describeProviderConformance } from '../conformance/provider-conformance.ts';
import {
  assertOutcomeKind,
  createTestProviderEnvironment,
  findClosedPort,
  sampleSendRequest,
  type TestProviderEnvironment,
  testSenderEnvironment,
} from '../conformance/provider-test-support.ts';
import type { ProviderSender, SendOutcome } from '../provider.ts';
import { telegramBotProvider, telegramMethodUrl, type TelegramBotConfig } from './telegram-bot-provider.ts';
import { startTelegramBotTestServer, type TelegramBotTestServer, type TelegramTestChat } from './telegram-bot-test-server.ts';

const BOT_TOKEN = '123456789:AAHk3fQ-secret_Token0123456789abcdef';
const USER_CHAT = 987654321;
const GROUP_CHAT = -1001234567890;
const BLOCKING_USER = 555000111;
const CHATS: TelegramTestChat[] = [
  { id: USER_CHAT, type: 'private' },
  { id: GROUP_CHAT, type: 'supergroup', username: 'herald_alerts' },
  { id: BLOCKING_USER, type: 'private', blockedBot: true },
];
/** The sample message in MarkdownV2, as the telegram formatter renders `**herald v1.2.3** is live on production.` */
const SAMPLE_MARKDOWN_V2 = '*herald v1\\.2\\.3* is live on production\\.';

describeProviderConformance<TelegramBotConfig>({
  definition: telegramBotProvider,
  startServer: () => startTelegramBotTestServer({ botToken: BOT_TOKEN, chats: CHATS }),
  accountConfig: (port) => ({ botToken: BOT_TOKEN, baseUrl: `http://127.0.0.1:${port}` }),
  address: String(USER_CHAT),
  content: { markdown: SAMPLE_MARKDOWN_V2 },
  invalidConfigs: [
    { name: 'a token without the bot id', config: { botToken: 'AAHk3fQ-secret_Token0123456789abcdef' } },
    { name: 'disableLinkPreview not a boolean', config: { botToken: BOT_TOKEN, disableLinkPreview: 'yes' } },
  ],
});

describe('telegram-bot provider', () => {
  const clock = new ManualClock();
  let server: TelegramBotTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startTelegramBotTestServer({ botToken: BOT_TOKEN, chats: CHATS, clock, throttle: { count: 30, perSeconds: 1 } });
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => {
    server.setMode('normal');
    clock.advance(2_000);
  });

  const sender = (config: Partial<TelegramBotConfig> = {}): ProviderSender =>
    telegramBotProvider.createSender({ id: 'acc_tg', name: 'alerts bot', config: { botToken: BOT_TOKEN, baseUrl: server.baseUrl, ...config } }, testSenderEnvironment());
  const request = (address: string, markdown = SAMPLE_MARKDOWN_V2) => {
    const sample = sampleSendRequest({ address });
    return { ...sample, content: { ...sample.content, markdown } };
  };
  const send = (address: string, markdown?: string, config?: Partial<TelegramBotConfig>) => sender(config).send(request(address, markdown), environment.context());

  test('posts {chat_id, text, parse_mode: MarkdownV2} to /bot<token>/sendMessage and answers <chat>:<message_id>', async () => {
    const outcome = await send(String(USER_CHAT));
    assertOutcomeKind(outcome, 'sent');
    const message = server.accepted.at(-1)!;
    assert.deepEqual(message.body, { chat_id: String(USER_CHAT), text: SAMPLE_MARKDOWN_V2, parse_mode: 'MarkdownV2' });
    assert.equal(message.text, 'herald v1.2.3 is live on production.');
    assert.deepEqual(message.entities, [{ type: 'bold', offset: 0, length: 13 }]);
    assert.equal(outcome.providerMessageId, `${USER_CHAT}:${message.messageId}`);
  });

  test('builds the method URL under a gateway path prefix, with the token as a path segment', () => {
    assert.equal(telegramMethodUrl({ botToken: BOT_TOKEN, baseUrl: 'https://gw.example.com/tg/' }, 'sendMessage').href, `https://gw.example.com/tg/bot${BOT_TOKEN}/sendMessage`);
    assert.equal(telegramMethodUrl({ botToken: BOT_TOKEN }, 'deleteMessage').href, `https://api.telegram.org/bot${BOT_TOKEN}/deleteMessage`);
  });

  test('a @channelusername reaches the group; the message id names its numeric chat id', async () => {
    const outcome = await send('@herald_alerts');
    assertOutcomeKind(outcome, 'sent');
    assert.equal(server.accepted.at(-1)!.chatId, GROUP_CHAT);
    assert.match(outcome.providerMessageId!, new RegExp(`^${GROUP_CHAT}:\\d+$`));
  });

  test('the account options turn off the link preview and the notification sound', async () => {
    assertOutcomeKind(await send(String(USER_CHAT), undefined, { disableLinkPreview: true, disableNotification: true }), 'sent');
    const { body } = server.accepted.at(-1)!;
    assert.deepEqual(body.link_preview_options, { is_disabled: true });
    assert.equal(body.disable_notification, true);
  });

  test('an unescaped reserved character is failed TELEGRAM_400 "can\'t parse entities", as Telegram answers', async () => {
    const outcome = await send(String(USER_CHAT), 'herald v1.2.3');
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'TELEGRAM_400');
    assert.equal(outcome.message, "Telegram 400: Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'");
  });

  test('an unknown chat is failed TELEGRAM_400; a user who blocked the bot is failed TELEGRAM_403', async () => {
    const unknown = await send('424242');
    assertOutcomeKind(unknown, 'failed');
    assert.deepEqual([unknown.code, unknown.message], ['TELEGRAM_400', 'Telegram 400: Bad Request: chat not found']);
    const blocked = await send(String(BLOCKING_USER));
    assertOutcomeKind(blocked, 'failed');
    assert.deepEqual([blocked.code, blocked.message], ['TELEGRAM_403', 'Telegram 403: Forbidden: bot was blocked by the user']);
  });

  test('a wrong token is failed TELEGRAM_401, and no outcome message carries the token', async () => {
    const otherToken = '123456789:BBwrong-token_0123456789abcdefghij';
    const outcome = await send(String(USER_CHAT), undefined, { botToken: otherToken });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'TELEGRAM_401');
    assert.ok(!outcome.message.includes(otherToken));
  });

  test('429 is rate_limited TELEGRAM_429 for parameters.retry_after seconds', async () => {
    const bot = sender();
    for (let i = 0; i < 30; i++) assertOutcomeKind(await bot.send(request(String(USER_CHAT)), environment.context()), 'sent');
    const outcome = await bot.send(request(String(USER_CHAT)), environment.context());
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'TELEGRAM_429');
    assert.equal(outcome.retryAfterMs, 1_000);
    assert.equal(outcome.message, 'Telegram 429: Too Many Requests: retry after 1');
  });

  test("the Bot API's own 500 is retry TELEGRAM_500; a proxy's 502 page is retry HTTP_502; a 200 that is not JSON is retry INVALID_RESPONSE", async () => {
    const cases: Array<['server-error' | 'transient-error' | 'invalid-json', string]> = [
      ['server-error', 'TELEGRAM_500'],
      ['transient-error', 'HTTP_502'],
      ['invalid-json', 'INVALID_RESPONSE'],
    ];
    for (const [mode, code] of cases) {
      server.setMode(mode);
      const outcome = await send(String(USER_CHAT));
      assertOutcomeKind(outcome, 'retry');
      assert.equal(outcome.code, code, mode);
    }
  });

  test('recall deletes the message; a second recall is failed (not found); after 48 hours Telegram refuses and the message says why', async () => {
    const bot = sender();
    const sent = await bot.send(request(String(USER_CHAT)), environment.context());
    assertOutcomeKind(sent, 'sent');
    const sentMessage = { providerMessageId: sent.providerMessageId!, addresses: [String(USER_CHAT)], sentAtMs: clock.now() };
    assert.deepEqual(await bot.recall!(sentMessage, environment.context()), { kind: 'recalled' });
    assert.equal(server.accepted.at(-1)!.deleted, true);
    const again = await bot.recall!(sentMessage, environment.context());
    assert.deepEqual(again, { kind: 'failed', code: 'TELEGRAM_400', message: 'Telegram 400: Bad Request: message to delete not found' });

    const old = await bot.send(request('@herald_alerts'), environment.context());
    assertOutcomeKind(old, 'sent');
    const oldMessage = { providerMessageId: old.providerMessageId!, addresses: ['@herald_alerts'], sentAtMs: clock.now() };
    clock.advance(48 * 60 * 60_000 + 1_000);
    const late = await bot.recall!(oldMessage, environment.context());
    assert.equal(late.kind, 'failed');
    assert.match(late.kind === 'failed' ? late.message : '', /can't be deleted.*first 48 hours/);
    assert.equal(telegramBotProvider.recallWindowSeconds, 48 * 60 * 60);
  });

  test('a recall that cannot reach Telegram is retry', async () => {
    const offline = telegramBotProvider.createSender({ id: 'acc_tg', name: 'bot', config: { botToken: BOT_TOKEN, baseUrl: `http://127.0.0.1:${await findClosedPort()}` } }, testSenderEnvironment());
    const outcome = await offline.recall!({ providerMessageId: `${USER_CHAT}:1`, addresses: [], sentAtMs: clock.now() }, environment.context());
    assert.equal(outcome.kind, 'retry');
  });

  test('a transport error quoting the URL is redacted: the token never reaches an outcome', async () => {
    // A dispatcher whose failure message names the full URL, as some proxies and clients do.
    const quotingDispatcher = {
      dispatch(options: Dispatcher.DispatchOptions) {
        throw Object.assign(new Error(`connect failed for ${String(options.origin)}${options.path}`), { code: 'ECONNRESET' });
      },
    } as unknown as Dispatcher;
    const context = environment.context({ http: quotingDispatcher });
    const outcome: SendOutcome = await sender().send(request(String(USER_CHAT)), context);
    assertOutcomeKind(outcome, 'retry');
    assert.match(outcome.message, /\/bot\*{8}\/sendMessage/);
    assert.ok(!outcome.message.includes(BOT_TOKEN) && !outcome.message.includes(BOT_TOKEN.split(':')[1]), outcome.message);
    const recall = await sender().recall!({ providerMessageId: `${USER_CHAT}:1`, addresses: [], sentAtMs: clock.now() }, context);
    assert.ok(recall.kind === 'retry' && !recall.message.includes(BOT_TOKEN.split(':')[1]), JSON.stringify(recall));
  });

  test('without an address the send is failed ADDRESS_MISSING and nothing is sent', async () => {
    const before = server.requestCount;
    const outcome = await sender().send(sampleSendRequest(), environment.context());
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'ADDRESS_MISSING');
    assert.equal(server.requestCount, before);
  });

  test('the config: the token is secret and shaped like a bot token; baseUrl must be an allowed http(s) URL', () => {
    assert.deepEqual(telegramBotProvider.secretFields, ['botToken']);
    assert.equal(Value.Check(telegramBotProvider.configSchema, { botToken: BOT_TOKEN, disableLinkPreview: true }), true);
    assert.equal(Value.Check(telegramBotProvider.configSchema, { botToken: `${BOT_TOKEN}/x` }), false);
    assert.throws(() => telegramBotProvider.validateConfig!({ botToken: BOT_TOKEN, baseUrl: 'file:///etc/passwd' }), { code: 'OUTBOUND_URL_NOT_ALLOWED' });
  });
});

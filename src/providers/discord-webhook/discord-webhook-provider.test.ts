import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Dispatcher } from 'undici';
import { ManualClock } from '../../clock.ts';
import { describeProviderConformance } from '../conformance/provider-conformance.ts';
import {
  assertOutcomeKind,
  createTestProviderEnvironment,
  sampleSendRequest,
  type TestProviderEnvironment,
  testSenderEnvironment,
} from '../conformance/provider-test-support.ts';
import type { ProviderSender, RenderedMessage } from '../provider.ts';
import { discordExecuteUrl, discordWebhookProvider, type DiscordWebhookConfig } from './discord-webhook-provider.ts';
import { startDiscordWebhookTestServer, type DiscordWebhookTestServer } from './discord-webhook-test-server.ts';

const WEBHOOK_ID = '1234567890123456789';
const WEBHOOK_TOKEN = 'Xk3_secretWebhookToken-0123456789abcdefABCDEF0123456789';
const THREAD_ID = '1199999999999999999';

describeProviderConformance<DiscordWebhookConfig>({
  definition: discordWebhookProvider,
  startServer: () => startDiscordWebhookTestServer({ webhookId: WEBHOOK_ID, webhookToken: WEBHOOK_TOKEN }),
  accountConfig: (port) => ({ webhookId: WEBHOOK_ID, webhookToken: WEBHOOK_TOKEN, baseUrl: `http://127.0.0.1:${port}` }),
  invalidConfigs: [
    { name: 'missing webhookId', config: { webhookToken: WEBHOOK_TOKEN } },
    { name: 'a webhook id that is not a snowflake', config: { webhookId: 'hooks', webhookToken: WEBHOOK_TOKEN } },
    { name: 'a username over 80 characters', config: { webhookId: WEBHOOK_ID, webhookToken: WEBHOOK_TOKEN, username: 'x'.repeat(81) } },
  ],
});

describe('discord-webhook provider', () => {
  const clock = new ManualClock();
  let server: DiscordWebhookTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startDiscordWebhookTestServer({ webhookId: WEBHOOK_ID, webhookToken: WEBHOOK_TOKEN, threadIds: [THREAD_ID], clock, throttle: { count: 5, perSeconds: 2 } });
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => {
    server.setMode('normal');
    clock.advance(5_000);
  });

  const sender = (config: Partial<DiscordWebhookConfig> = {}): ProviderSender =>
    discordWebhookProvider.createSender(
      { id: 'acc_discord', name: 'ops channel', config: { webhookId: WEBHOOK_ID, webhookToken: WEBHOOK_TOKEN, baseUrl: server.baseUrl, ...config } },
      testSenderEnvironment(),
    );
  const send = (config: Partial<DiscordWebhookConfig> = {}, content: Partial<RenderedMessage> = {}) => {
    const sample = sampleSendRequest();
    return sender(config).send({ ...sample, content: { ...sample.content, ...content } }, environment.context());
  };

  test('posts the Markdown as content and one embed of title, url and summary; the message id is providerMessageId', async () => {
    const outcome = await send();
    assertOutcomeKind(outcome, 'sent');
    const message = server.accepted.at(-1)!;
    assert.equal(outcome.providerMessageId, message.id);
    assert.equal(message.query.toString(), 'wait=true');
    const { content } = sampleSendRequest();
    assert.deepEqual(message.body, {
      content: content.markdown,
      embeds: [{ title: content.title, url: content.url, description: content.summary }],
      allowed_mentions: { parse: [] },
    });
  });

  test('builds the execute URL under a gateway prefix with wait=true and the thread', () => {
    assert.equal(
      discordExecuteUrl({ webhookId: WEBHOOK_ID, webhookToken: WEBHOOK_TOKEN, baseUrl: 'https://gw.example.com/discord/', threadId: THREAD_ID }).href,
      `https://gw.example.com/discord/api/webhooks/${WEBHOOK_ID}/${WEBHOOK_TOKEN}?wait=true&thread_id=${THREAD_ID}`,
    );
    assert.equal(discordExecuteUrl({ webhookId: WEBHOOK_ID, webhookToken: WEBHOOK_TOKEN }).origin, 'https://discord.com');
  });

  test('username, avatar and thread come from the account; embed: false sends the content alone', async () => {
    const outcome = await send({ username: 'Herald', avatarUrl: 'https://cdn.example.com/herald.png', threadId: THREAD_ID, embed: false });
    assertOutcomeKind(outcome, 'sent');
    const message = server.accepted.at(-1)!;
    assert.equal(message.query.get('thread_id'), THREAD_ID);
    assert.deepEqual(message.body, {
      content: sampleSendRequest().content.markdown,
      username: 'Herald',
      avatar_url: 'https://cdn.example.com/herald.png',
      allowed_mentions: { parse: [] },
    });
  });

  test('@everyone, @here, roles and users in user data ping nobody', async () => {
    assertOutcomeKind(await send({}, { markdown: 'deploy by @everyone and @here, <@&111111111111111111> <@222222222222222222>' }), 'sent');
    assert.deepEqual(server.accepted.at(-1)!.pinged, []);
  });

  test('a long title and summary are cut to the embed limits; an empty body with a title still sends the embed alone', async () => {
    assertOutcomeKind(await send({}, { title: 'T'.repeat(300), summary: 'S'.repeat(5_000), markdown: '' }), 'sent');
    const { body } = server.accepted.at(-1)!;
    assert.equal(body.content, undefined);
    assert.equal([...body.embeds[0].title].length, 256);
    assert.ok(body.embeds[0].title.endsWith('…'));
    assert.equal([...body.embeds[0].description].length, 4_096);
  });

  test('nothing to send is failed DISCORD_50006 (empty message)', async () => {
    const outcome = await send({}, { title: ' ', summary: undefined, markdown: '' });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'DISCORD_50006');
  });

  test('content over 2,000 characters is failed DISCORD_50035 with the field Discord names', async () => {
    const outcome = await send({}, { markdown: 'x'.repeat(2_001) });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'DISCORD_50035');
    assert.match(outcome.message, /Invalid Form Body.*content.*2000 or fewer/);
  });

  test('an unknown webhook is failed DISCORD_10015; a wrong token is failed DISCORD_50027 and the message does not carry it', async () => {
    const unknown = await send({ webhookId: '1234567890123456780' });
    assertOutcomeKind(unknown, 'failed');
    assert.deepEqual([unknown.code, unknown.message], ['DISCORD_10015', 'Discord 10015: Unknown Webhook']);
    const wrongToken = 'Yy9_otherWebhookToken-0123456789abcdefABCDEF0123456789';
    const badToken = await send({ webhookToken: wrongToken });
    assertOutcomeKind(badToken, 'failed');
    assert.equal(badToken.code, 'DISCORD_50027');
    assert.ok(!badToken.message.includes(wrongToken));
  });

  test('429 is rate_limited DISCORD_429 for the body retry_after (seconds, float) — the 6th message in 2 s', async () => {
    const hook = sender();
    for (let i = 0; i < 5; i++) {
      assertOutcomeKind(await hook.send(sampleSendRequest(), environment.context()), 'sent');
      clock.advance(100);
    }
    clock.advance(350);
    const outcome = await hook.send(sampleSendRequest(), environment.context());
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'DISCORD_429');
    // The first of the five was 850 ms ago: its slot frees in 1.15 s.
    assert.equal(outcome.retryAfterMs, 1_150);
  });

  test("Discord's 500 is retry HTTP_500, an edge 502 retry HTTP_502, a 200 that is not JSON retry INVALID_RESPONSE", async () => {
    const cases: Array<['server-error' | 'transient-error' | 'invalid-json', string]> = [
      ['server-error', 'HTTP_500'],
      ['transient-error', 'HTTP_502'],
      ['invalid-json', 'INVALID_RESPONSE'],
    ];
    for (const [mode, code] of cases) {
      server.setMode(mode);
      const outcome = await send();
      assertOutcomeKind(outcome, 'retry');
      assert.equal(outcome.code, code, mode);
    }
  });

  test('a transport error quoting the URL is redacted: the webhook token never reaches an outcome', async () => {
    const quotingDispatcher = {
      dispatch(options: Dispatcher.DispatchOptions) {
        throw Object.assign(new Error(`socket hang up: POST ${String(options.origin)}${options.path}`), { code: 'ECONNRESET' });
      },
    } as unknown as Dispatcher;
    const outcome = await sender().send(sampleSendRequest(), environment.context({ http: quotingDispatcher }));
    assertOutcomeKind(outcome, 'retry');
    assert.match(outcome.message, new RegExp(`/api/webhooks/${WEBHOOK_ID}/\\*{8}\\?wait=true`));
    assert.ok(!outcome.message.includes(WEBHOOK_TOKEN));
  });

  test('validateConfig refuses a non-http baseUrl or avatar and a username Discord refuses', () => {
    const base = { webhookId: WEBHOOK_ID, webhookToken: WEBHOOK_TOKEN };
    assert.throws(() => discordWebhookProvider.validateConfig!({ ...base, baseUrl: 'file:///etc/passwd' }), { code: 'OUTBOUND_URL_NOT_ALLOWED' });
    assert.throws(() => discordWebhookProvider.validateConfig!({ ...base, avatarUrl: 'ftp://x.example/a.png' }), { code: 'OUTBOUND_URL_NOT_ALLOWED' });
    assert.throws(() => discordWebhookProvider.validateConfig!({ ...base, username: 'Discord Bot' }), { code: 'DISCORD_USERNAME_INVALID' });
    assert.deepEqual(discordWebhookProvider.secretFields, ['webhookToken']);
  });
});

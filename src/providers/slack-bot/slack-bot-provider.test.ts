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
import { slackBotProvider, type SlackBotConfig } from './slack-bot-provider.ts';
import { startSlackBotTestServer, type SlackBotTestServer } from './slack-bot-test-server.ts';

const BOT_TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const CHANNEL = 'C0123456789';
const serverOptions = { botToken: BOT_TOKEN, channels: [CHANNEL], archivedChannels: ['C0ARCHIVED1'], users: ['U0123456789'] };

describeProviderConformance<SlackBotConfig>({
  definition: slackBotProvider,
  startServer: () => startSlackBotTestServer(serverOptions),
  accountConfig: (port) => ({ botToken: BOT_TOKEN, baseUrl: `http://127.0.0.1:${port}` }),
  address: CHANNEL,
  invalidConfigs: [
    { name: 'a user token instead of a bot token', config: { botToken: 'xoxp-123-456' } },
    { name: 'missing botToken', config: { baseUrl: 'https://slack.com' } },
  ],
});

describe('slack-bot provider', () => {
  const clock = new ManualClock();
  let server: SlackBotTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startSlackBotTestServer({ ...serverOptions, clock });
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => server.setMode('normal'));

  const sender = (config: Partial<SlackBotConfig> = {}) =>
    slackBotProvider.createSender({ id: 'acc_bot', name: 'herald bot', config: { botToken: BOT_TOKEN, baseUrl: server.baseUrl, ...config } }, testSenderEnvironment());
  const send = (address: string | null = CHANNEL, content: Partial<RenderedMessage> = {}, config: Partial<SlackBotConfig> = {}) => {
    const request = sampleSendRequest({ address });
    return sender(config).send({ ...request, content: { ...request.content, ...content } }, environment.context());
  };

  test('posts channel, text and blocks; channel:ts is the message id', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*herald v1.2.3* is live' } }];
    const outcome = await send(CHANNEL, { extras: { slackBlocks: blocks } });
    assertOutcomeKind(outcome, 'sent');
    const posted = server.messages.at(-1)!;
    assert.equal(outcome.providerMessageId, `${CHANNEL}:${posted.ts}`);
    assert.match(posted.ts, new RegExp(`^${Math.floor(clock.now() / 1000)}\\.\\d{6}$`));
    assert.deepEqual(posted.payload, { text: sampleSendRequest().content.markdown, blocks });
  });

  test('a user id lands in the DM channel, which the message id names', async () => {
    const outcome = await send('U0123456789');
    assertOutcomeKind(outcome, 'sent');
    assert.ok(outcome.providerMessageId?.startsWith('D0123456789:'));
  });

  test('Slack errors answered with HTTP 200 are permanent: channel_not_found, is_archived, invalid_auth', async () => {
    for (const [address, config, code] of [
      ['C0NOTMEMBER', {}, 'SLACK_channel_not_found'],
      ['C0ARCHIVED1', {}, 'SLACK_is_archived'],
      [CHANNEL, { botToken: 'xoxb-revoked' }, 'SLACK_invalid_auth'],
    ] as const) {
      const outcome = await send(address, {}, config);
      assertOutcomeKind(outcome, 'failed');
      assert.equal(outcome.code, code);
    }
  });

  test('ratelimited (HTTP 429) is rate_limited with the Retry-After delay', async () => {
    server.setMode('throttled');
    const outcome = await send();
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'SLACK_ratelimited');
    assert.equal(outcome.retryAfterMs, 3000);
  });

  test('a send without an address fails without calling Slack', async () => {
    const before = server.requestCount;
    const outcome = await send(null);
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'ADDRESS_MISSING');
    assert.equal(server.requestCount, before);
  });

  test('recall deletes the message with chat.delete; a second recall finds nothing', async () => {
    const outcome = await send();
    assertOutcomeKind(outcome, 'sent');
    const sent = { providerMessageId: outcome.providerMessageId!, addresses: [CHANNEL], sentAtMs: clock.now() };
    const count = server.messages.length;
    assert.deepEqual(await sender().recall!(sent, environment.context()), { kind: 'recalled' });
    assert.equal(server.messages.length, count - 1);
    assert.deepEqual(await sender().recall!(sent, environment.context()), { kind: 'failed', code: 'SLACK_message_not_found', message: 'Slack error: message_not_found' });
    server.setMode('throttled');
    const throttled = await sender().recall!(sent, environment.context());
    assert.equal(throttled.kind, 'retry');
    assert.equal(throttled.kind === 'retry' && throttled.retryAfterMs, 3000);
  });
});

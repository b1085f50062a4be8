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
import { outcomeFromSlackWebhookAnswer, slackWebhookProvider, type SlackWebhookConfig } from './slack-webhook-provider.ts';
import { startSlackWebhookTestServer, type SlackWebhookTestServer } from './slack-webhook-test-server.ts';

const PATH = 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';
const BLOCKS = [
  { type: 'header', text: { type: 'plain_text', text: 'Deploy finished', emoji: true } },
  { type: 'section', text: { type: 'mrkdwn', text: '*herald v1.2.3* is live on production.' } },
  { type: 'divider' },
];

describeProviderConformance<SlackWebhookConfig>({
  definition: slackWebhookProvider,
  startServer: () => startSlackWebhookTestServer({ path: PATH }),
  accountConfig: (port) => ({ webhookUrl: `http://127.0.0.1:${port}/services/${PATH}` }),
  invalidConfigs: [{ name: 'empty webhookUrl', config: { webhookUrl: '' } }],
});

describe('slack-webhook provider', () => {
  const clock = new ManualClock();
  let server: SlackWebhookTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startSlackWebhookTestServer({ path: PATH, clock, throttlePerSecond: 1 });
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => {
    server.setMode('normal');
    clock.advance(1001); // a fresh second for the throttle
  });

  const send = (content: Partial<RenderedMessage> = {}, webhookUrl = server.webhookUrl) => {
    const request = sampleSendRequest();
    return slackWebhookProvider
      .createSender({ id: 'acc_slack', name: 'alerts', config: { webhookUrl } }, testSenderEnvironment())
      .send({ ...request, content: { ...request.content, ...content } }, environment.context());
  };

  test('posts the mrkdwn text and the rendered blocks; mentions go in both', async () => {
    const outcome = await send({ extras: { slackBlocks: BLOCKS, mentions: { userIds: ['U0123ABCD', 'not an id'], mobiles: ['13800000000'], all: true } } });
    assertOutcomeKind(outcome, 'sent');
    const markdown = sampleSendRequest().content.markdown;
    assert.deepEqual(server.received.at(-1), {
      text: `${markdown}\n\n<@U0123ABCD> <!channel>`,
      blocks: [...BLOCKS, { type: 'section', text: { type: 'mrkdwn', text: '<@U0123ABCD> <!channel>' } }],
    });
  });

  test('content without blocks is sent as text alone', async () => {
    assertOutcomeKind(await send(), 'sent');
    assert.deepEqual(server.received.at(-1), { text: sampleSendRequest().content.markdown });
  });

  test('a second message within the second is rate_limited with the Retry-After delay', async () => {
    assertOutcomeKind(await send(), 'sent');
    const outcome = await send();
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'SLACK_rate_limited');
    assert.equal(outcome.retryAfterMs, 1000);
    assert.deepEqual(slackWebhookProvider.defaultFlowLimits, [{ count: 1, perSeconds: 1 }]);
  });

  test("Slack's plain-text errors are permanent with their word as the code", async () => {
    const wrongToken = await send({}, `${server.baseUrl}/services/T00000000/B00000000/wrong`);
    assertOutcomeKind(wrongToken, 'failed');
    assert.equal(wrongToken.code, 'SLACK_invalid_token');

    server.setMode('archived');
    const archived = await send();
    assertOutcomeKind(archived, 'failed');
    assert.equal(archived.code, 'SLACK_channel_is_archived');

    server.setMode('normal');
    const tooLong = await send({ extras: { slackBlocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] } });
    assertOutcomeKind(tooLong, 'failed');
    assert.equal(tooLong.code, 'SLACK_invalid_blocks');

    const empty = await send({ markdown: '', text: '' });
    assertOutcomeKind(empty, 'failed');
    assert.equal(empty.code, 'SLACK_no_text');
  });

  test('a 2xx other than ok and a 5xx with an error word are transient', () => {
    const now = clock.now();
    assertOutcomeKind(outcomeFromSlackWebhookAnswer({ statusCode: 200, headers: {}, body: '<html>proxy</html>' }, now), 'retry');
    const unavailable = outcomeFromSlackWebhookAnswer({ statusCode: 503, headers: { 'retry-after': '30' }, body: 'service_unavailable' }, now);
    assertOutcomeKind(unavailable, 'retry');
    assert.equal(unavailable.retryAfterMs, 30_000);
  });
});

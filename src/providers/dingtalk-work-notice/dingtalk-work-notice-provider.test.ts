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
import type { ProviderSender, SendRequest } from '../provider.ts';
import { dingtalkWorkNoticeProvider, type DingtalkWorkNoticeConfig } from './dingtalk-work-notice-provider.ts';
import { startDingtalkWorkNoticeTestServer, type DingtalkWorkNoticeTestServer } from './dingtalk-work-notice-test-server.ts';

const APP_KEY = 'dingappkey0123';
const APP_SECRET = 'dingappsecret-0123456789';
const AGENT_ID = 2_198_765_432;

const config = (port: number, extra: Partial<DingtalkWorkNoticeConfig> = {}): DingtalkWorkNoticeConfig => ({
  appKey: APP_KEY,
  appSecret: APP_SECRET,
  agentId: AGENT_ID,
  baseUrl: `http://127.0.0.1:${port}`,
  ...extra,
});

describeProviderConformance<DingtalkWorkNoticeConfig>({
  definition: dingtalkWorkNoticeProvider,
  startServer: () => startDingtalkWorkNoticeTestServer({ appKey: APP_KEY, appSecret: APP_SECRET, agentId: AGENT_ID }),
  accountConfig: (port) => config(port),
  address: 'manager0001',
  batchAddresses: ['manager0001', 'manager0002', 'manager0003'],
  invalidConfigs: [
    { name: 'missing appSecret', config: { appKey: APP_KEY, agentId: AGENT_ID } },
    { name: 'agentId not an integer', config: { appKey: APP_KEY, appSecret: APP_SECRET, agentId: '2198765432' } },
    { name: 'unknown messageType', config: { appKey: APP_KEY, appSecret: APP_SECRET, agentId: AGENT_ID, messageType: 'oa' } },
  ],
});

describe('dingtalk-work-notice provider', () => {
  const clock = new ManualClock();
  let server: DingtalkWorkNoticeTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startDingtalkWorkNoticeTestServer({ appKey: APP_KEY, appSecret: APP_SECRET, agentId: AGENT_ID, clock });
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => server.setMode('normal'));

  const senderFor = (extra: Partial<DingtalkWorkNoticeConfig> = {}): ProviderSender =>
    dingtalkWorkNoticeProvider.createSender({ id: 'acc_notice', name: 'notices', config: config(server.port, extra) }, testSenderEnvironment());
  const requestTo = (address: string, overrides: Partial<SendRequest> = {}) => sampleSendRequest({ address, deliveryId: `dlv_${address}`, ...overrides });
  const sentAt = (providerMessageId: string, addresses: string[]) => ({ providerMessageId, addresses, sentAtMs: clock.now() });

  test('declares its limits: 100 recipients a call, 5000 a minute, recall and results within 24 h', () => {
    assert.equal(dingtalkWorkNoticeProvider.maxRecipientsPerCall, 100);
    assert.deepEqual(dingtalkWorkNoticeProvider.defaultFlowLimits, [{ count: 5000, perSeconds: 60 }]);
    assert.equal(dingtalkWorkNoticeProvider.recallWindowSeconds, 86_400);
    assert.deepEqual(dingtalkWorkNoticeProvider.results, { firstCheckAfterSeconds: 10, windowSeconds: 86_400 });
    assert.deepEqual(dingtalkWorkNoticeProvider.secretFields, ['appSecret']);
  });

  test('sends markdown to the user with the agent id, answering the task id as the provider message id', async () => {
    const outcome = await senderFor().send(requestTo('manager0001'), environment.context());
    assertOutcomeKind(outcome, 'sent');
    const task = server.tasks.at(-1)!;
    assert.equal(outcome.providerMessageId, String(task.taskId));
    assert.equal(task.agentId, AGENT_ID);
    assert.deepEqual(task.userIds, ['manager0001']);
    const { content } = sampleSendRequest();
    assert.deepEqual(task.msg, { msgtype: 'markdown', markdown: { title: content.title, text: content.markdown } });
  });

  test('text and action_card messages; an action card without a url falls back to markdown', async () => {
    const { content } = sampleSendRequest();
    assertOutcomeKind(await senderFor({ messageType: 'text' }).send(requestTo('manager0001'), environment.context()), 'sent');
    assert.deepEqual(server.tasks.at(-1)!.msg, { msgtype: 'text', text: { content: content.text } });

    assertOutcomeKind(await senderFor({ messageType: 'action_card' }).send(requestTo('manager0001'), environment.context()), 'sent');
    assert.deepEqual(server.tasks.at(-1)!.msg, {
      msgtype: 'action_card',
      action_card: { title: content.title, markdown: content.markdown, single_title: '查看详情', single_url: content.url },
    });

    const withoutUrl = { ...content, url: undefined };
    assertOutcomeKind(await senderFor({ messageType: 'action_card' }).send(requestTo('manager0001', { content: withoutUrl }), environment.context()), 'sent');
    assert.equal(server.tasks.at(-1)!.msg.msgtype, 'markdown');
  });

  test('a batch is one call with a comma-separated userid_list, and one outcome per recipient', async () => {
    const tasksBefore = server.tasks.length;
    const outcomes = await senderFor().sendBatch!(['u1', 'u2', 'u3'].map((id) => requestTo(id)), environment.context());
    assert.equal(server.tasks.length, tasksBefore + 1);
    const task = server.tasks.at(-1)!;
    assert.deepEqual(task.userIds, ['u1', 'u2', 'u3']);
    assert.deepEqual(outcomes, [0, 1, 2].map(() => ({ kind: 'sent', providerMessageId: String(task.taskId) })));
  });

  test('fetches the token once and reuses it; an expired token (40014) is refreshed and the call repeated once', async () => {
    const sender = senderFor();
    assertOutcomeKind(await sender.send(requestTo('manager0001'), environment.context()), 'sent');
    const issued = server.tokensIssued;
    assertOutcomeKind(await sender.send(requestTo('manager0001'), environment.context()), 'sent');
    assert.equal(server.tokensIssued, issued, 'the cached token was reused');

    server.expireToken();
    const requestsBefore = server.requestCount;
    assertOutcomeKind(await sender.send(requestTo('manager0001'), environment.context()), 'sent');
    assert.equal(server.tokensIssued, issued + 1);
    assert.equal(server.requestCount - requestsBefore, 3, 'refused send, gettoken, repeated send');
  });

  test('wrong app credentials are failed DINGTALK_40096, with no send attempted', async () => {
    const tasksBefore = server.tasks.length;
    const environmentWithFreshTokens = createTestProviderEnvironment({ clock });
    try {
      const outcome = await senderFor({ appSecret: 'wrong-secret', appKey: 'other-app' }).send(requestTo('manager0001'), environmentWithFreshTokens.context());
      assertOutcomeKind(outcome, 'failed');
      assert.equal(outcome.code, 'DINGTALK_40096');
      assert.equal(server.tasks.length, tasksBefore);
    } finally {
      await environmentWithFreshTokens.close();
    }
  });

  test('system busy (-1) is retry DINGTALK_-1; a wrong agent id is failed; a 502 is retry; no task_id is retry', async () => {
    server.setMode('busy');
    const busy = await senderFor().send(requestTo('manager0001'), environment.context());
    assertOutcomeKind(busy, 'retry');
    assert.equal(busy.code, 'DINGTALK_-1');

    server.setMode('normal');
    const wrongAgent = await senderFor({ agentId: 1 }).send(requestTo('manager0001'), environment.context());
    assertOutcomeKind(wrongAgent, 'failed');
    assert.equal(wrongAgent.code, 'DINGTALK_400002');

    server.setMode('transient-error');
    const badGateway = await senderFor().send(requestTo('manager0001'), environment.context());
    assertOutcomeKind(badGateway, 'retry');
    assert.equal(badGateway.code, 'HTTP_502');

    server.setMode('invalid-json');
    const unreadable = await senderFor().send(requestTo('manager0001'), environment.context());
    assertOutcomeKind(unreadable, 'retry');
    assert.equal(unreadable.code, 'INVALID_RESPONSE');
  });

  test('a delivery without a user id is failed ADDRESS_MISSING without a call', async () => {
    const requestsBefore = server.requestCount;
    const outcome = await senderFor().send(sampleSendRequest({ address: null }), environment.context());
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'ADDRESS_MISSING');
    assert.equal(server.requestCount, requestsBefore);
  });

  test('results: unread is delivered, read is read, invalid/forbidden/failed users are failed, unlisted users pending', async () => {
    const users = ['r-unread', 'r-read', 'r-invalid', 'r-daily', 'r-failed', 'r-pending', 'r-forbidden'];
    server.markUser('r-read', 'read');
    server.markUser('r-invalid', 'invalid');
    server.markUser('r-daily', { forbiddenCode: 143105 });
    server.markUser('r-failed', 'failed');
    server.markUser('r-pending', 'pending');
    server.markUser('r-forbidden', { forbiddenCode: 143999 });
    const sender = senderFor();
    const [sent] = await sender.sendBatch!(users.map((id) => requestTo(id)), environment.context());
    assertOutcomeKind(sent!, 'sent');
    const outcome = await sender.fetchResults!(sentAt(sent.providerMessageId!, users), environment.context());
    assert.equal(outcome.kind, 'results');
    assert.deepEqual(outcome.kind === 'results' && outcome.byAddress, {
      'r-unread': { status: 'delivered' },
      'r-read': { status: 'read' },
      'r-invalid': { status: 'undelivered', code: 'DINGTALK_INVALID_USER', message: 'DingTalk invalid_user_id_list: not a user of this organisation, or the id is wrong' },
      'r-daily': { status: 'undelivered', code: 'DINGTALK_143105', message: 'DingTalk forbidden 143105: over the daily notice limit for this user' },
      'r-failed': { status: 'undelivered', code: 'DINGTALK_FAILED_USER', message: 'DingTalk failed_user_id_list: the platform failed to deliver to this user' },
      'r-pending': { status: 'pending' },
      'r-forbidden': { status: 'undelivered', code: 'DINGTALK_143999', message: 'DingTalk forbidden 143999: the platform refused to deliver to this user' },
    });
    assert.equal(server.resultQueries.at(-1), Number(sent.providerMessageId));
  });

  test('results of a task older than 24 h are failed; a busy platform is retry; results refresh an expired token', async () => {
    const sender = senderFor();
    const sent = await sender.send(requestTo('old-user'), environment.context());
    assertOutcomeKind(sent, 'sent');

    server.expireToken();
    const fresh = await sender.fetchResults!(sentAt(sent.providerMessageId!, ['old-user']), environment.context());
    assert.equal(fresh.kind, 'results');

    server.setMode('busy');
    const busy = await sender.fetchResults!(sentAt(sent.providerMessageId!, ['old-user']), environment.context());
    assert.deepEqual(busy, { kind: 'retry', code: 'DINGTALK_-1', message: 'DingTalk errcode -1: 系统繁忙' });

    server.setMode('normal');
    clock.advance(24 * 3600_000 + 1000);
    const old = await sender.fetchResults!(sentAt(sent.providerMessageId!, ['old-user']), environment.context());
    assert.equal(old.kind, 'failed');
    assert.equal(old.kind === 'failed' && old.code, 'DINGTALK_400003');
  });

  test('recall posts the task id with the agent id; a task the platform no longer knows is failed', async () => {
    const sender = senderFor();
    const sent = await sender.send(requestTo('manager0001'), environment.context());
    assertOutcomeKind(sent, 'sent');
    assert.deepEqual(await sender.recall!(sentAt(sent.providerMessageId!, ['manager0001']), environment.context()), { kind: 'recalled' });
    assert.equal(server.tasks.at(-1)!.recalled, true);

    const unknown = await sender.recall!(sentAt('123', ['manager0001']), environment.context());
    assert.equal(unknown.kind, 'failed');
    assert.equal(unknown.kind === 'failed' && unknown.code, 'DINGTALK_400003');

    server.setMode('transient-error');
    const later = await sender.recall!(sentAt(sent.providerMessageId!, ['manager0001']), environment.context());
    assert.equal(later.kind, 'retry');
  });

  test('validateConfig refuses a baseUrl that is not http(s)', () => {
    assert.throws(() => dingtalkWorkNoticeProvider.validateConfig!({ ...config(1), baseUrl: 'file:///etc/passwd' }), { code: 'OUTBOUND_URL_NOT_ALLOWED' });
  });
});

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../../clock.ts';
import { createProviderTokenCache } from '../../dispatch/provider-token-cache.ts';
import { testCryptoBox } from '../../../test/support/dispatch-test-kit.ts';
import { createMigratedDatabase, testDialects } from '../../../test/support/test-databases.ts';
import { describeProviderConformance } from '../conformance/provider-conformance.ts';
import {
  assertOutcomeKind,
  createTestProviderEnvironment,
  memoryTokenCache,
  sampleSendRequest,
  type TestProviderEnvironment,
  testSenderEnvironment,
} from '../conformance/provider-test-support.ts';
import type { ProviderContext, ProviderSender, RecallOutcome, RenderedMessage, SendOutcome, SendRequest } from '../provider.ts';
import { wecomAppProvider, wecomRecipientFields, type WecomAppConfig } from './wecom-app-provider.ts';
import { startWecomAppTestServer, WECOM_TEST_RECALL_EXPIRED_ERRCODE, type WecomAppTestServer } from './wecom-app-test-server.ts';

const CORP_ID = 'ww0123456789abcdef';
const CORP_SECRET = 'app-secret-0123456789';
const AGENT_ID = 1000002;
const serverOptions = (clock?: ManualClock) => ({ corpId: CORP_ID, corpSecret: CORP_SECRET, agentId: AGENT_ID, clock });

describeProviderConformance<WecomAppConfig>({
  definition: wecomAppProvider,
  startServer: () => startWecomAppTestServer(serverOptions()),
  accountConfig: (port) => ({ corpId: CORP_ID, corpSecret: CORP_SECRET, agentId: AGENT_ID, baseUrl: `http://127.0.0.1:${port}` }),
  address: 'zhangsan',
  batchAddresses: ['zhangsan', 'lisi', 'party:2'],
  invalidConfigs: [
    { name: 'missing agentId', config: { corpId: CORP_ID, corpSecret: CORP_SECRET } },
    { name: 'agentId not an integer', config: { corpId: CORP_ID, corpSecret: CORP_SECRET, agentId: '1000002' } },
    { name: 'unknown messageType', config: { corpId: CORP_ID, corpSecret: CORP_SECRET, agentId: AGENT_ID, messageType: 'news' } },
  ],
});

/** Requests for `addresses`, one delivery each, sharing one message's content. */
function requestsFor(addresses: readonly string[], content: Partial<RenderedMessage> = {}): SendRequest[] {
  const base = sampleSendRequest();
  return addresses.map((address, index) => ({
    ...base,
    deliveryId: `dlv_${index}`,
    dedupKey: `${base.messageId}:${index}`,
    address,
    content: { ...base.content, ...content },
  }));
}

const users = (count: number, prefix = 'user') => Array.from({ length: count }, (_, index) => `${prefix}${index}`);

describe('wecom-app addresses', () => {
  test('users, party:<id>, tag:<id> and @all go to touser, toparty and totag', () => {
    assert.deepEqual(wecomRecipientFields(['zhangsan', 'party:2', 'lisi', 'tag:7', 'party:3']), { touser: 'zhangsan|lisi', toparty: '2|3', totag: '7' });
    assert.deepEqual(wecomRecipientFields(['zhangsan', '@all']), { touser: '@all' });
    assert.deepEqual(wecomRecipientFields(['party:']), { touser: 'party:' }, 'an empty department id is taken as a user id (WeCom refuses it)');
  });
});

describe('wecom-app provider', () => {
  const clock = new ManualClock();
  let server: WecomAppTestServer;
  let environment: TestProviderEnvironment;
  let context: ProviderContext;

  before(async () => {
    server = await startWecomAppTestServer(serverOptions(clock));
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => {
    server.setMode('normal');
    // A fresh token cache per test, so each test sees its own token fetches.
    context = environment.context({ tokens: memoryTokenCache() });
  });

  const senderWith = (config: Partial<WecomAppConfig> = {}): ProviderSender =>
    wecomAppProvider.createSender(
      { id: 'acc_wecom_app', name: 'notices', config: { corpId: CORP_ID, corpSecret: CORP_SECRET, agentId: AGENT_ID, baseUrl: server.baseUrl, ...config } },
      testSenderEnvironment(),
    );
  const sendOne = (address: string, config: Partial<WecomAppConfig> = {}, content: Partial<RenderedMessage> = {}) =>
    senderWith(config).send(requestsFor([address], content)[0], context);

  test('sends markdown to the user with the agentid, and keeps the msgid', async () => {
    const outcome = await sendOne('zhangsan');
    assertOutcomeKind(outcome, 'sent');
    const last = server.sent.at(-1)!;
    assert.equal(outcome.providerMessageId, last.msgid);
    assert.deepEqual(last.body, { touser: 'zhangsan', agentid: AGENT_ID, msgtype: 'markdown', markdown: { content: sampleSendRequest().content.markdown } });
  });

  test('the token is fetched once for many sends', async () => {
    const fetchesBefore = server.tokenFetchCount;
    const sender = senderWith();
    // Concurrent fetches are the token cache's concern: see the database token cache tests below.
    for (const user of users(10)) assertOutcomeKind(await sender.send(requestsFor([user])[0], context), 'sent');
    assert.equal(server.tokenFetchCount - fetchesBefore, 1);
  });

  test('a token that expires mid-run is refreshed once and the send goes through', async () => {
    const sender = senderWith();
    assertOutcomeKind(await sender.send(requestsFor(['zhangsan'])[0], context), 'sent');
    const fetchesBefore = server.tokenFetchCount;
    const requestsBefore = server.requestCount;
    server.expireTokens();
    assertOutcomeKind(await sender.send(requestsFor(['lisi'])[0], context), 'sent');
    assertOutcomeKind(await sender.send(requestsFor(['wangwu'])[0], context), 'sent');
    assert.equal(server.tokenFetchCount - fetchesBefore, 1, 'one fresh token');
    assert.equal(server.requestCount - requestsBefore, 4, 'rejected send, gettoken, the send again, the next send');
  });

  test('a token rejected twice in a row is retry, after exactly one refresh', async () => {
    const sender = senderWith();
    assertOutcomeKind(await sender.send(requestsFor(['zhangsan'])[0], context), 'sent');
    const fetchesBefore = server.tokenFetchCount;
    server.failNextCalls(40014, 'invalid access_token', 2);
    const outcome = await sender.send(requestsFor(['zhangsan'])[0], context);
    assertOutcomeKind(outcome, 'retry');
    assert.equal(outcome.code, 'WECOM_40014');
    assert.equal(server.tokenFetchCount - fetchesBefore, 1);
  });

  test('a wrong corpsecret or corpid fails on gettoken, without sending', async () => {
    const sentBefore = server.sent.length;
    const badSecret = await sendOne('zhangsan', { corpSecret: 'wrong' });
    assertOutcomeKind(badSecret, 'failed');
    assert.equal(badSecret.code, 'WECOM_40001');
    assert.match(badSecret.message, /gettoken/);
    const badCorp = await sendOne('zhangsan', { corpId: 'ww-nope' });
    assertOutcomeKind(badCorp, 'failed');
    assert.equal(badCorp.code, 'WECOM_40013');
    assert.equal(server.sent.length, sentBefore);
  });

  test('gettoken answering 5xx or busy is retry', async () => {
    server.setMode('transient-error');
    const outcome = await sendOne('zhangsan');
    assertOutcomeKind(outcome, 'retry');
    assert.equal(outcome.code, 'HTTP_500');
  });

  test('2,500 requests split by the caller into batches of 1000, 1000 and 500: three sends', async () => {
    const sender = senderWith();
    const all = requestsFor(users(2_500));
    const sentBefore = server.sent.length;
    const fetchesBefore = server.tokenFetchCount;
    const outcomes: SendOutcome[] = [];
    for (const size of [1_000, 1_000, 500]) {
      const batch = all.slice(outcomes.length, outcomes.length + size);
      outcomes.push(...(await sender.sendBatch!(batch, context)));
    }
    const calls = server.sent.slice(sentBefore);
    assert.deepEqual(calls.map((call) => call.users.length), [1_000, 1_000, 500]);
    assert.deepEqual(calls.flatMap((call) => call.users), users(2_500));
    assert.equal(outcomes.length, 2_500);
    outcomes.forEach((outcome, index) => {
      assertOutcomeKind(outcome, 'sent');
      assert.equal(outcome.providerMessageId, calls[Math.floor(index / 1_000)].msgid);
    });
    assert.equal(server.tokenFetchCount - fetchesBefore, 1);
    await assert.rejects(() => sender.sendBatch!(requestsFor(users(1_001)), context), /at most 1000/);
  });

  test('3 invalid users in a batch: exactly those fail WECOM_INVALID_USER, the rest are sent', async () => {
    server.markInvalid({ users: ['ghost1', 'ghost2', 'ghost3'] });
    const addresses = [...users(10), 'ghost1', ...users(5, 'more'), 'ghost2', 'ghost3'];
    const outcomes = await senderWith().sendBatch!(requestsFor(addresses), context);
    const msgid = server.sent.at(-1)!.msgid;
    outcomes.forEach((outcome, index) => {
      if (addresses[index].startsWith('ghost')) {
        assertOutcomeKind(outcome, 'failed');
        assert.equal(outcome.code, 'WECOM_INVALID_USER');
        assert.match(outcome.message, new RegExp(`user "${addresses[index]}".*invaliduser`));
      } else {
        assert.deepEqual(outcome, { kind: 'sent', providerMessageId: msgid });
      }
    });
    assert.equal(outcomes.filter((outcome) => outcome.kind === 'failed').length, 3);
  });

  test('invalid departments and tags and unlicensed users fail with their own codes', async () => {
    server.markInvalid({ parties: ['404'], tags: ['99'], unlicensedUsers: ['intern'] });
    const outcomes = await senderWith().sendBatch!(requestsFor(['zhangsan', 'party:404', 'party:2', 'tag:99', 'intern']), context);
    assert.deepEqual(
      outcomes.map((outcome) => (outcome.kind === 'failed' ? outcome.code : outcome.kind)),
      ['sent', 'WECOM_INVALID_PARTY', 'sent', 'WECOM_INVALID_TAG', 'WECOM_UNLICENSED_USER'],
    );
    assert.deepEqual(server.sent.at(-1)!.body.toparty, '404|2');
  });

  test('nobody valid (82001) fails every request', async () => {
    server.markInvalid({ users: ['gone1', 'gone2'] });
    const outcomes = await senderWith().sendBatch!(requestsFor(['gone1', 'gone2']), context);
    for (const outcome of outcomes) {
      assertOutcomeKind(outcome, 'failed');
      assert.equal(outcome.code, 'WECOM_82001');
    }
  });

  test('a whole-call failure is the same outcome for every request: 45009 rate limited, -1 retry, 60020 failed', async () => {
    const expectations: Array<[number, SendOutcome['kind']]> = [[45009, 'rate_limited'], [-1, 'retry'], [60020, 'failed'], [40058, 'failed']];
    for (const [errcode, kind] of expectations) {
      server.failNextCalls(errcode, `errcode ${errcode} from the test server`);
      const outcomes = await senderWith().sendBatch!(requestsFor(['zhangsan', 'lisi']), context);
      assert.equal(outcomes.length, 2);
      for (const outcome of outcomes) {
        assert.equal(outcome.kind, kind);
        assert.ok(outcome.kind !== 'sent');
        assert.equal(outcome.code, `WECOM_${errcode}`);
        if (outcome.kind === 'rate_limited') assert.equal(outcome.retryAfterMs, 60_000);
      }
    }
  });

  test('the template textcard wins over the account messageType; button text is cut to 4 characters', async () => {
    const textcard = { title: 'Order A-1024 paid', description: '<div class="gray">2026-01-05</div>', url: 'https://shop.example.com/orders/A-1024', btnText: 'View details' };
    assertOutcomeKind(await sendOne('zhangsan', { messageType: 'text' }, { extras: { wecom: { textcard } } }), 'sent');
    assert.deepEqual(server.sent.at(-1)!.body.textcard, {
      title: textcard.title,
      description: textcard.description,
      url: textcard.url,
      btntxt: 'View',
    });
  });

  test('the template text_notice card is sent as template_card', async () => {
    const templateCard = { title: 'Order paid', description: 'CN¥1,299.50', subTitle: 'Ada paid order A-1024', url: 'https://shop.example.com/orders/A-1024' };
    assertOutcomeKind(await sendOne('zhangsan', {}, { extras: { wecom: { templateCard } } }), 'sent');
    assert.deepEqual(server.sent.at(-1)!.body, {
      touser: 'zhangsan',
      agentid: AGENT_ID,
      msgtype: 'template_card',
      template_card: {
        card_type: 'text_notice',
        main_title: { title: 'Order paid', desc: 'CN¥1,299.50' },
        sub_title_text: 'Ada paid order A-1024',
        card_action: { type: 1, url: 'https://shop.example.com/orders/A-1024' },
      },
    });
  });

  test('textcard and template_card accounts build the card from title, summary and url; without a url they send markdown', async () => {
    const { content } = sampleSendRequest();
    assertOutcomeKind(await sendOne('zhangsan', { messageType: 'textcard' }), 'sent');
    assert.deepEqual(server.sent.at(-1)!.body.textcard, { title: content.title, description: content.summary, url: content.url });
    assertOutcomeKind(await sendOne('zhangsan', { messageType: 'template_card' }), 'sent');
    assert.deepEqual(server.sent.at(-1)!.body.template_card.main_title, { title: content.title, desc: content.summary });
    assertOutcomeKind(await sendOne('zhangsan', { messageType: 'textcard' }, { url: undefined }), 'sent');
    assert.equal(server.sent.at(-1)!.body.msgtype, 'markdown');
    assertOutcomeKind(await sendOne('zhangsan', { messageType: 'text' }), 'sent');
    assert.deepEqual(server.sent.at(-1)!.body.text, { content: content.text });
  });

  describe('recall', () => {
    const recall = async (sender: ProviderSender, providerMessageId: string, sentAtMs = clock.now()): Promise<RecallOutcome> =>
      sender.recall!({ providerMessageId, addresses: ['zhangsan'], sentAtMs }, context);

    test('recalls a message by its msgid', async () => {
      const sender = senderWith();
      const outcome = await sender.send(requestsFor(['zhangsan'])[0], context);
      assertOutcomeKind(outcome, 'sent');
      assert.deepEqual(await recall(sender, outcome.providerMessageId!), { kind: 'recalled' });
      assert.equal(server.recalled.at(-1), outcome.providerMessageId);
    });

    test('refreshes an expired token once', async () => {
      const sender = senderWith();
      const outcome = await sender.send(requestsFor(['zhangsan'])[0], context);
      assertOutcomeKind(outcome, 'sent');
      const fetchesBefore = server.tokenFetchCount;
      server.expireTokens();
      assert.deepEqual(await recall(sender, outcome.providerMessageId!), { kind: 'recalled' });
      assert.equal(server.tokenFetchCount - fetchesBefore, 1);
    });

    test('a message past the 24 h window fails with the platform code and says why', async () => {
      const sender = senderWith();
      const outcome = await sender.send(requestsFor(['zhangsan'])[0], context);
      assertOutcomeKind(outcome, 'sent');
      const sentAtMs = clock.now();
      clock.advance(25 * 60 * 60_000);
      server.expireTokens();
      const recalled = await recall(sender, outcome.providerMessageId!, sentAtMs);
      assert.equal(recalled.kind, 'failed');
      assert.ok(recalled.kind === 'failed');
      assert.equal(recalled.code, `WECOM_${WECOM_TEST_RECALL_EXPIRED_ERRCODE}`);
      assert.match(recalled.message, /more than 24 hours old/);
    });

    test('a server error is retry; a busy platform is retry', async () => {
      const sender = senderWith();
      server.setMode('transient-error');
      const failed = await recall(sender, 'msg-x');
      assert.equal(failed.kind, 'retry');
      server.setMode('normal');
      server.failNextCalls(45009, 'api freq out of limit');
      const throttled = await recall(sender, 'msg-x');
      assert.deepEqual(throttled.kind === 'retry' && [throttled.code, throttled.retryAfterMs], ['WECOM_45009', 60_000]);
    });
  });
});

for (const dialect of testDialects) {
  describe(`wecom-app with the database token cache on ${dialect}`, () => {
    const clock = new ManualClock();
    let server: WecomAppTestServer;
    let environment: TestProviderEnvironment;
    let closeDatabase: () => Promise<void>;
    let context: ProviderContext;

    beforeEach(async () => {
      server = await startWecomAppTestServer(serverOptions(clock));
      environment = createTestProviderEnvironment({ clock });
      const migrated = await createMigratedDatabase(dialect);
      closeDatabase = migrated.close;
      const tokens = createProviderTokenCache({ database: migrated.database, cryptoBox: testCryptoBox(), clock });
      context = environment.context({ tokens });
    });
    afterEach(async () => {
      await environment.close();
      await server.close();
      await closeDatabase();
    });

    test('concurrent batches share one token; an expired token is replaced once', async () => {
      const sender = wecomAppProvider.createSender(
        { id: 'acc_db', name: 'db', config: { corpId: CORP_ID, corpSecret: CORP_SECRET, agentId: AGENT_ID, baseUrl: server.baseUrl } },
        testSenderEnvironment(),
      );
      const batches = await Promise.all([0, 1, 2, 3].map((batch) => sender.sendBatch!(requestsFor(users(50, `b${batch}-`)), context)));
      for (const outcome of batches.flat()) assertOutcomeKind(outcome, 'sent');
      assert.equal(server.tokenFetchCount, 1);

      server.expireTokens();
      const again = await Promise.all([0, 1].map((batch) => sender.sendBatch!(requestsFor(users(3, `c${batch}-`)), context)));
      for (const outcome of again.flat()) assertOutcomeKind(outcome, 'sent');
      assert.equal(server.tokenFetchCount, 2);
      assert.equal(server.sent.length, 6);
    });
  });
}

import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../../clock.ts';
import { createProviderTokenCache } from '../../dispatch/provider-token-cache.ts';
import type { HeraldDatabase } from '../../storage/database.ts';
import { testCryptoBox } from '../../../test/support/dispatch-test-kit.ts';
import { createMigratedDatabase, testDialects } from '../../../test/support/test-databases.ts';
import { describeProviderConformance } from '../conformance/provider-conformance.ts';
import {
  assertOutcomeKind,
  createTestProviderEnvironment,
  sampleSendRequest,
  type TestProviderEnvironment,
  testSenderEnvironment,
} from '../conformance/provider-test-support.ts';
import type { ProviderSender, RecallOutcome, RenderedMessage, SendRequest, TokenCache } from '../provider.ts';
import { feishuAppProvider, feishuMessageUuid, type FeishuAppConfig } from './feishu-app-provider.ts';
import { startFeishuAppTestServer, type FeishuAppTestServer } from './feishu-app-test-server.ts';

const APP_ID = 'cli_a1b2c3d4e5f6a7b8';
const APP_SECRET = 'secret-0123456789abcdefghijkl';
const OPEN_ID = 'ou_7d8a6e6df7621556ce0d21922b676706ccs';

describeProviderConformance<FeishuAppConfig>({
  definition: feishuAppProvider,
  startServer: () => startFeishuAppTestServer({ appId: APP_ID, appSecret: APP_SECRET }),
  accountConfig: (port) => ({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: `http://127.0.0.1:${port}` }),
  address: OPEN_ID,
  batchAddresses: [OPEN_ID, 'ou_0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
  invalidConfigs: [
    { name: 'missing appSecret', config: { appId: APP_ID } },
    { name: 'unknown receiveIdType', config: { appId: APP_ID, appSecret: APP_SECRET, receiveIdType: 'mobile' } },
    { name: 'unknown messageType', config: { appId: APP_ID, appSecret: APP_SECRET, messageType: 'image' } },
  ],
});

describe('feishu-app definition', () => {
  test('declares the app limits (50 per second and 1000 per minute), the recall window and its secret', () => {
    assert.deepEqual(feishuAppProvider.defaultFlowLimits, [
      { count: 50, perSeconds: 1 },
      { count: 1000, perSeconds: 60 },
    ]);
    assert.equal(feishuAppProvider.recallWindowSeconds, 86_400);
    assert.equal(feishuAppProvider.maxRecipientsPerCall, 200);
    assert.equal(feishuAppProvider.target, 'address');
    assert.deepEqual(feishuAppProvider.secretFields, ['appSecret']);
  });

  test('uses the dedup key as uuid up to 50 characters, a stable 50-character digest beyond', () => {
    assert.equal(feishuMessageUuid('dlv_01jh0000000000000000000001'), 'dlv_01jh0000000000000000000001');
    const long = `${'k'.repeat(50)}:1`;
    assert.equal(feishuMessageUuid(long).length, 50);
    assert.equal(feishuMessageUuid(long), feishuMessageUuid(long));
    assert.notEqual(feishuMessageUuid(long), feishuMessageUuid(`${'k'.repeat(50)}:2`));
  });

  test('validateConfig refuses a baseUrl that is not http(s)', () => {
    assert.throws(() => feishuAppProvider.validateConfig!({ appId: APP_ID, appSecret: APP_SECRET, baseUrl: 'ftp://example.com' }), {
      code: 'OUTBOUND_URL_NOT_ALLOWED',
    });
  });
});

describe('feishu-app provider', () => {
  const clock = new ManualClock();
  let server: FeishuAppTestServer;
  let environment: TestProviderEnvironment;
  let serial = 0;

  const card = { header: { title: { tag: 'plain_text', content: 'Deploy finished' } }, elements: [{ tag: 'markdown', content: '**herald** is live' }] };
  const post = { zh_cn: { title: 'Deploy finished', content: [[{ tag: 'text', text: 'herald is live' }]] } };
  const content = (): RenderedMessage => ({ ...sampleSendRequest().content, extras: { feishuCard: card, feishuPost: post } });
  /** A request with a dedup key of its own, as each delivery has. */
  const request = (overrides: Partial<SendRequest> = {}): SendRequest => {
    const deliveryId = `dlv_01jh00000000000000000${String(++serial).padStart(5, '0')}`;
    return sampleSendRequest({ deliveryId, dedupKey: deliveryId, address: OPEN_ID, content: content(), ...overrides });
  };
  const sender = (config: Partial<FeishuAppConfig> = {}): ProviderSender =>
    feishuAppProvider.createSender(
      { id: 'acc_feishu_app', name: 'herald bot', config: { appId: APP_ID, appSecret: APP_SECRET, baseUrl: server.baseUrl, ...config } },
      testSenderEnvironment(),
    );

  before(async () => {
    server = await startFeishuAppTestServer({
      appId: APP_ID,
      appSecret: APP_SECRET,
      clock,
      throttle: [
        { count: 50, perSeconds: 1 },
        { count: 1000, perSeconds: 60 },
      ],
    });
  });
  after(() => server.close());
  beforeEach(() => {
    server.setMode('normal');
    // Fresh throttle windows, and a fresh token cache, in every test.
    clock.advance(61_000);
    environment = createTestProviderEnvironment({ clock });
  });
  afterEach(() => environment.close());

  test('fetches a tenant token once and sends the card as a JSON string with the delivery id as uuid', async () => {
    const fetchesBefore = server.tokenFetchCount;
    const app = sender();
    const first = request();
    const outcome = await app.send(first, environment.context());
    assertOutcomeKind(outcome, 'sent');
    const message = server.received.at(-1)!;
    assert.equal(outcome.providerMessageId, message.messageId);
    assert.match(message.messageId, /^om_/);
    assert.equal(message.receiveIdType, 'open_id');
    assert.match(message.authorization, /^Bearer t-\S+$/);
    assert.deepEqual(message.body, { receive_id: OPEN_ID, msg_type: 'interactive', content: JSON.stringify(card), uuid: first.deliveryId });

    assertOutcomeKind(await app.send(request(), environment.context()), 'sent');
    assert.equal(server.tokenFetchCount - fetchesBefore, 1, 'the second send reuses the cached token');
    assert.equal(server.received.at(-1)!.authorization, message.authorization);
  });

  test('sends a post without the custom bot\'s post wrapper, and text, as JSON strings', async () => {
    assertOutcomeKind(await sender({ messageType: 'post' }).send(request(), environment.context()), 'sent');
    assert.equal(server.received.at(-1)!.body.msg_type, 'post');
    assert.deepEqual(JSON.parse(server.received.at(-1)!.body.content), post);
    assertOutcomeKind(await sender({ messageType: 'text' }).send(request(), environment.context()), 'sent');
    assert.deepEqual(JSON.parse(server.received.at(-1)!.body.content), { text: sampleSendRequest().content.text });
  });

  test('the configured receive_id_type goes in the query', async () => {
    const outcome = await sender({ receiveIdType: 'chat_id' }).send(request({ address: 'oc_a0553eda9014c201e6969b478895c230' }), environment.context());
    assertOutcomeKind(outcome, 'sent');
    assert.equal(server.received.at(-1)!.receiveIdType, 'chat_id');
    assert.equal(server.received.at(-1)!.body.receive_id, 'oc_a0553eda9014c201e6969b478895c230');
  });

  test('a group (chat_id) message carries the template\'s mentions; a message to one user does not', async () => {
    const extras = { feishuCard: card, feishuPost: post, mentions: { userIds: ['ou_a1'], mobiles: [], all: true } };
    const mentioning = { ...content(), extras };
    assertOutcomeKind(await sender({ receiveIdType: 'chat_id' }).send(request({ address: 'oc_group', content: mentioning }), environment.context()), 'sent');
    assert.deepEqual(JSON.parse(server.received.at(-1)!.body.content).elements.at(-1), { tag: 'markdown', content: '<at id=ou_a1></at> <at id=all></at>' });
    assertOutcomeKind(await sender().send(request({ content: mentioning }), environment.context()), 'sent');
    assert.deepEqual(JSON.parse(server.received.at(-1)!.body.content), card);
  });

  test('a repeated attempt of one delivery carries the same uuid, so Feishu sends it once', async () => {
    const app = sender();
    const delivery = request();
    const first = await app.send(delivery, environment.context());
    const sentBefore = server.received.length;
    const second = await app.send({ ...delivery, attempt: 2 }, environment.context());
    assertOutcomeKind(first, 'sent');
    assertOutcomeKind(second, 'sent');
    assert.equal(second.providerMessageId, first.providerMessageId);
    assert.equal(server.received.length, sentBefore, 'nothing new was sent');
  });

  test('a token Feishu stops accepting (99991663) is refreshed once mid-run and the send goes through', async () => {
    const app = sender();
    assertOutcomeKind(await app.send(request(), environment.context()), 'sent');
    const oldAuthorization = server.received.at(-1)!.authorization;
    const fetchesBefore = server.tokenFetchCount;
    const requestsBefore = server.requestCount;
    server.expireTokens();
    assertOutcomeKind(await app.send(request(), environment.context()), 'sent');
    assert.equal(server.tokenFetchCount - fetchesBefore, 1);
    assert.equal(server.requestCount - requestsBefore, 3, 'refused send, token fetch, send');
    assert.notEqual(server.received.at(-1)!.authorization, oldAuthorization);
  });

  test('a token refused again right after the refresh is retry FEISHU_99991663, after exactly one refresh', async () => {
    let invalidations = 0;
    const staleTokens: TokenCache = {
      get: async () => 't-stale',
      invalidate: async () => void invalidations++,
    };
    const requestsBefore = server.requestCount;
    const outcome = await sender().send(request(), environment.context({ tokens: staleTokens }));
    assertOutcomeKind(outcome, 'retry');
    assert.equal(outcome.code, 'FEISHU_99991663');
    assert.equal(invalidations, 1);
    assert.equal(server.requestCount - requestsBefore, 2);
  });

  test('a wrong app secret is failed FEISHU_10014 and a wrong app id FEISHU_10003, with nothing sent', async () => {
    const sentBefore = server.received.length;
    const badSecret = await sender({ appSecret: 'wrong' }).send(request(), environment.context());
    assertOutcomeKind(badSecret, 'failed');
    assert.equal(badSecret.code, 'FEISHU_10014');
    const badAppId = await sender({ appId: 'cli_unknown' }).send(request(), createTestProviderEnvironment({ clock }).context());
    assertOutcomeKind(badAppId, 'failed');
    assert.equal(badAppId.code, 'FEISHU_10003');
    assert.equal(server.received.length, sentBefore);
  });

  test('a token endpoint that is down is retry HTTP_503', async () => {
    server.setMode('transient-error');
    const outcome = await sender().send(request(), environment.context());
    assertOutcomeKind(outcome, 'retry');
    assert.equal(outcome.code, 'HTTP_503');
  });

  for (const code of [230002, 230006, 230013, 230027, 99992402]) {
    test(`a receiver refused with ${code} is failed FEISHU_${code}`, async () => {
      const receiver = `ou_refused_${code}`;
      server.failReceiver(receiver, code);
      const outcome = await sender().send(request({ address: receiver }), environment.context());
      assertOutcomeKind(outcome, 'failed');
      assert.equal(outcome.code, `FEISHU_${code}`);
    });
  }

  test('content that does not match msg_type is failed FEISHU_230001 (checked by the server)', async () => {
    // A card without elements, body or template is no card Feishu accepts.
    const outcome = await sender().send(request({ content: { ...content(), extras: { feishuCard: { header: {} } } } }), environment.context());
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'FEISHU_230001');
  });

  test('the 51st call in a second is rate_limited FEISHU_99991400 until x-ogw-ratelimit-reset; then it goes', async () => {
    const app = sender();
    for (let i = 0; i < 50; i++) assertOutcomeKind(await app.send(request({ address: `ou_user_${i}` }), environment.context()), 'sent');
    const outcome = await app.send(request({ address: 'ou_user_50' }), environment.context());
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'FEISHU_99991400');
    assert.equal(outcome.retryAfterMs, 1_000);
    clock.advance(outcome.retryAfterMs!);
    assertOutcomeKind(await app.send(request({ address: 'ou_user_50' }), environment.context()), 'sent');
  });

  test('a 6th message to one user within a second is rate_limited FEISHU_230020 for a second', async () => {
    const app = sender();
    for (let i = 0; i < 5; i++) assertOutcomeKind(await app.send(request(), environment.context()), 'sent');
    const outcome = await app.send(request(), environment.context());
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'FEISHU_230020');
    assert.equal(outcome.retryAfterMs, 1_000);
  });

  describe('batches', () => {
    const batchOf = (addresses: readonly string[]) => addresses.map((address) => request({ address }));

    test('sends open ids in one v4 batch_send call, content as an object, each sharing the bm- id', async () => {
      const requestsBefore = server.requestCount;
      const batchesBefore = server.batches.length;
      const outcomes = await sender().sendBatch!(batchOf(['ou_b1', 'ou_b2', 'ou_b3']), environment.context());
      const batch = server.batches.at(-1)!;
      assert.equal(server.batches.length - batchesBefore, 1);
      assert.equal(server.requestCount - requestsBefore, 2, 'a token fetch and one batch call');
      assert.deepEqual(batch.body, { msg_type: 'interactive', card, open_ids: ['ou_b1', 'ou_b2', 'ou_b3'] });
      assert.match(batch.messageId, /^bm-/);
      assert.deepEqual(outcomes, [1, 2, 3].map(() => ({ kind: 'sent', providerMessageId: batch.messageId })));
    });

    test('a post batch wraps the post in content.post, like the custom bot; user_id accounts send user_ids', async () => {
      assert.ok((await sender({ messageType: 'post', receiveIdType: 'user_id' }).sendBatch!(batchOf(['u1', 'u2']), environment.context())).every((o) => o.kind === 'sent'));
      assert.deepEqual(server.batches.at(-1)!.body, { msg_type: 'post', content: { post }, user_ids: ['u1', 'u2'] });
    });

    test('ids Feishu lists in invalid_open_ids fail alone', async () => {
      server.failReceiver('ou_gone', 230013);
      const outcomes = await sender().sendBatch!(batchOf(['ou_b4', 'ou_gone', 'ou_b5']), environment.context());
      assert.deepEqual(
        outcomes.map((outcome) => (outcome.kind === 'sent' ? 'sent' : `${outcome.kind} ${outcome.code}`)),
        ['sent', 'failed FEISHU_INVALID_RECEIVE_ID', 'sent'],
      );
      assert.deepEqual(server.batches.at(-1)!.ids, ['ou_b4', 'ou_b5']);
    });

    test('a failed call is the same outcome for every recipient', async () => {
      server.setMode('transient-error');
      const outcomes = await sender().sendBatch!(batchOf(['ou_b6', 'ou_b7']), environment.context());
      assert.deepEqual(outcomes.map((outcome) => outcome.kind !== 'sent' && outcome.code), ['HTTP_503', 'HTTP_503']);
    });

    test('a batch refreshes an expired token once', async () => {
      const app = sender();
      await app.sendBatch!(batchOf(['ou_b8', 'ou_b9']), environment.context());
      const fetchesBefore = server.tokenFetchCount;
      server.expireTokens();
      const outcomes = await app.sendBatch!(batchOf(['ou_b10', 'ou_b11']), environment.context());
      assert.ok(outcomes.every((outcome) => outcome.kind === 'sent'));
      assert.equal(server.tokenFetchCount - fetchesBefore, 1);
    });

    test('one recipient keeps im/v1 and its uuid', async () => {
      const batchesBefore = server.batches.length;
      const [outcome] = await sender().sendBatch!(batchOf(['ou_single']), environment.context());
      assertOutcomeKind(outcome, 'sent');
      assert.equal(server.batches.length, batchesBefore);
      assert.equal(server.received.at(-1)!.messageId, outcome.providerMessageId);
    });

    test('email accounts have no batch list: one im/v1 call per recipient', async () => {
      const batchesBefore = server.batches.length;
      const outcomes = await sender({ receiveIdType: 'email' }).sendBatch!(batchOf(['li.lei@example.com', 'han.meimei@example.com']), environment.context());
      assert.equal(server.batches.length, batchesBefore);
      assert.deepEqual(server.received.slice(-2).map((message) => [message.receiveIdType, message.body.receive_id]), [
        ['email', 'li.lei@example.com'],
        ['email', 'han.meimei@example.com'],
      ]);
      assert.deepEqual(outcomes, server.received.slice(-2).map((message) => ({ kind: 'sent', providerMessageId: message.messageId })));
    });

    test('one by one, a rate limit holds back the rest of the batch without calling', async () => {
      const app = sender({ receiveIdType: 'chat_id' });
      for (let i = 0; i < 49; i++) assertOutcomeKind(await app.send(request({ address: `oc_fill_${i}` }), environment.context()), 'sent');
      const requestsBefore = server.requestCount;
      const outcomes = await app.sendBatch!(batchOf(['oc_c1', 'oc_c2', 'oc_c3']), environment.context());
      assert.deepEqual(outcomes.map((outcome) => (outcome.kind === 'sent' ? 'sent' : outcome.code)), ['sent', 'FEISHU_99991400', 'FEISHU_99991400']);
      assert.equal(server.requestCount - requestsBefore, 2);
    });

    test('a batch is recalled through batch_messages', async () => {
      const app = sender();
      const [outcome] = await app.sendBatch!(batchOf(['ou_r1', 'ou_r2']), environment.context());
      assertOutcomeKind(outcome, 'sent');
      const sent = { providerMessageId: outcome.providerMessageId!, addresses: ['ou_r1', 'ou_r2'], sentAtMs: clock.now() };
      assert.deepEqual(await app.recall!(sent, environment.context()), { kind: 'recalled' });
      assert.equal(server.recalled.at(-1), outcome.providerMessageId);
      const unknown = await app.recall!({ ...sent, providerMessageId: 'bm-unknown' }, environment.context());
      assert.deepEqual([unknown.kind, unknown.kind === 'failed' && unknown.code], ['failed', 'FEISHU_230030']);
    });
  });

  describe('recall', () => {
    const sentMessage = async (app: ProviderSender) => {
      const outcome = await app.send(request(), environment.context());
      assertOutcomeKind(outcome, 'sent');
      return { providerMessageId: outcome.providerMessageId!, addresses: [OPEN_ID], sentAtMs: clock.now() };
    };
    const assertRecallFailed = (outcome: RecallOutcome, code: string) => {
      assert.equal(outcome.kind, 'failed', JSON.stringify(outcome));
      assert.equal(outcome.kind === 'failed' && outcome.code, code);
    };

    test('deletes the message it sent', async () => {
      const app = sender();
      const sent = await sentMessage(app);
      clock.advance(60 * 60_000);
      assert.deepEqual(await app.recall!(sent, environment.context()), { kind: 'recalled' });
      assert.deepEqual(server.recalled.at(-1), sent.providerMessageId);
    });

    test('a message the bot did not send is failed FEISHU_230012', async () => {
      const outcome = await sender().recall!({ providerMessageId: 'om_someone_else', addresses: [OPEN_ID], sentAtMs: clock.now() }, environment.context());
      assertRecallFailed(outcome, 'FEISHU_230012');
    });

    test('past 24 hours it is failed RECALL_WINDOW_PASSED without asking Feishu', async () => {
      const app = sender();
      const sent = await sentMessage(app);
      clock.advance(24 * 60 * 60_000 + 1);
      const requestsBefore = server.requestCount;
      assertRecallFailed(await app.recall!(sent, environment.context()), 'RECALL_WINDOW_PASSED');
      assert.equal(server.requestCount, requestsBefore);
    });

    test('Feishu\'s own refusal of an old message (230009) is failed', async () => {
      const app = sender();
      const sent = await sentMessage(app);
      clock.advance(25 * 60 * 60_000);
      // The caller believes it recent (a tenant window longer than the default); Feishu decides.
      assertRecallFailed(await app.recall!({ ...sent, sentAtMs: clock.now() }, environment.context()), 'FEISHU_230009');
    });

    test('refreshes an expired token once, like a send', async () => {
      const app = sender();
      const sent = await sentMessage(app);
      const fetchesBefore = server.tokenFetchCount;
      server.expireTokens();
      assert.deepEqual(await app.recall!(sent, environment.context()), { kind: 'recalled' });
      assert.equal(server.tokenFetchCount - fetchesBefore, 1);
    });

    test('a throttled recall is retry with the reset delay', async () => {
      const app = sender();
      const sent = await sentMessage(app);
      for (let i = 0; i < 49; i++) assertOutcomeKind(await app.send(request({ address: `ou_recall_${i}` }), environment.context()), 'sent');
      const outcome = await app.recall!(sent, environment.context());
      assert.deepEqual(outcome, { kind: 'retry', code: 'FEISHU_99991400', message: 'Feishu code 99991400: request trigger frequency limit', retryAfterMs: 1_000 });
    });
  });
});

for (const dialect of testDialects) {
  describe(`feishu-app with the database token cache on ${dialect}`, () => {
    const clock = new ManualClock();
    let server: FeishuAppTestServer;
    let environment: TestProviderEnvironment;
    let database: HeraldDatabase;
    let closeDatabase: () => Promise<void>;

    before(async () => {
      server = await startFeishuAppTestServer({ appId: APP_ID, appSecret: APP_SECRET, clock });
      environment = createTestProviderEnvironment({ clock });
      ({ database, close: closeDatabase } = await createMigratedDatabase(dialect));
    });
    after(async () => {
      await environment.close();
      await server.close();
      await closeDatabase();
    });

    test('workers share the tenant token; a token that lapses is refreshed once and the fresh one is shared', async () => {
      const cryptoBox = testCryptoBox();
      const workerA = createProviderTokenCache({ database, cryptoBox, clock });
      const workerB = createProviderTokenCache({ database, cryptoBox, clock });
      const app = feishuAppProvider.createSender(
        { id: 'acc_db', name: 'db', config: { appId: APP_ID, appSecret: APP_SECRET, baseUrl: server.baseUrl } },
        testSenderEnvironment(),
      );
      const send = (tokens: TokenCache, n: number) =>
        app.send(sampleSendRequest({ address: `ou_db_${n}`, dedupKey: `dlv_db_${n}` }), environment.context({ tokens }));

      assertOutcomeKind(await send(workerA, 1), 'sent');
      assertOutcomeKind(await send(workerB, 2), 'sent');
      assert.equal(server.tokenFetchCount, 1, 'worker B read the token from the database');

      server.expireTokens();
      assertOutcomeKind(await send(workerA, 3), 'sent');
      assert.equal(server.tokenFetchCount, 2, 'one refresh');
      const fresh = server.received.at(-1)!.authorization;
      assertOutcomeKind(await send(createProviderTokenCache({ database, cryptoBox, clock }), 4), 'sent');
      assert.equal(server.tokenFetchCount, 2, 'a new worker reads the refreshed token');
      assert.equal(server.received.at(-1)!.authorization, fresh);
      const row = await database.db.selectFrom('provider_tokens').selectAll().where('cache_key', '=', `feishu-app:${APP_ID}`).executeTakeFirstOrThrow();
      // The whole token, not its `t-` prefix: two random ciphertext characters spell `t-` now and then.
      assert.ok(!row.token_enc.includes(fresh!.replace(/^Bearer /, '')), 'stored encrypted');
    });
  });
}

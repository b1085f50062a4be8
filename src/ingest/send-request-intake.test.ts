import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { INGEST_HEADERS, signIngestRequest } from '../security/ingest-signature.ts';
import { testDialects } from '../../test/support/test-databases.ts';
import { createAppWithKey, createTestHerald, type AppCredentials, type TestHerald } from '../../test/support/test-herald.ts';
import type { IngestOutcome, IngestRequest } from './ingest-adapter.ts';
import { createSendRequestIntake, type SendRequestIntake } from './send-request-intake.ts';

const send = (text: string, extra: Record<string, unknown> = {}) => ({ to: [{ channelAccount: 'hooks' }], content: { body: text }, ...extra });

/** A request as an adapter hands it over, signed with `secret` (the app's own by default). */
function request(app: AppCredentials, body: unknown, options: { brokerMessageId?: string; idempotencyKey?: string; addressedApp?: string; replyTo?: string; secret?: string; payload?: Buffer } = {}): IngestRequest {
  const payload = options.payload ?? Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = {
    [INGEST_HEADERS.accessKey]: app.accessKeyId,
    [INGEST_HEADERS.signature]: signIngestRequest(options.secret ?? app.secretAccessKey, { accessKeyId: app.accessKeyId, idempotencyKey: options.idempotencyKey, replyTo: options.replyTo, payload }),
    ...(options.idempotencyKey ? { [INGEST_HEADERS.idempotencyKey]: options.idempotencyKey } : {}),
  };
  return { payload, header: (name) => headers[name], replyTo: options.replyTo, brokerMessageId: options.brokerMessageId, addressedApp: options.addressedApp };
}

function refusedCode(outcome: IngestOutcome): string {
  assert.equal(outcome.kind, 'refused', JSON.stringify(outcome));
  return (outcome as Extract<IngestOutcome, { kind: 'refused' }>).problem.code;
}

for (const dialect of testDialects) {
  describe(`broker send requests judged like the send API, on ${dialect}`, () => {
    let herald: TestHerald;
    let shop: AppCredentials;
    let other: AppCredentials;
    let intake: SendRequestIntake;

    before(async () => {
      herald = await createTestHerald(dialect);
      shop = await createAppWithKey(herald, 'shop');
      other = await createAppWithKey(herald, 'other');
      for (const app of [shop, other]) await herald.services.channelAccounts.create(app.appId, { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook' } });
      const { keys, apps, rateLimits, intake: messages } = herald.services;
      intake = createSendRequestIntake({ keys, apps, rateLimits, intake: messages, clock: herald.clock, logger: herald.context.logger, jsonMaxDepth: 64, retryDelayMs: 1000 });
    });
    after(() => herald.close());

    test("the broker's message id makes a redelivery one message; an explicit key wins over it", async () => {
      const first = await intake.judge(request(shop, send('once'), { brokerMessageId: 'amqp:m-1' }));
      const again = await intake.judge(request(shop, send('once'), { brokerMessageId: 'amqp:m-1' }));
      assert.equal(first.kind, 'accepted');
      assert.equal(again.kind, 'accepted');
      if (first.kind !== 'accepted' || again.kind !== 'accepted') return;
      assert.equal(again.message.id, first.message.id);
      assert.equal(again.message.replayed, true);

      const keyed = await intake.judge(request(shop, send('keyed'), { brokerMessageId: 'amqp:m-2', idempotencyKey: 'order-7' }));
      assert.equal(keyed.kind === 'accepted' && (await herald.context.database.db.selectFrom('messages').select('idempotency_key').where('id', '=', keyed.message.id).executeTakeFirst())?.idempotency_key, 'order-7');
      // The same key with another body is the API's conflict, refused for good.
      assert.equal(refusedCode(await intake.judge(request(shop, send('changed'), { idempotencyKey: 'order-7' }))), 'IDEMPOTENCY_CONFLICT');
    });

    test('a batch body (with receivers) is judged as POST /v1/messages/batch', async () => {
      const outcome = await intake.judge(request(shop, { receivers: [{ to: { channelAccount: 'hooks' } }, { to: { channelAccount: 'hooks' } }], content: { body: 'hi' } }));
      assert.equal(outcome.kind, 'accepted', JSON.stringify(outcome));
      assert.equal(outcome.kind === 'accepted' && outcome.message.deliveries.length, 2);
    });

    test("the app is the signing key's: another app's address, an unknown key and a tampered reply address are refused", async () => {
      assert.equal((await intake.judge(request(shop, send('by name'), { addressedApp: 'shop' }))).kind, 'accepted');
      assert.equal((await intake.judge(request(shop, send('by id'), { addressedApp: shop.appId }))).kind, 'accepted');
      assert.equal(refusedCode(await intake.judge(request(shop, send('wrong app'), { addressedApp: 'other' }))), 'APP_FORBIDDEN');
      assert.equal(refusedCode(await intake.judge(request(shop, send('no such app'), { addressedApp: 'nobody' }))), 'APP_FORBIDDEN');

      const unknown = await intake.judge(request({ ...shop, accessKeyId: 'AKNOTAKEY0000000' }, send('x')));
      assert.equal(refusedCode(unknown), 'ACCESS_KEY_UNKNOWN');
      assert.equal(unknown.kind === 'refused' && unknown.replyAllowed, false, 'an unproven request never makes Herald publish to its reply address');

      const signed = request(shop, send('x'), { replyTo: 'shop.replies' });
      const tampered = await intake.judge({ ...signed, replyTo: 'someone.else' });
      assert.equal(refusedCode(tampered), 'SIGNATURE_MISMATCH');

      const unsigned = await intake.judge({ ...signed, header: (name) => (name === INGEST_HEADERS.signature ? undefined : signed.header(name)) });
      assert.equal(refusedCode(unsigned), 'SIGNATURE_MISSING');
    });

    test('refusals carry the problems the HTTP API answers with', async () => {
      const schema = await intake.judge(request(shop, { to: [{ channelAccount: 'hooks' }], content: { body: 'x' }, colour: 'red' }));
      assert.equal(refusedCode(schema), 'VALIDATION_FAILED');
      assert.equal(schema.kind === 'refused' && schema.problem.status, 400);
      assert.equal(schema.kind === 'refused' && schema.problem.detail, 'body has an unknown property "colour"');
      assert.equal(schema.kind === 'refused' && schema.replyAllowed, true);
      assert.equal(refusedCode(await intake.judge(request(shop, undefined, { payload: Buffer.from([0xff, 0xfe]) }))), 'INVALID_UTF8');
      assert.equal(refusedCode(await intake.judge(request(shop, undefined, { payload: Buffer.alloc(0) }))), 'INVALID_JSON');
      assert.equal(refusedCode(await intake.judge(request(shop, send('a\u0000b')))), 'NUL_CHARACTER');
      assert.equal(refusedCode(await intake.judge(request(shop, { to: [{ channelAccount: 'hooks' }] }))), 'CONTENT_MISSING');
    });

    test("over the app's send rate the request waits (retry), it is not refused", async () => {
      await herald.services.apps.update(other.appId, { settings: { rateLimits: { sendPerSecond: 1, sendBurst: 1 } } });
      assert.equal((await intake.judge(request(other, send('first')))).kind, 'accepted');
      const throttled = await intake.judge(request(other, send('second')));
      assert.equal(throttled.kind, 'retry', JSON.stringify(throttled));
      assert.equal(throttled.kind === 'retry' && throttled.problem.code, 'RATE_LIMITED');
      assert.ok(throttled.kind === 'retry' && throttled.retryAfterMs > 0 && throttled.retryAfterMs <= 1000);
    });
  });
}

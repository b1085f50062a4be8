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
import type { ProviderContext, RenderedMessage, SendRequest } from '../provider.ts';
import { acs3Authorization } from './acs3-signature.ts';
import { aliyunPhoneNumber, aliyunSmsProvider, outcomeFromAliyunCode, type AliyunSmsConfig } from './aliyun-sms-provider.ts';
import { e164FromAliyunNumber } from './aliyun-sms-receipts.ts';
import { startAliyunSmsTestServer, type AliyunSmsTestServer } from './aliyun-sms-test-server.ts';

const ACCESS_KEY_ID = 'LTAI5tTestKeyId';
const ACCESS_KEY_SECRET = 'aliyun-secret-0123456789';
const SIGN_NAME = '赫勒德';
const TEMPLATE_CODE = 'SMS_154950909';
const SMS_EXTRAS = { sms: { templateCode: TEMPLATE_CODE, params: { code: '123456' } } };
const serverOptions = (clock?: ManualClock) => ({
  accessKeyId: ACCESS_KEY_ID,
  accessKeySecret: ACCESS_KEY_SECRET,
  signNames: [SIGN_NAME, '阿里云短信测试'],
  templates: { [TEMPLATE_CODE]: ['code'], SMS_200000001: ['name', 'order'], SMS_200000002: [] },
  clock,
});
const configFor = (baseUrl: string, overrides: Partial<AliyunSmsConfig> = {}): AliyunSmsConfig => ({
  accessKeyId: ACCESS_KEY_ID,
  accessKeySecret: ACCESS_KEY_SECRET,
  signName: SIGN_NAME,
  baseUrl,
  ...overrides,
});

describeProviderConformance<AliyunSmsConfig>({
  definition: aliyunSmsProvider,
  startServer: () => startAliyunSmsTestServer(serverOptions()),
  accountConfig: (port) => configFor(`http://127.0.0.1:${port}`),
  address: '+8613800138000',
  batchAddresses: ['+8613800138000', '+8613900139000', '+85291234567'],
  extras: SMS_EXTRAS,
  invalidConfigs: [
    { name: 'missing accessKeyId', config: { accessKeySecret: ACCESS_KEY_SECRET } },
    { name: 'empty signName', config: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, signName: '' } },
  ],
});

describe('aliyun-sms signing (ACS3-HMAC-SHA256)', () => {
  test('matches a value computed step by step from the V3 page with Python hashlib', () => {
    const body =
      'PhoneNumbers=13800138000&SignName=%E9%98%BF%E9%87%8C%E4%BA%91&TemplateCode=SMS_154950909&TemplateParam=%7B%22code%22%3A%221234%22%7D&OutId=dlv_1';
    const authorization = acs3Authorization({
      method: 'POST',
      canonicalUri: '/',
      // Query values exercise the RFC 3986 encoding: space %20, * %2A, ( ) ! ' encoded, ~ kept.
      query: { RegionId: 'cn-hangzhou', Note: "a b*c~(d)!'" },
      headers: {
        'x-acs-action': 'SendSms',
        Host: 'dysmsapi.aliyuncs.com',
        'x-acs-version': '2017-05-25',
        'x-acs-date': '2026-01-05T09:00:00Z',
        'x-acs-signature-nonce': ' 3156853299f313e23d1673dc12e1703d ',
        'x-acs-content-sha256': '31856fd01d3d5d289a029103eb0895c1cc1ee6f9920352790bc4a72c5ed90370',
      },
      body,
      accessKeyId: 'LTAI-test',
      accessKeySecret: 'testsecret',
    });
    assert.equal(
      authorization,
      'ACS3-HMAC-SHA256 Credential=LTAI-test,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,' +
        'Signature=1608a6cd03e8cd854756314a6a2f6e30419c6be518bc33d5a05dad0ad288d76c',
    );
  });

  test('numbers: mainland as 11 digits, others with their country code, never a plus', () => {
    assert.equal(aliyunPhoneNumber('+8613800138000'), '13800138000');
    assert.equal(aliyunPhoneNumber('+85291234567'), '85291234567');
    assert.equal(aliyunPhoneNumber('+12025550123'), '12025550123');
  });
});

function requestsFor(addresses: readonly string[], extras: Record<string, unknown> = SMS_EXTRAS): SendRequest[] {
  const base = sampleSendRequest();
  const content: RenderedMessage = { ...base.content, extras };
  return addresses.map((address, index) => ({ ...base, deliveryId: `dlv_${index}`, dedupKey: `dlv_${index}`, address, content }));
}

describe('aliyun-sms provider', () => {
  const clock = new ManualClock();
  let server: AliyunSmsTestServer;
  let environment: TestProviderEnvironment;
  let context: ProviderContext;

  before(async () => {
    server = await startAliyunSmsTestServer(serverOptions(clock));
    environment = createTestProviderEnvironment({ clock });
    context = environment.context();
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => server.setMode('normal'));

  const senderWith = (overrides: Partial<AliyunSmsConfig> = {}) =>
    aliyunSmsProvider.createSender({ id: 'acc_aliyun', name: 'aliyun', config: configFor(server.baseUrl, overrides) }, testSenderEnvironment());

  test('sends the template with its params, sign name and the dedup key as OutId; the BizId is the message id', async () => {
    const [request] = requestsFor(['+8613800138000']);
    const outcome = await senderWith().send(request, context);
    assertOutcomeKind(outcome, 'sent');
    const accepted = server.accepted.at(-1)!;
    assert.equal(outcome.providerMessageId, accepted.bizId);
    assert.deepEqual(accepted, {
      bizId: accepted.bizId,
      phoneNumbers: ['13800138000'],
      signName: SIGN_NAME,
      templateCode: TEMPLATE_CODE,
      params: { code: '123456' },
      outId: 'dlv_0',
    });
  });

  test('a group of numbers goes out in one call: every request is sent with the same BizId, OutId is the first request\'s dedup key', async () => {
    const addresses = Array.from({ length: 1_000 }, (_, index) => `+86139${String(index).padStart(8, '0')}`);
    const before = server.requestCount;
    const outcomes = await senderWith().sendBatch!(requestsFor(addresses), context);
    assert.equal(server.requestCount - before, 1);
    const accepted = server.accepted.at(-1)!;
    assert.equal(accepted.phoneNumbers.length, 1_000);
    assert.equal(accepted.phoneNumbers[999], '13900000999');
    assert.equal(accepted.outId, 'dlv_0');
    for (const outcome of outcomes) assert.deepEqual(outcome, { kind: 'sent', providerMessageId: accepted.bizId });
    await assert.rejects(() => senderWith().sendBatch!(requestsFor([...addresses, '+8613800138000']), context), /at most 1000/);
  });

  test('the template sign name wins over the account; a template without variables sends no TemplateParam', async () => {
    const extras = { sms: { templateCode: 'SMS_200000002', params: {}, signName: '阿里云短信测试' } };
    assertOutcomeKind(await senderWith().send(requestsFor(['+8613800138000'], extras)[0], context), 'sent');
    assert.equal(server.accepted.at(-1)!.signName, '阿里云短信测试');
    assert.deepEqual(server.accepted.at(-1)!.params, {});
  });

  test('without a template code or a sign name nothing is sent and the delivery fails with a clear code', async () => {
    const before = server.requestCount;
    const noTemplate = await senderWith().send(requestsFor(['+8613800138000'], {})[0], context);
    assertOutcomeKind(noTemplate, 'failed');
    assert.equal(noTemplate.code, 'SMS_TEMPLATE_CODE_MISSING');
    assert.match(noTemplate.message, /channels\.sms\.templateCode/);
    const noSign = await senderWith({ signName: undefined }).send(requestsFor(['+8613800138000'])[0], context);
    assertOutcomeKind(noSign, 'failed');
    assert.equal(noSign.code, 'SMS_SIGN_NAME_MISSING');
    assert.equal(server.requestCount, before);
  });

  test('per-number flow control is rate limited past its window (minute, hour, day), for every number of the call', async () => {
    const windows = [['minute', 60_000], ['hour', 3_600_000], ['day', 86_400_000]] as const;
    for (const [window, delayMs] of windows) {
      const number = `+8613700${String(delayMs).slice(0, 5).padEnd(5, '0')}`;
      server.limitNumbers([aliyunPhoneNumber(number)], window);
      const outcomes = await senderWith().sendBatch!(requestsFor([number, '+8613800138000']), context);
      for (const outcome of outcomes) {
        assertOutcomeKind(outcome, 'rate_limited');
        assert.equal(outcome.code, 'ALIYUN_isv.BUSINESS_LIMIT_CONTROL');
        assert.equal(outcome.retryAfterMs, delayMs, window);
      }
    }
  });

  test('a flow-control message naming no window waits an hour', () => {
    const response = { statusCode: 200, headers: {}, body: '' };
    const outcome = outcomeFromAliyunCode('isv.BUSINESS_LIMIT_CONTROL', 'BUSINESS LIMIT CONTROL', undefined, response);
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.retryAfterMs, 3_600_000);
    assert.equal(outcomeFromAliyunCode('Throttling.User', 'Request was denied due to user flow control.', undefined, response).kind, 'rate_limited');
  });

  test('out of balance (isv.AMOUNT_NOT_ENOUGH, isv.OUT_OF_SERVICE) is rate_limited with the account exhausted until an operator clears it, not failed', async () => {
    server.setMode('out-of-balance');
    try {
      const outcome = await senderWith().send(requestsFor(['+8613800138000'])[0], context);
      assertOutcomeKind(outcome, 'rate_limited');
      assert.equal(outcome.code, 'ALIYUN_isv.AMOUNT_NOT_ENOUGH');
      assert.deepEqual(outcome.quotaExhausted, {}, 'no reset time: until cleared');
      assert.match(outcome.message, /top it up/);
    } finally {
      server.setMode('normal');
    }
    const stopped = outcomeFromAliyunCode('isv.OUT_OF_SERVICE', '业务停机', undefined, { statusCode: 200, headers: {}, body: '' });
    assertOutcomeKind(stopped, 'rate_limited');
    assert.deepEqual(stopped.quotaExhausted, {});
  });

  test('the console’s daily and monthly send limits mark the account exhausted until they reset in China time', () => {
    const response = { statusCode: 200, headers: {}, body: '' };
    const nowMs = Date.UTC(2026, 0, 31, 15, 0); // 23:00 on 31 January in Beijing
    const daily = outcomeFromAliyunCode('isv.DAY_LIMIT_CONTROL', '触发日发送限额', undefined, response, nowMs);
    assertOutcomeKind(daily, 'rate_limited');
    assert.deepEqual([daily.quotaExhausted, daily.retryAfterMs], [{ untilMs: Date.UTC(2026, 0, 31, 16, 0) }, 3_600_000]);
    const monthly = outcomeFromAliyunCode('isv.MONTH_LIMIT_CONTROL', '触发月发送限额', undefined, response, nowMs);
    assertOutcomeKind(monthly, 'rate_limited');
    assert.deepEqual(monthly.quotaExhausted, { untilMs: Date.UTC(2026, 0, 31, 16, 0) }, 'the first of February in Beijing');
    const midMonth = outcomeFromAliyunCode('isv.MONTH_LIMIT_CONTROL', '触发月发送限额', undefined, response, Date.UTC(2026, 1, 10, 1, 0));
    assert.deepEqual((midMonth as { quotaExhausted?: unknown }).quotaExhausted, { untilMs: Date.UTC(2026, 1, 28, 16, 0) }, 'the first of March in Beijing');
  });

  test('isp.SYSTEM_ERROR and a gateway 503 are retry', async () => {
    server.setMode('transient-error');
    const systemError = await senderWith().send(requestsFor(['+8613800138000'])[0], context);
    assertOutcomeKind(systemError, 'retry');
    assert.equal(systemError.code, 'ALIYUN_isp.SYSTEM_ERROR');
    server.setMode('http-503');
    const unavailable = await senderWith().send(requestsFor(['+8613800138000'])[0], context);
    assertOutcomeKind(unavailable, 'retry');
    assert.equal(unavailable.code, 'HTTP_503');
  });

  test('a wrong secret, an unknown key, a skewed clock and other isv codes fail for good with the platform code', async () => {
    const cases: Array<[Partial<AliyunSmsConfig>, Record<string, unknown>, string, string]> = [
      [{ accessKeySecret: 'wrong' }, SMS_EXTRAS, '+8613800138000', 'ALIYUN_SignatureDoesNotMatch'],
      [{ accessKeyId: 'LTAI-unknown' }, SMS_EXTRAS, '+8613800138000', 'ALIYUN_InvalidAccessKeyId.NotFound'],
      [{}, { sms: { templateCode: 'SMS_999', params: {} } }, '+8613800138000', 'ALIYUN_isv.SMS_TEMPLATE_ILLEGAL'],
      [{ signName: '未报备' }, SMS_EXTRAS, '+8613800138000', 'ALIYUN_isv.SMS_SIGNATURE_ILLEGAL'],
      [{}, { sms: { templateCode: TEMPLATE_CODE, params: { code: '1', extra: 'x' } } }, '+8613800138000', 'ALIYUN_isv.TEMPLATE_MISSING_PARAMETERS'],
    ];
    for (const [config, extras, address, code] of cases) {
      const outcome = await senderWith(config).send(requestsFor([address], extras)[0], context);
      assertOutcomeKind(outcome, 'failed');
      assert.equal(outcome.code, code);
    }
    const skewed = environment.context({ clock: new ManualClock(clock.now() + 20 * 60_000) });
    const expired = await senderWith().send(requestsFor(['+8613800138000'])[0], skewed);
    assertOutcomeKind(expired, 'failed');
    assert.equal(expired.code, 'ALIYUN_InvalidTimeStamp.Expired');
  });
});

describe('aliyun-sms receipts (SmsReport)', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  let server: AliyunSmsTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startAliyunSmsTestServer(serverOptions(clock));
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });

  const parse = (body: Buffer) =>
    aliyunSmsProvider.receipts!.parse({ url: 'https://herald.example.com/receipts/acc_1/t0ken', headers: { 'content-type': 'application/json' }, body }, configFor(server.baseUrl));

  test('a push for a sent batch maps each number: delivered, or undelivered with the carrier code', async () => {
    const sender = aliyunSmsProvider.createSender({ id: 'acc_1', name: 'a', config: configFor(server.baseUrl) }, testSenderEnvironment());
    const outcomes = await sender.sendBatch!(requestsFor(['+8613800138000', '+8613900139000']), environment.context());
    assertOutcomeKind(outcomes[0], 'sent');
    const send = server.accepted.at(-1)!;
    clock.advance(7_000);
    const parsed = parse(server.receiptPush(send, { '13900139000': 'MK:0001' }));
    assert.equal(parsed.kind, 'accepted');
    assert.deepEqual(parsed.reply, { status: 200, contentType: 'application/json; charset=utf-8', body: '{"code":0,"msg":"接收成功"}' });
    assert.ok(parsed.kind === 'accepted');
    assert.deepEqual(parsed.entries, [
      { providerMessageId: outcomes[0].providerMessageId, address: '+8613800138000', status: 'delivered', code: 'DELIVERED', message: '用户接收成功', atMs: clock.now() },
      { providerMessageId: outcomes[0].providerMessageId, address: '+8613900139000', status: 'undelivered', code: 'MK:0001', message: '用户接收失败', atMs: clock.now() },
    ]);
  });

  test('an unreadable push is refused with a 400 Aliyun reads as not received; storage failure answers 5xx', () => {
    for (const body of ['not json', '{"biz_id":"1"}', '[{"phone_number":"13800138000","success":true}]', '[{"biz_id":"1","phone_number":"abc","success":true}]']) {
      const parsed = parse(Buffer.from(body));
      assert.equal(parsed.kind, 'refused', body);
      assert.equal(parsed.reply.status, 400);
      assert.equal(JSON.parse(parsed.reply.body).code, 400);
    }
  });

  test('report numbers become E.164: 11 mainland digits get +86, a +1 number keeps its country code', () => {
    assert.equal(e164FromAliyunNumber('13800138000'), '+8613800138000');
    assert.equal(e164FromAliyunNumber('8613800138000'), '+8613800138000');
    assert.equal(e164FromAliyunNumber('85291234567'), '+85291234567');
    assert.equal(e164FromAliyunNumber('12025550123'), '+12025550123');
    assert.equal(e164FromAliyunNumber('+12025550123'), '+12025550123');
    assert.equal(e164FromAliyunNumber('1380013'), '+1380013');
    assert.equal(e164FromAliyunNumber('13800-138000'), undefined);
  });
});

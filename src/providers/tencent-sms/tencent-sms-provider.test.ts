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
import type { ProviderContext, RenderedMessage, SendOutcome, SendRequest } from '../provider.ts';
import { tc3Authorization } from './tc3-signature.ts';
import { tencentSmsProvider, type TencentSmsConfig } from './tencent-sms-provider.ts';
import { startTencentSmsTestServer, type TencentSmsTestServer } from './tencent-sms-test-server.ts';

const SECRET_ID = 'AKIDtestSecretId0123';
const SECRET_KEY = 'tencent-secret-key';
const SDK_APP_ID = '1400006666';
const SIGN_NAME = '赫勒德';
const SMS_EXTRAS = { sms: { templateCode: '449739', params: { '1': '123456', '2': '5' } } };
const serverOptions = (clock?: ManualClock) => ({
  secretId: SECRET_ID,
  secretKey: SECRET_KEY,
  sdkAppId: SDK_APP_ID,
  signNames: [SIGN_NAME, '腾讯云'],
  templates: { '449739': 2, '1110001': 0 },
  clock,
});
const configFor = (baseUrl: string, overrides: Partial<TencentSmsConfig> = {}): TencentSmsConfig => ({
  secretId: SECRET_ID,
  secretKey: SECRET_KEY,
  sdkAppId: SDK_APP_ID,
  signName: SIGN_NAME,
  baseUrl,
  ...overrides,
});

describeProviderConformance<TencentSmsConfig>({
  definition: tencentSmsProvider,
  startServer: () => startTencentSmsTestServer(serverOptions()),
  accountConfig: (port) => configFor(`http://127.0.0.1:${port}`),
  address: '+8613800138000',
  batchAddresses: ['+8613800138000', '+8613900139000', '+85291234567'],
  extras: SMS_EXTRAS,
  invalidConfigs: [
    { name: 'missing sdkAppId', config: { secretId: SECRET_ID, secretKey: SECRET_KEY } },
    { name: 'sdkAppId not digits', config: { secretId: SECRET_ID, secretKey: SECRET_KEY, sdkAppId: 'app-1' } },
    { name: 'malformed region', config: { secretId: SECRET_ID, secretKey: SECRET_KEY, sdkAppId: SDK_APP_ID, region: 'Guangzhou' } },
  ],
});

describe('tencent-sms signing (TC3-HMAC-SHA256)', () => {
  test('matches a value computed step by step from the 签名方法 v3 page with Python hashlib', () => {
    const body = '{"PhoneNumberSet":["+8613800138000"],"SmsSdkAppId":"1400006666","SignName":"赫勒德","TemplateId":"449739","TemplateParamSet":["123456"],"SessionContext":"dlv_1"}';
    assert.equal(
      tc3Authorization({ secretId: 'AKIDexample', secretKey: 'tencent-secret-key', service: 'sms', host: 'sms.tencentcloudapi.com', timestampSeconds: 1_767_603_600, body }),
      'TC3-HMAC-SHA256 Credential=AKIDexample/2026-01-05/sms/tc3_request, SignedHeaders=content-type;host, ' +
        'Signature=24654218adc22320eb6ac00b53b59fdd3374cbd10e9137e372b8a0a314b92dea',
    );
  });
});

function requestsFor(addresses: readonly string[], extras: Record<string, unknown> = SMS_EXTRAS): SendRequest[] {
  const base = sampleSendRequest();
  const content: RenderedMessage = { ...base.content, extras };
  return addresses.map((address, index) => ({ ...base, deliveryId: `dlv_${index}`, dedupKey: `dlv_${index}`, address, content }));
}

const kinds = (outcomes: SendOutcome[]) => outcomes.map((outcome) => (outcome.kind === 'sent' ? 'sent' : `${outcome.kind} ${outcome.code}`));

describe('tencent-sms provider', () => {
  const clock = new ManualClock();
  let server: TencentSmsTestServer;
  let environment: TestProviderEnvironment;
  let context: ProviderContext;

  before(async () => {
    server = await startTencentSmsTestServer(serverOptions(clock));
    environment = createTestProviderEnvironment({ clock });
    context = environment.context();
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => server.setMode('normal'));

  const senderWith = (overrides: Partial<TencentSmsConfig> = {}) =>
    tencentSmsProvider.createSender({ id: 'acc_tencent', name: 'tencent', config: configFor(server.baseUrl, overrides) }, testSenderEnvironment());

  test('sends the template values in order, the sign, the SdkAppId and the dedup key as SessionContext; SerialNo is the message id', async () => {
    const outcome = await senderWith().send(requestsFor(['+8613800138000'])[0], context);
    assertOutcomeKind(outcome, 'sent');
    const call = server.accepted.at(-1)!;
    assert.deepEqual(call.body, {
      PhoneNumberSet: ['+8613800138000'],
      SmsSdkAppId: SDK_APP_ID,
      SignName: SIGN_NAME,
      TemplateId: '449739',
      TemplateParamSet: ['123456', '5'],
      SessionContext: 'dlv_0',
    });
    assert.equal(outcome.providerMessageId, call.statuses[0].SerialNo);
  });

  test('a per-number result set with mixed success maps to each delivery', async () => {
    const addresses = ['+8613800000001', '+8613800000002', '+8613800000003', '+8613800000004', '+8613800000005', '+8613800000006'];
    server.setNumberCode('+8613800000002', 'LimitExceeded.PhoneNumberThirtySecondLimit');
    server.setNumberCode('+8613800000003', 'LimitExceeded.PhoneNumberOneHourLimit');
    server.setNumberCode('+8613800000004', 'LimitExceeded.PhoneNumberDailyLimit');
    server.setNumberCode('+8613800000005', 'InvalidParameterValue.IncorrectPhoneNumber');
    server.setNumberCode('+8613800000006', 'LimitExceeded.PhoneNumberSameContentDailyLimit');
    const before = server.requestCount;
    const outcomes = await senderWith().sendBatch!(requestsFor(addresses), context);
    assert.equal(server.requestCount - before, 1, 'one call');
    assert.deepEqual(kinds(outcomes), [
      'sent',
      'rate_limited TENCENT_LimitExceeded.PhoneNumberThirtySecondLimit',
      'rate_limited TENCENT_LimitExceeded.PhoneNumberOneHourLimit',
      'rate_limited TENCENT_LimitExceeded.PhoneNumberDailyLimit',
      'failed TENCENT_InvalidParameterValue.IncorrectPhoneNumber',
      'rate_limited TENCENT_LimitExceeded.PhoneNumberSameContentDailyLimit',
    ]);
    // Each limited number waits past its own window, never sooner.
    assert.deepEqual(
      outcomes.map((outcome) => (outcome.kind === 'rate_limited' ? outcome.retryAfterMs : null)),
      [null, 31_000, 3_601_000, 86_401_000, null, 86_401_000],
    );
    assert.deepEqual(outcomes[0], { kind: 'sent', providerMessageId: server.accepted.at(-1)!.statuses[0].SerialNo });
  });

  test('200 numbers go out in one call; mainland and international numbers of one group go out in two calls, outcomes in request order', async () => {
    const many = Array.from({ length: 200 }, (_, index) => `+86137${String(index).padStart(8, '0')}`);
    let before = server.requestCount;
    const outcomes = await senderWith().sendBatch!(requestsFor(many), context);
    assert.equal(server.requestCount - before, 1);
    assert.equal(outcomes.filter((outcome) => outcome.kind === 'sent').length, 200);
    await assert.rejects(() => senderWith().sendBatch!(requestsFor([...many, '+8613800138000']), context), /at most 200/);

    before = server.requestCount;
    const mixed = await senderWith().sendBatch!(requestsFor(['+85291234567', '+8613800138000', '+6591234567']), context);
    assert.equal(server.requestCount - before, 2);
    const [mainlandCall, internationalCall] = server.accepted.slice(-2);
    assert.deepEqual(mainlandCall.body.PhoneNumberSet, ['+8613800138000']);
    assert.deepEqual(internationalCall.body.PhoneNumberSet, ['+85291234567', '+6591234567']);
    assert.equal(internationalCall.body.SignName, undefined, 'international SMS takes no sign');
    assert.deepEqual(
      mixed.map((outcome) => outcome.kind === 'sent' && outcome.providerMessageId),
      [internationalCall.statuses[0].SerialNo, mainlandCall.statuses[0].SerialNo, internationalCall.statuses[1].SerialNo],
    );
  });

  test('request errors apply to every number: InternalError retry, RequestLimitExceeded rate limited, AuthFailure failed', async () => {
    server.setMode('transient-error');
    assert.deepEqual(kinds(await senderWith().sendBatch!(requestsFor(['+8613800138000', '+8613900139000']), context)), [
      'retry TENCENT_InternalError',
      'retry TENCENT_InternalError',
    ]);
    server.setMode('request-limit');
    const limited = await senderWith().send(requestsFor(['+8613800138000'])[0], context);
    assertOutcomeKind(limited, 'rate_limited');
    assert.equal(limited.code, 'TENCENT_RequestLimitExceeded');
    assert.equal(limited.retryAfterMs, 1_000);
    server.setMode('normal');
    const cases: Array<[Partial<TencentSmsConfig>, Record<string, unknown>, string]> = [
      [{ secretKey: 'wrong' }, SMS_EXTRAS, 'TENCENT_AuthFailure.SignatureFailure'],
      [{ secretId: 'AKIDunknown' }, SMS_EXTRAS, 'TENCENT_AuthFailure.SecretIdNotFound'],
      [{ sdkAppId: '1400000000' }, SMS_EXTRAS, 'TENCENT_InvalidParameterValue.SdkAppIdNotExist'],
      [{ signName: '未审核' }, SMS_EXTRAS, 'TENCENT_FailedOperation.SignatureIncorrectOrUnapproved'],
      [{}, { sms: { templateCode: '999', params: {} } }, 'TENCENT_FailedOperation.TemplateIncorrectOrUnapproved'],
      [{}, { sms: { templateCode: '449739', params: { '1': 'x' } } }, 'TENCENT_InvalidParameterValue.TemplateParameterFormatError'],
    ];
    for (const [config, extras, code] of cases) {
      const outcome = await senderWith(config).send(requestsFor(['+8613800138000'], extras)[0], context);
      assertOutcomeKind(outcome, 'failed');
      assert.equal(outcome.code, code);
    }
    const skewed = await senderWith().send(requestsFor(['+8613800138000'])[0], environment.context({ clock: new ManualClock(clock.now() - 6 * 60_000) }));
    assertOutcomeKind(skewed, 'failed');
    assert.equal(skewed.code, 'TENCENT_AuthFailure.SignatureExpire');
  });

  test('without a template code nothing is sent; without a sign only international numbers go out', async () => {
    const before = server.requestCount;
    const noTemplate = await senderWith().send(requestsFor(['+8613800138000'], {})[0], context);
    assertOutcomeKind(noTemplate, 'failed');
    assert.equal(noTemplate.code, 'SMS_TEMPLATE_CODE_MISSING');
    assert.equal(server.requestCount, before);
    const noSign = await senderWith({ signName: undefined }).sendBatch!(requestsFor(['+8613800138000', '+85291234567']), context);
    assert.deepEqual(kinds(noSign), ['failed SMS_SIGN_NAME_MISSING', 'sent']);
    assert.equal(server.requestCount, before + 1);
  });

  test('a long dedup key is cut to fit SessionContext (< 512 bytes) on a character boundary', async () => {
    const [request] = requestsFor(['+8613800138000']);
    assertOutcomeKind(await senderWith().send({ ...request, dedupKey: '键'.repeat(200) }, context), 'sent');
    assert.equal(server.accepted.at(-1)!.body.SessionContext, '键'.repeat(170));
  });
});

describe('tencent-sms receipts (status callback)', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  let server: TencentSmsTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startTencentSmsTestServer(serverOptions(clock));
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });

  const parse = (body: Buffer) =>
    tencentSmsProvider.receipts!.parse({ url: 'https://herald.example.com/receipts/acc_1/t0ken', headers: { 'content-type': 'application/json' }, body }, configFor(server.baseUrl));

  test('a callback for a sent batch maps each number by sid: delivered, or undelivered with the carrier code', async () => {
    const sender = tencentSmsProvider.createSender({ id: 'acc_1', name: 't', config: configFor(server.baseUrl) }, testSenderEnvironment());
    const outcomes = await sender.sendBatch!(requestsFor(['+8613800138000', '+8613900139000']), environment.context());
    const call = server.accepted.at(-1)!;
    clock.advance(4_000);
    const parsed = parse(server.receiptPush(call, { '+8613900139000': 'UNDELIV' }));
    assert.ok(parsed.kind === 'accepted');
    assert.deepEqual(parsed.reply, { status: 200, contentType: 'application/json; charset=utf-8', body: '{"result":0,"errmsg":"OK"}' });
    assert.deepEqual(parsed.entries, [
      { providerMessageId: outcomes[0].kind === 'sent' && outcomes[0].providerMessageId, address: '+8613800138000', status: 'delivered', code: 'DELIVRD', message: '用户短信接收成功', atMs: clock.now() },
      { providerMessageId: outcomes[1].kind === 'sent' && outcomes[1].providerMessageId, address: '+8613900139000', status: 'undelivered', code: 'UNDELIV', message: '用户短信接收失败', atMs: clock.now() },
    ]);
  });

  test('an international number is rebuilt from nationcode and mobile', async () => {
    const sender = tencentSmsProvider.createSender({ id: 'acc_1', name: 't', config: configFor(server.baseUrl) }, testSenderEnvironment());
    assertOutcomeKind(await sender.send(requestsFor(['+85291234567'])[0], environment.context()), 'sent');
    const parsed = parse(server.receiptPush(server.accepted.at(-1)!));
    assert.ok(parsed.kind === 'accepted');
    assert.equal(parsed.entries[0].address, '+85291234567');
  });

  test('an unreadable callback is refused with a non-zero result; storage failure answers 5xx', () => {
    for (const body of ['<xml/>', '{}', '[{"sid":"x","nationcode":"86","mobile":"13800138000","report_status":"MAYBE"}]', '[{"nationcode":"86","mobile":"13800138000","report_status":"SUCCESS"}]']) {
      const parsed = parse(Buffer.from(body));
      assert.equal(parsed.kind, 'refused', body);
      assert.equal(parsed.reply.status, 400);
      assert.equal(JSON.parse(parsed.reply.body).result, 1);
    }
  });
});

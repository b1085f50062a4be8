import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { HeraldError } from '../../errors.ts';
import { ManualClock } from '../../clock.ts';
import { describeProviderConformance } from '../conformance/provider-conformance.ts';
import {
  assertOutcomeKind,
  createTestProviderEnvironment,
  sampleSendRequest,
  type TestProviderEnvironment,
  testSenderEnvironment,
} from '../conformance/provider-test-support.ts';
import type { ReceiptRequest } from '../provider.ts';
import { twilioSmsProvider, type TwilioSmsConfig } from './twilio-sms-provider.ts';
import { parseFormParameters, signTwilioRequest, twilioSignatureUrls } from './twilio-status-callback.ts';
import { startTwilioSmsTestServer, type TwilioSmsTestServer } from './twilio-sms-test-server.ts';

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const AUTH_TOKEN = 'auth-token-0123456789abcdef';
const API_KEY_SID = 'SKfedcba9876543210fedcba9876543210';
const API_KEY_SECRET = 'api-key-secret-0123456789';
const MESSAGING_SERVICE_SID = 'MG00112233445566778899aabbccddeeff';
const FROM = '+15005550006';
const TO = '+14155550100';
const RECEIPT_URL = 'https://herald.example.com/receipts/acc_twilio/rt_0123456789';

const serverOptions = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiKeys: { [API_KEY_SID]: API_KEY_SECRET }, unsubscribed: ['+14155550111'], landlines: ['+14155550122'] };

describeProviderConformance<TwilioSmsConfig>({
  definition: twilioSmsProvider,
  startServer: () => startTwilioSmsTestServer(serverOptions),
  accountConfig: (port) => ({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, baseUrl: `http://127.0.0.1:${port}` }),
  address: TO,
  invalidConfigs: [
    { name: 'missing accountSid', config: { authToken: AUTH_TOKEN, from: FROM } },
    { name: 'accountSid not an AC sid', config: { accountSid: 'SK0123456789abcdef0123456789abcdef', authToken: AUTH_TOKEN, from: FROM } },
    { name: 'messagingServiceSid not an MG sid', config: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: 'MGshort' } },
  ],
});

describe('twilio-sms config rules the schema cannot express', () => {
  const refuses = (config: TwilioSmsConfig, code: string, field: string) =>
    assert.throws(
      () => twilioSmsProvider.validateConfig!(config),
      (error: unknown) => error instanceof HeraldError && error.kind === 'invalid' && error.code === code && error.details?.field === field,
    );

  test('needs the auth token or a complete API key, and a sender', () => {
    refuses({ accountSid: ACCOUNT_SID, from: FROM }, 'TWILIO_CREDENTIALS_MISSING', 'authToken');
    refuses({ accountSid: ACCOUNT_SID, apiKeySid: API_KEY_SID, from: FROM }, 'TWILIO_API_KEY_INCOMPLETE', 'apiKeySecret');
    refuses({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }, 'TWILIO_SENDER_MISSING', 'from');
    refuses({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, baseUrl: 'ftp://api.twilio.com' }, 'OUTBOUND_URL_NOT_ALLOWED', 'baseUrl');
    twilioSmsProvider.validateConfig!({ accountSid: ACCOUNT_SID, apiKeySid: API_KEY_SID, apiKeySecret: API_KEY_SECRET, messagingServiceSid: MESSAGING_SERVICE_SID });
  });
});

describe('twilio-sms provider', () => {
  const clock = new ManualClock();
  let server: TwilioSmsTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startTwilioSmsTestServer(serverOptions);
    environment = createTestProviderEnvironment({ clock });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => server.setMode('normal'));

  /** `receiptUrl` as Herald passes it: absent when it does not know its public URL. */
  const sender = (config: Partial<TwilioSmsConfig>, receiptUrl: string | undefined) =>
    twilioSmsProvider.createSender(
      { id: 'acc_twilio', name: 'twilio', receiptUrl, config: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, baseUrl: server.baseUrl, ...config } },
      testSenderEnvironment(),
    );
  const send = (config: Partial<TwilioSmsConfig> = {}, request = sampleSendRequest({ address: TO }), receiptUrl?: string) =>
    sender(config, receiptUrl ?? RECEIPT_URL).send(request, environment.context());

  test('posts To, From, the plain text and the StatusCallback with the account auth token; the sid is the message id', async () => {
    const outcome = await send();
    assertOutcomeKind(outcome, 'sent');
    const message = server.received.at(-1)!;
    assert.equal(outcome.providerMessageId, message.sid);
    assert.match(message.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(message.authUser, ACCOUNT_SID);
    assert.deepEqual(message.form, { To: TO, From: FROM, Body: sampleSendRequest().content.text, StatusCallback: RECEIPT_URL });
  });

  test('an API key authenticates instead of the auth token, and a Messaging Service replaces From', async () => {
    assertOutcomeKind(await send({ apiKeySid: API_KEY_SID, apiKeySecret: API_KEY_SECRET, from: undefined, messagingServiceSid: MESSAGING_SERVICE_SID }), 'sent');
    const message = server.received.at(-1)!;
    assert.equal(message.authUser, API_KEY_SID);
    assert.equal(message.form.MessagingServiceSid, MESSAGING_SERVICE_SID);
    assert.equal(message.form.From, undefined);
  });

  test('without the auth token no StatusCallback is asked for (its receipts could not be verified); none without a receipt URL either', async () => {
    assertOutcomeKind(await send({ authToken: undefined, apiKeySid: API_KEY_SID, apiKeySecret: API_KEY_SECRET }), 'sent');
    assert.equal(server.received.at(-1)!.form.StatusCallback, undefined);
    const withoutUrl = await sender({}, undefined).send(sampleSendRequest({ address: TO }), environment.context());
    assertOutcomeKind(withoutUrl, 'sent');
    assert.equal(server.received.at(-1)!.form.StatusCallback, undefined);
  });

  test("the sms override's text is sent when the renderer gives one", async () => {
    const request = sampleSendRequest({ address: TO });
    const content = { ...request.content, extras: { sms: { text: 'Your code is 123456' } } };
    assertOutcomeKind(await send({}, { ...request, content }), 'sent');
    assert.equal(server.received.at(-1)!.form.Body, 'Your code is 123456');
  });

  test('a wrong auth token is failed TWILIO_20003', async () => {
    const outcome = await send({ authToken: 'wrong-token' });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'TWILIO_20003');
  });

  test('recipient problems are permanent: 21211 invalid, 21610 unsubscribed, 21614 not a mobile', async () => {
    for (const [address, code] of [
      ['0155501', 'TWILIO_21211'],
      ['+14155550111', 'TWILIO_21610'],
      ['+14155550122', 'TWILIO_21614'],
    ] as const) {
      const outcome = await send({}, sampleSendRequest({ address }));
      assertOutcomeKind(outcome, 'failed');
      assert.equal(outcome.code, code);
      assert.match(outcome.message, /^Twilio \d+: /);
    }
  });

  test('an empty body is failed TWILIO_21602, an overlong one TWILIO_21617', async () => {
    const request = sampleSendRequest({ address: TO });
    const empty = await send({}, { ...request, content: { ...request.content, text: '' } });
    assertOutcomeKind(empty, 'failed');
    assert.equal(empty.code, 'TWILIO_21602');
    const long = await send({}, { ...request, content: { ...request.content, text: 'x'.repeat(1601) } });
    assertOutcomeKind(long, 'failed');
    assert.equal(long.code, 'TWILIO_21617');
  });

  test('throttling (20429) is rate_limited with the Retry-After delay', async () => {
    server.setMode('throttled');
    const outcome = await send();
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'TWILIO_20429');
    assert.equal(outcome.retryAfterMs, 2000);
  });

  test('a 5xx is retry with its Twilio code', async () => {
    server.setMode('transient-error');
    const outcome = await send();
    assertOutcomeKind(outcome, 'retry');
    assert.equal(outcome.code, 'TWILIO_20500');
  });

  test('a send without an address fails without calling Twilio', async () => {
    const before = server.requestCount;
    const outcome = await send({}, sampleSendRequest({ address: null }));
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'ADDRESS_MISSING');
    assert.equal(server.requestCount, before);
  });

  describe('StatusCallback receipts', () => {
    const config = { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM };
    const parse = (request: ReceiptRequest, authToken: string | undefined) => twilioSmsProvider.receipts!.parse(request, { ...config, authToken });

    async function sentSid(receiptUrl = RECEIPT_URL): Promise<string> {
      const outcome = await send({}, sampleSendRequest({ address: TO }), receiptUrl);
      assertOutcomeKind(outcome, 'sent');
      return outcome.providerMessageId!;
    }

    test('delivered is a delivered entry, answered 200', async () => {
      const sid = await sentSid();
      const result = parse(server.statusPush(sid, 'delivered'), AUTH_TOKEN);
      assert.deepEqual(result, { kind: 'accepted', entries: [{ providerMessageId: sid, status: 'delivered' }], reply: { status: 200, contentType: 'text/plain', body: '' } });
    });

    test('undelivered and failed carry the ErrorCode', async () => {
      const sid = await sentSid();
      for (const status of ['undelivered', 'failed']) {
        const result = parse(server.statusPush(sid, status, { errorCode: '30003' }), AUTH_TOKEN);
        assert.equal(result.kind, 'accepted');
        assert.deepEqual(result.entries, [{ providerMessageId: sid, status: 'undelivered', code: '30003', message: `Twilio MessageStatus ${status}, error 30003` }]);
      }
    });

    test('intermediate statuses are accepted with no entry', async () => {
      const sid = await sentSid();
      for (const status of ['queued', 'sending', 'sent', 'accepted']) {
        const result = parse(server.statusPush(sid, status), AUTH_TOKEN);
        assert.equal(result.kind, 'accepted', status);
        assert.deepEqual(result.entries, [], status);
        assert.equal(result.reply.status, 200);
      }
    });

    test('parameters Twilio adds without notice are signed too and accepted', async () => {
      const sid = await sentSid();
      const result = parse(server.statusPush(sid, 'delivered', { extraParameters: { RawDlrDoneDate: '2601051701', Body: 'a + b & c=d' } }), AUTH_TOKEN);
      assert.equal(result.kind, 'accepted');
    });

    test('a signature over the URL with its default port written out is accepted, as twilio-node does', async () => {
      const sid = await sentSid();
      const result = parse(server.statusPush(sid, 'delivered', { signedUrl: 'https://herald.example.com:443/receipts/acc_twilio/rt_0123456789' }), AUTH_TOKEN);
      assert.equal(result.kind, 'accepted');
      const withPort = 'https://herald.example.com:443/receipts/acc_twilio/rt_0123456789?x=1';
      const sidWithPort = await sentSid(withPort);
      assert.equal(parse(server.statusPush(sidWithPort, 'delivered', { signedUrl: 'https://herald.example.com/receipts/acc_twilio/rt_0123456789?x=1' }), AUTH_TOKEN).kind, 'accepted');
    });

    test('a push signed with another token, for another URL, tampered with or unsigned is refused with 403', async () => {
      const sid = await sentSid();
      const forged = parse(server.statusPush(sid, 'delivered', { signWithToken: 'not-the-token' }), AUTH_TOKEN);
      assert.equal(forged.kind, 'refused');
      assert.equal(forged.reply.status, 403);

      assert.equal(parse(server.statusPush(sid, 'delivered', { signedUrl: 'https://evil.example.com/receipts/acc_twilio/rt_0123456789' }), AUTH_TOKEN).kind, 'refused');

      const push = server.statusPush(sid, 'failed', { errorCode: '30003' });
      const tampered = { ...push, body: Buffer.from(push.body.toString('utf8').replace('failed', 'delivered')) };
      assert.equal(parse(tampered, AUTH_TOKEN).kind, 'refused');

      const { 'x-twilio-signature': _signature, ...unsignedHeaders } = push.headers;
      const unsigned = parse({ ...push, headers: unsignedHeaders }, AUTH_TOKEN);
      assert.equal(unsigned.kind, 'refused');
      assert.equal(unsigned.reply.status, 403);
    });

    test('an account without the auth token refuses every push, naming the field', async () => {
      const sid = await sentSid();
      const result = parse(server.statusPush(sid, 'delivered'), undefined);
      assert.equal(result.kind, 'refused');
      assert.match(result.reason, /authToken/);
    });

    test('a signed push without MessageSid is refused as unreadable (400)', () => {
      const params = new URLSearchParams({ AccountSid: ACCOUNT_SID, MessageStatus: 'delivered' });
      const signature = signTwilioRequest(AUTH_TOKEN, RECEIPT_URL, parseFormParameters(params.toString()));
      const result = parse({ url: RECEIPT_URL, headers: { 'x-twilio-signature': signature }, body: Buffer.from(params.toString()) }, AUTH_TOKEN);
      assert.equal(result.kind, 'refused');
      assert.equal(result.reply.status, 400);
    });
  });
});

describe('twilio signature', () => {
  test("matches Twilio's documented example", () => {
    // From Twilio's request-validation docs (api-snippets security/signature_validation, auth token 12345);
    // recomputed with: printf '%s' '<url><sorted name+value pairs>' | openssl dgst -sha1 -hmac 12345 -binary | base64
    const params = parseFormParameters('CallSid=CA1234567890ABCDE&Caller=%2B14158675310&Digits=1234&From=%2B14158675310&To=%2B18005551212');
    assert.equal(signTwilioRequest('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params), 'GvWf1cFY/Q7PnoempGyD5oXAezc=');
  });

  test('a repeated parameter is signed once per distinct value, values sorted', () => {
    const repeated = parseFormParameters('B=2&A=z&A=y&A=z');
    const explicit = parseFormParameters('A=y&B=2');
    assert.notEqual(signTwilioRequest('t', 'https://x.test/', repeated), signTwilioRequest('t', 'https://x.test/', explicit));
    // "https://x.test/" + "Ay" + "Az" + "B2"
    assert.equal(signTwilioRequest('t', 'https://x.test/', repeated), signTwilioRequest('t', 'https://x.test/Ay', parseFormParameters('Az=&B2=')));
  });

  test('URL forms: as given, without the port, with the default port', () => {
    assert.deepEqual(twilioSignatureUrls('https://h.example.com/r?a=1'), ['https://h.example.com/r?a=1', 'https://h.example.com:443/r?a=1']);
    assert.deepEqual(twilioSignatureUrls('http://h.example.com:8080/r'), ['http://h.example.com:8080/r', 'http://h.example.com/r']);
  });
});

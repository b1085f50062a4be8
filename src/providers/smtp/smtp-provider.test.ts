import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { simpleParser, type AddressObject } from 'mailparser';
import { HeraldError } from '../../errors.ts';
import { describeProviderConformance } from '../conformance/provider-conformance.ts';
import {
  assertOutcomeKind,
  createTestProviderEnvironment,
  sampleSendRequest,
  type TestProviderEnvironment,
  testSenderEnvironment,
} from '../conformance/provider-test-support.ts';
import { parseMailbox } from './mailbox.ts';
import { messageIdForDedupKey, smtpProvider, type SmtpConfig } from './smtp-provider.ts';
import { startSmtpTestServer, type SmtpTestServer } from './smtp-test-server.ts';

const RECIPIENT = 'alice@example.com';
const plainAccount = (port: number): SmtpConfig => ({
  host: '127.0.0.1',
  port,
  starttls: 'disabled',
  from: 'Herald Alerts <alerts@herald.example>',
  connectionTimeoutMs: 2000,
});

describeProviderConformance<SmtpConfig>({
  definition: smtpProvider,
  startServer: () => startSmtpTestServer(),
  accountConfig: plainAccount,
  address: RECIPIENT,
  invalidConfigs: [
    { name: 'missing from', config: { host: 'smtp.example.com' } },
    { name: 'port out of range', config: { host: 'smtp.example.com', from: 'a@example.com', port: 70000 } },
    { name: 'unknown starttls mode', config: { host: 'smtp.example.com', from: 'a@example.com', starttls: 'sometimes' } },
  ],
  // SMTP connects with its own sockets; see the report on extending the SSRF guard to it.
});

const addressesOf = (field: AddressObject | AddressObject[] | undefined) =>
  [field ?? []].flat().flatMap((group) => group.value.map((mailbox) => mailbox.address));

describe('smtp provider', () => {
  let server: SmtpTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startSmtpTestServer();
    environment = createTestProviderEnvironment();
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => server.setMode('normal'));

  async function sendOnce(config: SmtpConfig, overrides: Parameters<typeof sampleSendRequest>[0] = {}) {
    const sender = smtpProvider.createSender({ id: 'acc_smtp', name: 'mail', config }, testSenderEnvironment());
    try {
      return await sender.send(sampleSendRequest({ address: RECIPIENT, ...overrides }), environment.context());
    } finally {
      await sender.close?.();
    }
  }

  test('sends subject, text and html parts with From, To, Reply-To and the dedup headers', async () => {
    const outcome = await sendOnce({ ...plainAccount(server.port), replyTo: 'ops@herald.example' });
    assertOutcomeKind(outcome, 'sent');

    const request = sampleSendRequest({ address: RECIPIENT });
    const expectedMessageId = messageIdForDedupKey(request.dedupKey, 'herald.example');
    assert.equal(outcome.providerMessageId, expectedMessageId);

    const mail = server.received.at(-1)!;
    assert.equal(mail.from, 'alerts@herald.example');
    assert.deepEqual(mail.to, [RECIPIENT]);
    const parsed = await simpleParser(mail.raw);
    assert.equal(parsed.subject, request.content.title);
    assert.equal(parsed.text?.trim(), request.content.text);
    assert.equal(parsed.html, request.content.html);
    assert.equal(parsed.from?.value[0].name, 'Herald Alerts');
    assert.equal(parsed.from?.value[0].address, 'alerts@herald.example');
    assert.deepEqual(addressesOf(parsed.to), [RECIPIENT]);
    assert.deepEqual(addressesOf(parsed.replyTo), ['ops@herald.example']);
    assert.equal(parsed.messageId, expectedMessageId);
    assert.equal(parsed.headers.get('x-herald-delivery-id'), request.deliveryId);
  });

  test('every attempt of a delivery carries the same Message-ID; other deliveries differ', async () => {
    const config = plainAccount(server.port);
    await sendOnce(config, { attempt: 1 });
    await sendOnce(config, { attempt: 2 });
    await sendOnce(config, { dedupKey: 'another-delivery' });
    const [first, second, other] = await Promise.all(server.received.slice(-3).map((mail) => simpleParser(mail.raw)));
    assert.equal(first.messageId, second.messageId);
    assert.notEqual(first.messageId, other.messageId);
  });

  test('a message without html is sent as text only', async () => {
    const base = sampleSendRequest();
    assertOutcomeKind(await sendOnce(plainAccount(server.port), { content: { ...base.content, html: undefined } }), 'sent');
    const parsed = await simpleParser(server.received.at(-1)!.raw);
    assert.equal(parsed.html, false);
    assert.equal(parsed.text?.trim(), base.content.text);
  });

  test('RCPT rejected with 550 is failed SMTP_550', async () => {
    server.setMode('permanent-error');
    const outcome = await sendOnce(plainAccount(server.port));
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'SMTP_550');
    assert.match(outcome.message, /No such user/);
  });

  test('RCPT rejected with 451 is retry SMTP_451', async () => {
    server.setMode('transient-error');
    const outcome = await sendOnce(plainAccount(server.port));
    assertOutcomeKind(outcome, 'retry');
    assert.equal(outcome.code, 'SMTP_451');
  });

  test('a recipient that is not an e-mail address is failed INVALID_ADDRESS without contacting the server', async () => {
    const requestsBefore = server.requestCount;
    const outcome = await sendOnce(plainAccount(server.port), { address: 'not-an-address' });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'INVALID_ADDRESS');
    assert.equal(server.requestCount, requestsBefore);
  });

  test('starttls "required" against a server without STARTTLS fails instead of sending in plaintext', async () => {
    const requestsBefore = server.requestCount;
    const outcome = await sendOnce({ ...plainAccount(server.port), starttls: 'required' });
    assertOutcomeKind(outcome, 'failed');
    assert.equal(server.requestCount, requestsBefore, 'no MAIL FROM reached the server');
  });

  test('a sender keeps its connection open and reuses it for the next messages', async () => {
    const sender = smtpProvider.createSender({ id: 'acc_pool', name: 'pool', config: plainAccount(server.port) }, testSenderEnvironment());
    try {
      const connectionsBefore = server.connectionCount;
      for (let i = 0; i < 3; i++) {
        assertOutcomeKind(await sender.send(sampleSendRequest({ address: RECIPIENT, dedupKey: `pool-${i}` }), environment.context()), 'sent');
      }
      assert.equal(server.connectionCount - connectionsBefore, 1);
    } finally {
      await sender.close?.();
    }
  });
});

describe('smtp provider with authentication', () => {
  let server: SmtpTestServer;
  let environment: TestProviderEnvironment;
  const credentials = { user: 'herald', password: 'correct horse' };

  before(async () => {
    server = await startSmtpTestServer({ auth: credentials });
    environment = createTestProviderEnvironment();
  });
  after(async () => {
    await environment.close();
    await server.close();
  });

  const send = async (password: string) => {
    const sender = smtpProvider.createSender({
      id: 'acc_auth',
      name: 'auth',
      config: { ...plainAccount(server.port), user: credentials.user, password },
    }, testSenderEnvironment());
    try {
      return await sender.send(sampleSendRequest({ address: RECIPIENT }), environment.context());
    } finally {
      await sender.close?.();
    }
  };

  test('the right password sends', async () => {
    assertOutcomeKind(await send(credentials.password), 'sent');
  });

  test('a wrong password is failed SMTP_535', async () => {
    const outcome = await send('wrong password');
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'SMTP_535');
  });
});

describe('smtp config validation', () => {
  const valid: SmtpConfig = { host: 'smtp.example.com', from: 'alerts@example.com' };

  test('accepts bare and named sender addresses', () => {
    smtpProvider.validateConfig!(valid);
    smtpProvider.validateConfig!({ ...valid, from: '"Herald, Alerts" <alerts@example.com>', replyTo: 'ops@example.com' });
    assert.deepEqual(parseMailbox('"Herald, Alerts" <alerts@example.com>'), { name: 'Herald, Alerts', address: 'alerts@example.com' });
  });

  test('refuses bad addresses, hosts and half credentials, naming the field', () => {
    const cases: Array<[Partial<SmtpConfig>, string, string]> = [
      [{ from: 'alerts' }, 'SMTP_ADDRESS_INVALID', 'from'],
      [{ from: 'Herald <alerts@example.com' }, 'SMTP_ADDRESS_INVALID', 'from'],
      [{ from: 'Herald\r\nBcc: x@y.z <alerts@example.com>' }, 'SMTP_ADDRESS_INVALID', 'from'],
      [{ replyTo: 'ops at example.com' }, 'SMTP_ADDRESS_INVALID', 'replyTo'],
      [{ host: 'smtp://smtp.example.com:587' }, 'SMTP_HOST_INVALID', 'host'],
      [{ user: 'herald' }, 'SMTP_CREDENTIALS_INCOMPLETE', 'password'],
    ];
    for (const [override, code, field] of cases) {
      assert.throws(
        () => smtpProvider.validateConfig!({ ...valid, ...override }),
        (error: unknown) => error instanceof HeraldError && error.code === code && error.details.field === field,
        JSON.stringify(override),
      );
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../../clock.ts';
import { HeraldError } from '../../errors.ts';
import { describeProviderConformance } from '../conformance/provider-conformance.ts';
import {
  assertOutcomeKind,
  createTestProviderEnvironment,
  sampleSendRequest,
  type TestProviderEnvironment,
  testSenderEnvironment,
} from '../conformance/provider-test-support.ts';
import type { SendRequest } from '../provider.ts';
import { customHttpProvider, type CustomHttpConfig } from './custom-http-provider.ts';
import { startCustomHttpTestServer, type CustomHttpTestServer } from './custom-http-test-server.ts';

const TOKEN = 'im-api-token-5d1e';
const USERS = ['lilei', 'hanmeimei'];
const JSON_TEMPLATE = '{"to":"lilei","title":"{{ title }}","text":"{{ text }}"}';

const imConfig = (url: string, overrides: Partial<CustomHttpConfig> = {}): CustomHttpConfig => ({
  url,
  headers: { Authorization: `Bearer ${TOKEN}` },
  bodyTemplate: JSON_TEMPLATE,
  success: { jsonField: 'code', equals: 0 },
  messageIdField: 'data.msgId',
  ...overrides,
});

describeProviderConformance<CustomHttpConfig>({
  definition: customHttpProvider,
  startServer: () => startCustomHttpTestServer({ token: TOKEN, users: USERS }),
  accountConfig: (port) => imConfig(`http://127.0.0.1:${port}/api/v1/messages`),
  invalidConfigs: [
    { name: 'missing bodyTemplate', config: { url: 'https://im.example.com/api' } },
    { name: 'empty bodyTemplate', config: { url: 'https://im.example.com/api', bodyTemplate: '' } },
    { name: 'method GET', config: { url: 'https://im.example.com/api', bodyTemplate: '{}', method: 'GET' } },
    { name: 'non-integer statusMin', config: { url: 'https://im.example.com/api', bodyTemplate: '{}', success: { statusMin: 200.5 } } },
    { name: 'status out of range', config: { url: 'https://im.example.com/api', bodyTemplate: '{}', success: { statusMax: 600 } } },
    { name: 'equals an object', config: { url: 'https://im.example.com/api', bodyTemplate: '{}', success: { jsonField: 'code', equals: { a: 1 } } } },
    { name: 'unknown success field', config: { url: 'https://im.example.com/api', bodyTemplate: '{}', success: { field: 'code' } } },
    { name: 'idempotencyKeyHeader true', config: { url: 'https://im.example.com/api', bodyTemplate: '{}', idempotencyKeyHeader: true } },
  ],
});

/** The HeraldError validateConfig throws for `config`, asserted to be `invalid` and to name `field`. */
function refusal(config: CustomHttpConfig, field: string): HeraldError {
  let caught: unknown;
  try {
    customHttpProvider.validateConfig!(config);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof HeraldError, `validateConfig refuses: ${JSON.stringify(config)}`);
  assert.equal(caught.kind, 'invalid');
  assert.equal(caught.details.field, field);
  assert.ok(caught.message.startsWith(`${field}: `), caught.message);
  return caught;
}

describe('custom-http provider', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0, 0));
  let server: CustomHttpTestServer;
  let environment: TestProviderEnvironment;

  before(async () => {
    server = await startCustomHttpTestServer({ token: TOKEN, users: USERS, retryAfter: '7' });
    environment = createTestProviderEnvironment({ clock, requestTimeoutMs: 300 });
  });
  after(async () => {
    await environment.close();
    await server.close();
  });
  beforeEach(() => server.setMode('normal'));

  const send = (config: CustomHttpConfig, request: SendRequest = sampleSendRequest()) =>
    customHttpProvider.createSender({ id: 'acc_im', name: 'im', config }, testSenderEnvironment()).send(request, environment.context());

  const trickyTitle = 'Say "hi" \\ {{ not liquid }} {% raw %}\nline 2\ttab </script> 你好 \u2028';

  test('renders the body template, JSON-escaping every output, and sends the exact request', async () => {
    const request = sampleSendRequest({ attempt: 3, content: { ...sampleSendRequest().content, title: trickyTitle } });
    const outcome = await send(imConfig(`${server.url}?tenant=acme`), request);

    assertOutcomeKind(outcome, 'sent');
    const { msgId } = server.delivered.at(-1)!;
    assert.equal(outcome.providerMessageId, msgId, 'the id comes from messageIdField data.msgId');
    const { method, url, headers, rawBody, body } = server.received.at(-1)!;
    assert.equal(method, 'POST');
    assert.equal(url, '/api/v1/messages?tenant=acme');
    assert.equal(headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['idempotency-key'], request.dedupKey);
    assert.equal(
      rawBody,
      '{"to":"lilei","title":"Say \\"hi\\" \\\\ {{ not liquid }} {% raw %}\\nline 2\\ttab </script> 你好 \u2028","text":"herald v1.2.3 is live on production."}',
    );
    assert.deepEqual(body, { to: 'lilei', title: trickyTitle, text: request.content.text });
    assert.equal(server.delivered.at(-1)!.title, trickyTitle, 'the title arrives exactly as written');
  });

  test('a value cannot break out of its JSON string: a title closing the quote stays inside it', async () => {
    const injection = '","to":"hanmeimei","x":"';
    const request = sampleSendRequest({ content: { ...sampleSendRequest().content, title: injection } });
    const outcome = await send(imConfig(server.url), request);
    assertOutcomeKind(outcome, 'sent');
    assert.deepEqual(server.received.at(-1)!.body, { to: 'lilei', title: injection, text: request.content.text });
    assert.equal(server.delivered.at(-1)!.to, 'lilei');
  });

  test('the template sees the delivery and the rendered message; | json writes JSON literals', async () => {
    const template =
      '{"to":"{{ metadata.team }}-{{ appId }}","text":"{{ summary }} #{{ attempt }} {{ sentAt }} {{ messageId }} {{ deliveryId }}",' +
      '"extra":{"attempt":{{ attempt }},"metadata":{{ metadata | json }},"url":{{ url | json }},"html":{{ html | json }},' +
      '"ticket":{{ extras.ticket | json }},"markdown":"{{ markdown }}","key":"{{ secrets.appKey }}"}}';
    const usersServer = await startCustomHttpTestServer({ token: TOKEN, users: ['platform-app_test'] });
    try {
      const request = sampleSendRequest({ attempt: 2, content: { ...sampleSendRequest().content, html: undefined, extras: { ticket: { id: 7, tags: ['a"b'] } } } });
      const outcome = await customHttpProvider
        .createSender({ id: 'acc_im', name: 'im', config: imConfig(usersServer.url, { bodyTemplate: template, secrets: { appKey: 'k"1' } }) }, testSenderEnvironment())
        .send(request, environment.context());
      assertOutcomeKind(outcome, 'sent');
      assert.deepEqual(usersServer.received[0].body, {
        to: 'platform-app_test',
        text: `herald v1.2.3 is live #2 2026-01-05T09:00:00.000Z ${request.messageId} ${request.deliveryId}`,
        extra: {
          attempt: 2,
          metadata: { team: 'platform' },
          url: 'https://example.com/deploys/123',
          html: null,
          ticket: { id: 7, tags: ['a"b'] },
          markdown: request.content.markdown,
          key: 'k"1',
        },
      });
    } finally {
      await usersServer.close();
    }
  });

  test('form bodies URL-encode every output', async () => {
    const title = 'a&b=c d+e%f 你好';
    const request = sampleSendRequest({ content: { ...sampleSendRequest().content, title } });
    const outcome = await send(
      imConfig(server.formUrl, { contentType: 'application/x-www-form-urlencoded', bodyTemplate: 'to=hanmeimei&title={{ title }}&text={{ text }}' }),
      request,
    );
    assertOutcomeKind(outcome, 'sent');
    const { headers, rawBody, body } = server.received.at(-1)!;
    assert.equal(headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(rawBody, `to=hanmeimei&title=a%26b%3Dc%20d%2Be%25f%20%E4%BD%A0%E5%A5%BD&text=${encodeURIComponent(request.content.text)}`);
    assert.deepEqual(body, { to: 'hanmeimei', title, text: request.content.text });
  });

  test('the configured method and content type parameters are sent as given', async () => {
    const putServer = await startCustomHttpTestServer({ token: TOKEN, users: USERS, method: 'PUT' });
    try {
      const config = imConfig(putServer.url, { method: 'PUT', contentType: 'application/json; charset=utf-8' });
      assertOutcomeKind(await send(config), 'sent');
      assert.equal(putServer.received[0].method, 'PUT');
      assert.equal(putServer.received[0].headers['content-type'], 'application/json; charset=utf-8');

      const wrongMethod = await send({ ...config, method: 'PATCH' });
      assertOutcomeKind(wrongMethod, 'failed');
      assert.equal(wrongMethod.code, 'HTTP_405');
    } finally {
      await putServer.close();
    }
  });

  test('the dedup key travels in Idempotency-Key, so a retried delivery is not delivered twice', async () => {
    const request = sampleSendRequest({ dedupKey: 'msg_1:rcv_1:im-dedup' });
    const deliveredBefore = server.delivered.length;
    const first = await send(imConfig(server.url), request);
    const second = await send(imConfig(server.url), { ...request, attempt: 2 });
    assertOutcomeKind(first, 'sent');
    assertOutcomeKind(second, 'sent');
    assert.equal(second.providerMessageId, first.providerMessageId);
    assert.equal(server.delivered.length, deliveredBefore + 1);

    assertOutcomeKind(await send(imConfig(server.url, { idempotencyKeyHeader: 'X-Request-Id' }), request), 'sent');
    assert.equal(server.received.at(-1)!.headers['x-request-id'], request.dedupKey);
    assert.equal(server.received.at(-1)!.headers['idempotency-key'], undefined);

    assertOutcomeKind(await send(imConfig(server.url, { idempotencyKeyHeader: false }), request), 'sent');
    assert.equal(server.received.at(-1)!.headers['idempotency-key'], undefined);
  });

  test('a JSON field other than the success value is failed CUSTOM_HTTP_REJECTED naming the field and the value seen', async () => {
    const config = imConfig(server.url, { bodyTemplate: '{"to":"nobody","text":"{{ text }}"}' });
    const outcome = await send(config);
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'CUSTOM_HTTP_REJECTED');
    assert.match(outcome.message, /^code is 40013, expected 0: HTTP 200: .*unknown user/);

    const nested = await send({ ...config, success: { jsonField: 'data.status', equals: 'ok' } });
    assertOutcomeKind(nested, 'failed');
    assert.match(nested.message, /^data\.status is missing, expected "ok"/);

    const typed = await send({ ...imConfig(server.url), success: { jsonField: 'code', equals: '0' } });
    assertOutcomeKind(typed, 'failed');
    assert.match(typed.message, /^code is 0, expected "0"/, 'values compare with their JSON type');

    const withoutRule = await send({ ...config, success: undefined });
    assertOutcomeKind(withoutRule, 'sent');
    assert.equal(withoutRule.providerMessageId, undefined, 'without a rule HTTP 200 is success; the answer has no data.msgId');
  });

  test('the status range decides success: a 202 is sent by default and failed when the range ends at 200', async () => {
    server.setMode('accepted');
    assertOutcomeKind(await send(imConfig(server.url)), 'sent');
    const narrow = await send(imConfig(server.url, { success: { statusMax: 200, jsonField: 'code', equals: 0 } }));
    assertOutcomeKind(narrow, 'failed');
    assert.equal(narrow.code, 'HTTP_202');
    assert.match(narrow.message, /success is 200–200/);
  });

  test('an answer that is not JSON is retry INVALID_RESPONSE when the rule needs a field, sent when it does not', async () => {
    server.setMode('html-answer');
    const outcome = await send(imConfig(server.url));
    assertOutcomeKind(outcome, 'retry');
    assert.equal(outcome.code, 'INVALID_RESPONSE');
    const plain = await send(imConfig(server.url, { success: undefined, messageIdField: undefined }));
    assertOutcomeKind(plain, 'sent');
  });

  test('429 is rate_limited with the Retry-After delay, as seconds or as an HTTP date', async () => {
    server.setMode('rate-limited');
    const outcome = await send(imConfig(server.url));
    assertOutcomeKind(outcome, 'rate_limited');
    assert.equal(outcome.code, 'HTTP_429');
    assert.equal(outcome.retryAfterMs, 7000);

    const dated = await startCustomHttpTestServer({ token: TOKEN, users: USERS, retryAfter: new Date(clock.now() + 90_000).toUTCString() });
    try {
      dated.setMode('rate-limited');
      const datedOutcome = await send(imConfig(dated.url));
      assertOutcomeKind(datedOutcome, 'rate_limited');
      assert.equal(datedOutcome.retryAfterMs, 90_000);
    } finally {
      await dated.close();
    }
  });

  test('5xx is retry, a refused token is failed HTTP_401, a malformed body failed HTTP_400', async () => {
    server.setMode('transient-error');
    const serverError = await send(imConfig(server.url));
    assertOutcomeKind(serverError, 'retry');
    assert.equal(serverError.code, 'HTTP_500');

    server.setMode('normal');
    const badToken = await send(imConfig(server.url, { headers: { Authorization: 'Bearer wrong' } }));
    assertOutcomeKind(badToken, 'failed');
    assert.equal(badToken.code, 'HTTP_401');
    assert.equal(server.rejections.at(-1), 'bad token');

    const missingText = await send(imConfig(server.url, { bodyTemplate: '{"to":"lilei","text":"{{ summary }}","extra":1}' }));
    assertOutcomeKind(missingText, 'failed');
    assert.equal(missingText.code, 'HTTP_400');
  });

  test('a variable the message does not have fails the send CUSTOM_HTTP_TEMPLATE_ERROR with its position, sending nothing', async () => {
    const before = server.requestCount;
    const outcome = await send(imConfig(server.url, { bodyTemplate: '{"to":"lilei",\n  "text":"{{ extras.ticket.id }}"}' }));
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'CUSTOM_HTTP_TEMPLATE_ERROR');
    assert.equal(outcome.message, 'bodyTemplate: line 2, column 14: undefined variable: extras.ticket');
    assert.equal(server.requestCount, before);
  });

  test('optional data is guarded with | default or {% if %}, so a message without it still sends', async () => {
    const template =
      '{"to":"lilei","text":"{{ text }}","extra":{"order":{{ metadata.orderId | default: nil | json }},' +
      '"label":"{{ metadata.label | default: "none" }}","ticket":{% if extras.ticket %}true{% else %}false{% endif %}}}';
    const outcome = await send(imConfig(server.url, { bodyTemplate: template }));
    assertOutcomeKind(outcome, 'sent');
    assert.deepEqual(server.received.at(-1)!.body.extra, { order: null, label: 'none', ticket: false });
  });

  test('a render that exceeds its time or memory bound fails CUSTOM_HTTP_TEMPLATE_ERROR instead of building a huge body', async () => {
    const before = server.requestCount;
    const outcome = await send(imConfig(server.url, { bodyTemplate: '{"to":"lilei","text":"{% for i in (1..1000000) %}{{ text }}{% endfor %}"}' }));
    assertOutcomeKind(outcome, 'failed');
    assert.equal(outcome.code, 'CUSTOM_HTTP_TEMPLATE_ERROR');
    assert.match(outcome.message, /limit exceeded/);
    assert.equal(server.requestCount, before);
  });

  test('a JSON body that does not parse is failed CUSTOM_HTTP_BODY_INVALID without quoting it, sending nothing', async () => {
    const before = server.requestCount;
    const config = imConfig(server.url, { bodyTemplate: '{"to":"lilei","text":{{ text }},"key":"{{ secrets.k }}"}', secrets: { k: 'sekret-value' } });
    const unquoted = await send(config);
    assertOutcomeKind(unquoted, 'failed');
    assert.equal(unquoted.code, 'CUSTOM_HTTP_BODY_INVALID');
    assert.match(unquoted.message, /^bodyTemplate rendered a body \(\d+ characters\) that is not valid JSON; quote string outputs/);
    assert.ok(!unquoted.message.includes('sekret-value') && !unquoted.message.includes('herald v1.2.3'), 'the body is not quoted');

    const trailingComma = await send({ ...config, bodyTemplate: '{"to":"lilei",\n"text":"{{ text }}",\n}' });
    assertOutcomeKind(trailingComma, 'failed');
    assert.equal(trailingComma.code, 'CUSTOM_HTTP_BODY_INVALID');
    assert.match(trailingComma.message, /not valid JSON at line 3, column 1;/);
    assert.equal(server.requestCount, before);
  });

  test('the worked example of docs/custom-http-provider.md sends what the doc shows', async () => {
    const doc = readFileSync(new URL('../../../docs/custom-http-provider.md', import.meta.url), 'utf8');
    const account = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(doc)![1]) as { type: string; config: CustomHttpConfig };
    const shownBody = /```\nPOST \/api\/v1\/messages\n[\s\S]*?\n\n(.*)\n```/.exec(doc)![1];
    assert.equal(account.type, customHttpProvider.type);
    customHttpProvider.validateConfig!(account.config);

    const docServer = await startCustomHttpTestServer({ token: 'im-token-from-the-it-team', users: ['lilei'] });
    try {
      const config = { ...account.config, url: account.config.url.replace('https://im.example.com', docServer.origin) };
      const request = sampleSendRequest({ content: { ...sampleSendRequest().content, title: 'Order "1001" paid', text: 'Paid by Li Lei' }, metadata: { imUser: 'lilei' } });
      const outcome = await customHttpProvider.createSender({ id: 'acc_doc', name: 'company-im', config }, testSenderEnvironment()).send(request, environment.context());
      assertOutcomeKind(outcome, 'sent');
      assert.equal(outcome.providerMessageId, 'im_1');
      assert.equal(docServer.received[0].rawBody, shownBody);
      assert.equal(docServer.received[0].headers['idempotency-key'], request.dedupKey);
    } finally {
      await docServer.close();
    }
  });

  test('validateConfig refuses a broken template at save time, naming bodyTemplate, line and column', () => {
    const base = imConfig('https://im.example.com/api/v1/messages');
    const syntax = refusal({ ...base, bodyTemplate: '{"to":"lilei",\n "text":"{{ text "}' }, 'bodyTemplate');
    assert.equal(syntax.code, 'CUSTOM_HTTP_TEMPLATE_INVALID');
    assert.match(syntax.message, /^bodyTemplate: line 2, column 10: output "\{\{ text \\"\}" not closed/);
    assert.deepEqual([syntax.details.line, syntax.details.column], [2, 10]);

    assert.match(refusal({ ...base, bodyTemplate: '{"text":"{{ text | raw }}"}' }, 'bodyTemplate').message, /undefined filter: raw/);
    assert.match(refusal({ ...base, bodyTemplate: '{"text":"{{ text | shout }}"}' }, 'bodyTemplate').message, /undefined filter: shout/);
    assert.match(refusal({ ...base, bodyTemplate: '{% include "secrets.json" %}' }, 'bodyTemplate').message, /include %\} tag is not allowed/);
    assert.match(refusal({ ...base, bodyTemplate: '{% render "x" %}' }, 'bodyTemplate').message, /render %\} tag is not allowed/);
    customHttpProvider.validateConfig!({ ...base, bodyTemplate: '{"text":"{{ text | upcase }}","m":{{ metadata | json }}}' });
  });

  test('validateConfig refuses what the schema cannot see, naming the field', () => {
    const base = imConfig('https://im.example.com/api/v1/messages');
    assert.equal(refusal({ ...base, url: 'ftp://im.example.com/x' }, 'url').code, 'OUTBOUND_URL_NOT_ALLOWED');
    assert.equal(refusal({ ...base, contentType: 'application/xml' }, 'contentType').code, 'CUSTOM_HTTP_CONTENT_TYPE_UNSUPPORTED');
    assert.equal(refusal({ ...base, contentType: 'application/json\r\nX-Injected: 1' }, 'contentType').code, 'CUSTOM_HTTP_CONTENT_TYPE_UNSUPPORTED');
    assert.equal(refusal({ ...base, headers: { 'Content-Type': 'text/xml' } }, 'headers.Content-Type').code, 'CUSTOM_HTTP_HEADER_RESERVED');
    assert.equal(refusal({ ...base, headers: { 'X-Ok': 'a\r\nInjected: 1' } }, 'headers.X-Ok').code, 'CUSTOM_HTTP_HEADER_INVALID');
    assert.equal(refusal({ ...base, headers: { 'idempotency-key': 'fixed' } }, 'headers.idempotency-key').code, 'CUSTOM_HTTP_HEADER_RESERVED');
    assert.equal(refusal({ ...base, idempotencyKeyHeader: 'Bad Name' }, 'idempotencyKeyHeader').code, 'CUSTOM_HTTP_HEADER_INVALID');
    assert.equal(refusal({ ...base, idempotencyKeyHeader: 'Host' }, 'idempotencyKeyHeader').code, 'CUSTOM_HTTP_HEADER_RESERVED');
    assert.equal(refusal({ ...base, success: { statusMin: 300, statusMax: 299 } }, 'success.statusMin').code, 'CUSTOM_HTTP_SUCCESS_RULE_INVALID');
    assert.equal(refusal({ ...base, success: { jsonField: 'code' } }, 'success.equals').code, 'CUSTOM_HTTP_SUCCESS_RULE_INVALID');
    assert.equal(refusal({ ...base, success: { equals: 0 } }, 'success.jsonField').code, 'CUSTOM_HTTP_SUCCESS_RULE_INVALID');
    assert.equal(refusal({ ...base, success: { jsonField: 'data..code', equals: 0 } }, 'success.jsonField').code, 'CUSTOM_HTTP_SUCCESS_RULE_INVALID');
    assert.equal(refusal({ ...base, messageIdField: 'data.' }, 'messageIdField').code, 'CUSTOM_HTTP_SUCCESS_RULE_INVALID');
    // The idempotency header may be configured away, and then a fixed header of that name is fine.
    customHttpProvider.validateConfig!({ ...base, idempotencyKeyHeader: false, headers: { 'Idempotency-Key': 'fixed' } });
    customHttpProvider.validateConfig!({ ...base, contentType: 'application/vnd.im+json', success: { statusMin: 200, statusMax: 201, jsonField: 'ok', equals: true } });
  });
});

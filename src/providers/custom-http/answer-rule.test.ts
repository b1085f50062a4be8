import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DOTTED_PATH, outcomeFromAnswer, valueAtPath } from './answer-rule.ts';

const answer = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => ({ statusCode, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const rule = { statusMin: 200, statusMax: 299 };

test('valueAtPath follows own properties and array indexes only', () => {
  const root = JSON.parse('{"data":{"items":[{"id":"m1"}],"code":0,"__proto__":{"polluted":1}}}');
  assert.equal(valueAtPath(root, 'data.items.0.id'), 'm1');
  assert.equal(valueAtPath(root, 'data.code'), 0);
  assert.equal(valueAtPath(root, 'data.items.1.id'), undefined);
  assert.equal(valueAtPath(root, 'data.code.toFixed'), undefined);
  assert.equal(valueAtPath(root, 'data.constructor'), undefined, 'inherited properties are not followed');
  assert.deepEqual(valueAtPath(root, 'data.__proto__'), { polluted: 1 }, 'an own "__proto__" key from JSON is an ordinary field');
  assert.equal(valueAtPath({}, 'toString'), undefined);
});

test('DOTTED_PATH takes non-empty segments without spaces', () => {
  for (const path of ['code', 'data.code', 'data.items.0.id', '结果.代码']) assert.ok(DOTTED_PATH.test(path), path);
  for (const path of ['', '.code', 'data.', 'data..code', 'data code']) assert.ok(!DOTTED_PATH.test(path), path);
});

test('outside the success range: 429 rate limited, 408 and 5xx retry, other statuses failed', () => {
  assert.deepEqual(outcomeFromAnswer(answer(429, 'slow', { 'retry-after': '3' }), rule, 0), { kind: 'rate_limited', code: 'HTTP_429', message: 'HTTP 429: slow', retryAfterMs: 3000 });
  assert.equal(outcomeFromAnswer(answer(408, ''), rule, 0).kind, 'retry');
  assert.equal(outcomeFromAnswer(answer(503, ''), rule, 0).kind, 'retry');
  assert.equal(outcomeFromAnswer(answer(404, ''), rule, 0).kind, 'failed');
  assert.equal(outcomeFromAnswer(answer(302, ''), rule, 0).kind, 'failed');
});

test('a range that includes a status makes it success, even one HTTP would not', () => {
  const accepting409 = { statusMin: 200, statusMax: 409 };
  assert.deepEqual(outcomeFromAnswer(answer(409, { duplicate: true }), accepting409, 0), { kind: 'sent' });
});

test('the JSON field compares by value and type; the message id may be a number', () => {
  const withField = { ...rule, jsonField: 'ok', equals: true, messageIdField: 'id' };
  assert.deepEqual(outcomeFromAnswer(answer(200, { ok: true, id: 42 }), withField, 0), { kind: 'sent', providerMessageId: '42' });
  const refused = outcomeFromAnswer(answer(200, { ok: 'true' }), withField, 0);
  assert.equal(refused.kind, 'failed');
  assert.match(refused.kind === 'failed' ? refused.message : '', /^ok is "true", expected true/);
  assert.deepEqual(outcomeFromAnswer(answer(200, { ok: true, id: { nested: 1 } }), withField, 0), { kind: 'sent', providerMessageId: undefined });
});

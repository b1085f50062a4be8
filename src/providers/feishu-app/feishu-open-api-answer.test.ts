import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IncomingHttpHeaders } from 'node:http';
import { readFeishuAnswer } from './feishu-open-api-answer.ts';

const NOW_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
const read = (statusCode: number, body: unknown, headers: IncomingHttpHeaders = {}) =>
  readFeishuAnswer({ statusCode, headers, body: typeof body === 'string' ? body : JSON.stringify(body) }, NOW_MS);
/** The answer as one comparable line: `ok`, or `<kind> <code> <retryAfterMs>` plus `token` when the token was refused. */
const summary = (answer: ReturnType<typeof read>) => {
  if (answer.ok) return 'ok';
  const { outcome } = answer;
  const retryAfterMs = 'retryAfterMs' in outcome ? outcome.retryAfterMs : undefined;
  return [outcome.kind, outcome.code, retryAfterMs, answer.tokenRejected ? 'token' : ''].filter((part) => part !== undefined && part !== '').join(' ');
};

test('code 0 on HTTP 200 is ok and keeps the body', () => {
  const answer = read(200, { code: 0, msg: 'success', data: { message_id: 'om_1' } });
  assert.ok(answer.ok);
  assert.deepEqual(answer.body.data, { message_id: 'om_1' });
});

test('99991663, 99991664 and 99991671 ask for a token refresh', () => {
  for (const code of [99991663, 99991664, 99991671]) {
    assert.equal(summary(read(400, { code, msg: 'Invalid access token for authorization' })), `retry FEISHU_${code} token`);
  }
});

test('the app limit is rate_limited for x-ogw-ratelimit-reset seconds, on HTTP 429 or the older HTTP 400', () => {
  assert.equal(summary(read(429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-reset': '3' })), 'rate_limited FEISHU_99991400 3000');
  assert.equal(summary(read(400, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-reset': '2' })), 'rate_limited FEISHU_99991400 2000');
  assert.equal(summary(read(429, '<html>Too Many Requests</html>', { 'x-ogw-ratelimit-reset': '5' })), 'rate_limited HTTP_429 5000');
});

test('230020 (one receiver too fast) is rate_limited, for a second when no reset header says otherwise', () => {
  assert.equal(summary(read(400, { code: 230020, msg: 'This operation triggers the frequency limit.' })), 'rate_limited FEISHU_230020 1000');
  assert.equal(summary(read(400, { code: 230020, msg: 'limit' }, { 'x-ogw-ratelimit-reset': '4' })), 'rate_limited FEISHU_230020 4000');
});

test('documented permanent codes, bad credentials and unknown codes are failed', () => {
  for (const code of [230001, 230002, 230006, 230013, 230027, 99992402, 99991661]) assert.equal(summary(read(400, { code, msg: 'x' })), `failed FEISHU_${code}`);
  for (const code of [10003, 10014]) assert.equal(summary(read(200, { code, msg: 'x' })), `failed FEISHU_${code}`);
  assert.equal(summary(read(400, { code: 234567, msg: 'new' })), 'failed FEISHU_234567');
});

test('a 5xx is retry, with or without a code; a 2xx that is not Feishu JSON is retry INVALID_RESPONSE', () => {
  assert.equal(summary(read(500, { code: 1500, msg: 'internal error' })), 'retry FEISHU_1500');
  assert.equal(summary(read(502, '<html>Bad Gateway</html>')), 'retry HTTP_502');
  assert.equal(summary(read(200, '<html>maintenance</html>')), 'retry INVALID_RESPONSE');
  assert.equal(summary(read(200, { msg: 'no code' })), 'retry INVALID_RESPONSE');
});

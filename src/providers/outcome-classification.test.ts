import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { outboundAddressBlocked } from '../security/ssrf-guard.ts';
import {
  networkErrorCode,
  outcomeFromHttpStatus,
  outcomeFromNetworkError,
  parseJsonObject,
  parseRetryAfterMs,
} from './outcome-classification.ts';

const NOW_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
const withCode = (code: string, extra: object = {}) => Object.assign(new Error(code), { code }, extra);

describe('parseRetryAfterMs', () => {
  test('reads delay-seconds and HTTP dates', () => {
    assert.equal(parseRetryAfterMs('120', NOW_MS), 120_000);
    assert.equal(parseRetryAfterMs(' 0 ', NOW_MS), 0);
    assert.equal(parseRetryAfterMs(new Date(NOW_MS + 90_000).toUTCString(), NOW_MS), 90_000);
    assert.equal(parseRetryAfterMs(['30', '60'], NOW_MS), 30_000);
  });

  test('a date in the past means now; absent or unreadable values mean no hint', () => {
    assert.equal(parseRetryAfterMs(new Date(NOW_MS - 5_000).toUTCString(), NOW_MS), 0);
    assert.equal(parseRetryAfterMs(undefined, NOW_MS), undefined);
    assert.equal(parseRetryAfterMs('', NOW_MS), undefined);
    assert.equal(parseRetryAfterMs('soon', NOW_MS), undefined);
    assert.equal(parseRetryAfterMs('-5', NOW_MS), undefined);
  });
});

describe('outcomeFromHttpStatus', () => {
  const outcomeFor = (statusCode: number, headers: Record<string, string> = {}, body = '') =>
    outcomeFromHttpStatus({ statusCode, headers, body }, NOW_MS);

  test('2xx is sent', () => {
    assert.deepEqual(outcomeFor(200), { kind: 'sent' });
    assert.deepEqual(outcomeFor(204), { kind: 'sent' });
  });

  test('429 is rate_limited with the Retry-After delay', () => {
    assert.deepEqual(outcomeFor(429, { 'retry-after': '30' }, 'slow down'), {
      kind: 'rate_limited',
      code: 'HTTP_429',
      message: 'HTTP 429: slow down',
      retryAfterMs: 30_000,
    });
  });

  test('5xx and 408 are retry, keeping a Retry-After hint', () => {
    const unavailable = outcomeFor(503, { 'retry-after': '5' });
    assert.equal(unavailable.kind, 'retry');
    assert.equal(unavailable.kind === 'retry' && unavailable.retryAfterMs, 5000);
    assert.equal(outcomeFor(500).kind, 'retry');
    assert.equal(outcomeFor(408).kind, 'retry');
  });

  test('other statuses are failed HTTP_<status>, with the start of the body', () => {
    const notFound = outcomeFor(404, {}, `{"error":"no such hook"}${' '.repeat(10)}${'x'.repeat(1000)}`);
    assert.equal(notFound.kind, 'failed');
    assert.equal(notFound.kind === 'failed' && notFound.code, 'HTTP_404');
    assert.ok(notFound.kind === 'failed' && notFound.message.startsWith('HTTP 404: {"error":"no such hook"}'));
    assert.ok(notFound.kind === 'failed' && notFound.message.length < 400);
    assert.equal(outcomeFor(301).kind, 'failed');
  });
});

describe('outcomeFromNetworkError', () => {
  test('classifies undici, Node and nodemailer errors', () => {
    assert.equal(networkErrorCode(withCode('UND_ERR_HEADERS_TIMEOUT')), 'TIMEOUT');
    assert.equal(networkErrorCode(withCode('UND_ERR_CONNECT_TIMEOUT')), 'TIMEOUT');
    assert.equal(networkErrorCode(withCode('ETIMEDOUT')), 'TIMEOUT');
    assert.equal(networkErrorCode(new DOMException('timed out', 'TimeoutError')), 'TIMEOUT');
    assert.equal(networkErrorCode(withCode('ECONNREFUSED')), 'CONNECTION_REFUSED');
    // nodemailer replaces the system code with its own and keeps the original.
    assert.equal(networkErrorCode(withCode('ESOCKET', { originalCode: 'ECONNREFUSED' })), 'CONNECTION_REFUSED');
    // nodemailer's abort error carries the signal's reason as its cause.
    const timeoutAbort = Object.assign(new Error('aborted', { cause: new DOMException('t', 'TimeoutError') }), { name: 'AbortError' });
    assert.equal(networkErrorCode(timeoutAbort), 'TIMEOUT');
    assert.equal(networkErrorCode(new DOMException('stop', 'AbortError')), 'ABORTED');
    assert.equal(networkErrorCode(withCode('ECONNRESET')), 'CONNECTION_ERROR');
    assert.equal(networkErrorCode(withCode('UND_ERR_SOCKET')), 'CONNECTION_ERROR');
  });

  test('network errors are retry with the chain of messages; a blocked address is failed', () => {
    const wrapped = new Error('fetch failed', { cause: withCode('ECONNRESET') });
    assert.deepEqual(outcomeFromNetworkError(wrapped), { kind: 'retry', code: 'CONNECTION_ERROR', message: 'fetch failed: ECONNRESET' });
    assert.deepEqual(outcomeFromNetworkError(outboundAddressBlocked('evil.test', '127.0.0.1 is in the loopback range')), {
      kind: 'failed',
      code: 'OUTBOUND_ADDRESS_BLOCKED',
      message: 'Refused to connect to evil.test: 127.0.0.1 is in the loopback range',
    });
  });
});

describe('parseJsonObject', () => {
  test('returns objects only', () => {
    assert.deepEqual(parseJsonObject('{"errcode":0}'), { errcode: 0 });
    assert.equal(parseJsonObject('[1]'), undefined);
    assert.equal(parseJsonObject('null'), undefined);
    assert.equal(parseJsonObject('<html>'), undefined);
  });
});

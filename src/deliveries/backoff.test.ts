import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelayMs } from './backoff.ts';

const policy = { baseMs: 1000, maxMs: 30_000 };

test('delays double per attempt, with half of each step random', () => {
  assert.equal(retryDelayMs(policy, 1, undefined, () => 0), 500);
  assert.equal(retryDelayMs(policy, 1, undefined, () => 1), 1000);
  assert.equal(retryDelayMs(policy, 2, undefined, () => 0), 1000);
  assert.equal(retryDelayMs(policy, 3, undefined, () => 0.5), 3000);
  assert.equal(retryDelayMs(policy, 4, undefined, () => 1), 8000);
});

test('whatever the jitter, a later attempt never waits less than an earlier one', () => {
  for (let attempt = 1; attempt < 12; attempt++) {
    const longestNow = retryDelayMs(policy, attempt, undefined, () => 1);
    const shortestNext = retryDelayMs(policy, attempt + 1, undefined, () => 0);
    assert.ok(shortestNext >= longestNow, `attempt ${attempt}: ${shortestNext} < ${longestNow}`);
  }
});

test('the delay is capped at maxMs, even for huge attempt numbers', () => {
  assert.equal(retryDelayMs(policy, 6, undefined, () => 0), 16_000);
  assert.equal(retryDelayMs(policy, 6, undefined, () => 1), 30_000);
  assert.equal(retryDelayMs(policy, 10, undefined, () => 0), 30_000);
  assert.equal(retryDelayMs(policy, 1000, undefined, () => 0), 30_000);
});

test("a provider's retry hint wins, longer or shorter than the backoff", () => {
  assert.equal(retryDelayMs(policy, 1, 7000), 7000);
  assert.equal(retryDelayMs(policy, 5, 200), 200);
  assert.equal(retryDelayMs(policy, 2, 120_000), 120_000);
  assert.equal(retryDelayMs(policy, 1, 0), 0);
  // A nonsense hint is ignored.
  assert.equal(retryDelayMs(policy, 1, Number.NaN, () => 1), 1000);
});

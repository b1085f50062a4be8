import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateLatencyPercentile, latencyBucketFrom } from './latency-histogram.ts';

test('a latency falls in the bucket whose lower bound it reaches; skew below 0 counts as 0, beyond an hour in the open bucket', () => {
  assert.deepEqual([-20, 0, 49, 50, 99, 100, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000, 86_400_000].map(latencyBucketFrom), [0, 0, 0, 50, 50, 100, 500, 1000, 30_000, 60_000, 900_000, 3_600_000, 3_600_000]);
});

test('percentiles interpolate within the bucket the rank lands in', () => {
  // 100 sends: 50 in [0, 50), 40 in [100, 250), 10 in [1000, 2500).
  const histogram = new Map([
    [0, 50],
    [100, 40],
    [1000, 10],
  ]);
  assert.equal(estimateLatencyPercentile(histogram, 50), 50, 'the rank 50 ends the first bucket');
  assert.equal(estimateLatencyPercentile(histogram, 70), 175, 'half-way through [100, 250)');
  assert.equal(estimateLatencyPercentile(histogram, 90), 250);
  assert.equal(estimateLatencyPercentile(histogram, 99), 2350, '9 of 10 through [1000, 2500)');
});

test('one send reads as the middle of its bucket for the median; the open bucket answers its lower bound; no sends, null', () => {
  assert.equal(estimateLatencyPercentile(new Map([[2500, 1]]), 50), 3750);
  assert.equal(estimateLatencyPercentile(new Map([[3_600_000, 3]]), 99), 3_600_000);
  assert.equal(estimateLatencyPercentile(new Map([[50, 0]]), 50), null);
  assert.equal(estimateLatencyPercentile(new Map(), 90), null);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../../test/support/seeded-random.ts';
import { chooseWeighted } from './weighted-choice.ts';

test('a 70/30 split over 10,000 picks lands within 2 points of 70/30, for several seeds', () => {
  for (const seed of [1, 42, 20261203]) {
    const random = seededRandom(seed);
    const counts = { aliyun: 0, tencent: 0 };
    for (let i = 0; i < 10_000; i++) counts[chooseWeighted([{ item: 'aliyun' as const, weight: 70 }, { item: 'tencent' as const, weight: 30 }], random)]++;
    const share = counts.aliyun / 100;
    assert.ok(share >= 68 && share <= 72, `seed ${seed}: aliyun got ${share}%`);
  }
});

test('the edges of [0, 1) pick the first and the last entry; a single entry is always picked', () => {
  const entries = [
    { item: 'a', weight: 1 },
    { item: 'b', weight: 3 },
  ];
  assert.equal(chooseWeighted(entries, () => 0), 'a');
  assert.equal(chooseWeighted(entries, () => 0.2499), 'a');
  assert.equal(chooseWeighted(entries, () => 0.25), 'b');
  assert.equal(chooseWeighted(entries, () => 0.999999), 'b');
  assert.equal(chooseWeighted([{ item: 'only', weight: 5 }], Math.random), 'only');
});

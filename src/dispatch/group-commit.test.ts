import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGroupCommit } from './group-commit.ts';

function recorder(options: { failFirst?: number; maxItems?: number; maxDelayMs?: number; maxConcurrentWrites?: number } = {}) {
  const groups: number[][] = [];
  let failuresLeft = options.failFirst ?? 0;
  const errors: unknown[] = [];
  const commit = createGroupCommit<number>({
    maxItems: options.maxItems ?? 3,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    maxConcurrentWrites: options.maxConcurrentWrites ?? 1,
    retryDelayMs: 10,
    async write(items) {
      if (failuresLeft-- > 0) throw new Error('database down');
      groups.push(items);
    },
    onWriteError: (error) => errors.push(error),
  });
  return { commit, groups, errors };
}

test('a full group is written at once, in order; flush writes the rest', async () => {
  const { commit, groups } = recorder();
  for (let i = 1; i <= 7; i++) commit.add(i);
  assert.equal(commit.pending, 7);
  await commit.flush();
  assert.deepEqual(groups, [[1, 2, 3], [4, 5, 6], [7]]);
  assert.equal(commit.pending, 0);
});

test('a partial group is written when its oldest item has waited maxDelayMs', async () => {
  const { commit, groups } = recorder({ maxDelayMs: 15 });
  commit.add(1);
  commit.add(2);
  assert.deepEqual(groups, []);
  const deadline = performance.now() + 5000;
  while (groups.length === 0 && performance.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(groups, [[1, 2]]);
});

test('a failed write keeps its items and writes them again', async () => {
  const { commit, groups, errors } = recorder({ failFirst: 1 });
  commit.add(1);
  commit.add(2);
  await assert.rejects(commit.flush(), /database down/);
  assert.equal(commit.pending, 2);
  await commit.flush();
  assert.deepEqual(groups, [[1, 2]]);
  assert.equal(errors.length, 1);
});

test('several groups may be written at once when allowed', async () => {
  let inFlight = 0;
  let mostInFlight = 0;
  const commit = createGroupCommit<number>({
    maxItems: 2,
    maxDelayMs: 10_000,
    maxConcurrentWrites: 3,
    retryDelayMs: 10,
    async write() {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight--;
    },
    onWriteError: () => undefined,
  });
  for (let i = 0; i < 10; i++) commit.add(i);
  await commit.flush();
  assert.equal(mostInFlight, 3);
  assert.equal(commit.pending, 0);
});

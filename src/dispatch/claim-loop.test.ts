import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { silentLogger } from '../../test/support/dispatch-test-kit.ts';
import { createClaimLoop, type ClaimLoopOptions } from './claim-loop.ts';

/** A loop over `due` numbers: each claim takes the next ones; `process` is the test's. */
function loopOver(due: number[], process: ClaimLoopOptions<number>['process'], batchSize = 2) {
  const claims: number[] = [];
  const loop = createClaimLoop<number>({
    maxClaimed: 4,
    batchSize,
    pollIntervalMs: 60_000,
    claim: async (limit) => (claims.push(limit), due.splice(0, limit)),
    process,
    unwritten: () => 0,
    logger: silentLogger,
  });
  return { loop, claims };
}

describe('claim loop', () => {
  test('drain claims batches of the given size until nothing is due, running afterBatch after each', async () => {
    const processed: number[][] = [];
    const steps: string[] = [];
    const { loop, claims } = loopOver([1, 2, 3, 4, 5], async (items, done) => {
      processed.push(items);
      steps.push(`process ${items.join(',')}`);
      items.forEach(() => done());
    });
    const handled = await loop.drain(2, async () => void steps.push('after'));
    assert.equal(handled, 5);
    assert.deepEqual(processed, [[1, 2], [3, 4], [5]]);
    assert.deepEqual(claims, [2, 2, 2, 2]);
    assert.deepEqual(steps, ['process 1,2', 'after', 'process 3,4', 'after', 'process 5', 'after']);
  });

  test('settleWithin: batches that finish in time are waited for and nothing is aborted', async () => {
    let claimed!: () => void;
    const started = new Promise<void>((resolve) => (claimed = resolve));
    let finish!: () => void;
    const { loop } = loopOver([1], (items, done) => {
      claimed();
      return new Promise<void>((resolve) => (finish = resolve)).then(() => items.forEach(() => done()));
    });
    loop.start();
    await started;
    await loop.stop();
    assert.equal(loop.active, 1);
    let aborted = false;
    const settling = loop.settleWithin(60_000, () => (aborted = true));
    finish();
    await settling;
    assert.equal(aborted, false);
    assert.equal(loop.active, 0);
  });

  test('settleWithin: batches still running at the timeout are aborted, then waited for', async () => {
    let claimed!: () => void;
    const started = new Promise<void>((resolve) => (claimed = resolve));
    const controller = new AbortController();
    const { loop } = loopOver([1, 2], (items, done) => {
      claimed();
      // Ends only when aborted, as a provider call does with the stop signal.
      return new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve())).then(() => items.forEach(() => done()));
    });
    loop.start();
    await started;
    await loop.stop();
    await loop.settleWithin(0, () => controller.abort());
    assert.equal(controller.signal.aborted, true);
    assert.equal(loop.active, 0, 'the aborted batch was waited for');
  });
});

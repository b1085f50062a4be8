import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from './clock.ts';
import { createTtlCache } from './ttl-cache.ts';

test('a value is loaded once, served until ttlMs after it was read, then loaded again', async () => {
  const clock = new ManualClock(1_000);
  const cache = createTtlCache<number>({ ttlMs: 100, clock });
  let loads = 0;
  const load = async () => ++loads;
  assert.equal(await cache.get('a', load), 1);
  clock.advance(99);
  assert.equal(await cache.get('a', load), 1);
  assert.equal(cache.peek('a')?.value, 1);
  clock.advance(1);
  assert.equal(cache.peek('a'), undefined);
  assert.equal(await cache.get('a', load), 2);
});

test('peek and set serve callers that load many keys at once; a value read earlier expires earlier', () => {
  const clock = new ManualClock(1_000);
  const cache = createTtlCache<string>({ ttlMs: 100, clock });
  assert.equal(cache.peek('a'), undefined);
  cache.set('a', 'x', 950);
  cache.set('b', 'y');
  clock.advance(60);
  assert.equal(cache.peek('a'), undefined);
  assert.equal(cache.peek('b')?.value, 'y');
  cache.delete('b');
  assert.equal(cache.peek('b'), undefined);
});

test('a clock that went back counts as expired', () => {
  const clock = new ManualClock(1_000);
  const cache = createTtlCache<string>({ ttlMs: 100, clock });
  cache.set('a', 'x');
  clock.set(990);
  assert.equal(cache.peek('a'), undefined);
});

test('a load that was in flight when the key was deleted is answered but not cached: it may predate the change', async () => {
  const cache = createTtlCache<string>({ ttlMs: 60_000, clock: new ManualClock() });
  let finishOldLoad!: (value: string) => void;
  const oldLoad = cache.get('feed', () => new Promise<string>((resolve) => (finishOldLoad = resolve)));
  cache.delete('feed');
  const freshLoad = await cache.get('feed', async () => 'after the change');
  finishOldLoad('before the change');
  assert.equal(await oldLoad, 'before the change');
  assert.equal(freshLoad, 'after the change');
  assert.equal(cache.peek('feed')?.value, 'after the change', 'the older load did not overwrite the newer one');
  let failing!: (error: Error) => void;
  const failed = cache.get('other', () => new Promise<string>((_, reject) => (failing = reject)));
  failing(new Error('down'));
  await assert.rejects(failed, /down/);
  assert.equal(await cache.get('other', async () => 'back'), 'back');
  assert.equal(cache.peek('other')?.value, 'back');
});

test('callers that miss while a load runs share it: an expired hot key costs one load', async () => {
  const clock = new ManualClock(1_000);
  const cache = createTtlCache<number>({ ttlMs: 100, clock });
  let loads = 0;
  let finish!: () => void;
  const load = () => new Promise<number>((resolve) => (finish = () => resolve(++loads)));
  const waiting = Array.from({ length: 50 }, () => cache.get('app', load));
  finish();
  assert.deepEqual(new Set(await Promise.all(waiting)), new Set([1]));
  assert.equal(loads, 1);
  clock.advance(100);
  const again = [cache.get('app', load), cache.get('app', load)];
  finish();
  assert.deepEqual(await Promise.all(again), [2, 2]);
  // A failed load is shared too, and not remembered: the next caller loads again.
  const failing = [cache.get('down', () => Promise.reject(new Error('down'))), cache.get('down', async () => 99)];
  await assert.rejects(failing[0]!, /down/);
  await assert.rejects(failing[1]!, /down/);
  assert.equal(await cache.get('down', async () => 7), 7);
});

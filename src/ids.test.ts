import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isId, newId, timeOfId } from './ids.ts';

test('ids are prefixed, 26 characters after the prefix, and strictly increasing within a process', () => {
  const ids = Array.from({ length: 5000 }, (_, i) => newId('msg', 1_700_000_000_000 + Math.floor(i / 1000)));
  for (const id of ids) assert.match(id, /^msg_[0-9a-hjkmnp-tv-z]{26}$/);
  const sorted = [...ids].sort();
  assert.deepEqual(sorted, ids);
  assert.equal(new Set(ids).size, ids.length);
});

test('an earlier clock reading never makes an id sort before the previous one', () => {
  const later = newId('evt', 1_800_000_000_000);
  const earlier = newId('evt', 1_700_000_000_000);
  assert.ok(earlier > later);
});

test('the time part encodes the milliseconds, and timeOfId reads it back', () => {
  const id = newId('dlv', Date.UTC(2031, 0, 1));
  const digits = id.slice(4, 14);
  const ms = [...digits].reduce((value, char) => value * 32 + '0123456789abcdefghjkmnpqrstvwxyz'.indexOf(char), 0);
  assert.equal(ms, Date.UTC(2031, 0, 1));
  assert.equal(timeOfId(id), Date.UTC(2031, 0, 1));
  for (const other of ['', 'dlv_', 'dlv_not-an-id', id.toUpperCase()]) assert.equal(timeOfId(other), undefined, other);
});

test('isId tells an id of a kind from anything else', () => {
  const id = newId('msg');
  assert.ok(isId('msg', id));
  assert.ok(!isId('sub', id));
  for (const other of ['', 'garbage', 'msg_', `${id}x`, id.slice(0, -1), id.toUpperCase(), id.replace(/.$/, 'u'), ` ${id.slice(1)}`]) assert.ok(!isId('msg', other), other);
});

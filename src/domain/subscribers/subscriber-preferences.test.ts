import { test } from 'node:test';
import assert from 'node:assert/strict';
import { receives } from './subscriber-preferences.ts';

const alert = { code: 'server.down', category: '服务器警告' };

test('no preferences: everything is received', () => {
  assert.equal(receives({}, 'email', alert), true);
  assert.equal(receives({}, 'sms', undefined), true);
});

test('the most specific of type, category and all decides; true switches one back on under a broader false', () => {
  assert.equal(receives({ all: false }, 'email', alert), false);
  assert.equal(receives({ all: false, categories: { 服务器警告: true } }, 'email', alert), true);
  assert.equal(receives({ categories: { 服务器警告: false } }, 'email', alert), false);
  assert.equal(receives({ categories: { 服务器警告: false }, types: { 'server.down': true } }, 'email', alert), true);
  assert.equal(receives({ types: { 'server.down': false } }, 'email', alert), false);
  assert.equal(receives({ types: { 'order.paid': false } }, 'email', alert), true, 'another type');
  assert.equal(receives({ categories: { 服务器警告: false } }, 'email', { code: 'x', category: null }), true, 'a type without category');
});

test('a channel opt-out holds whatever the type settings say; sends without a type see only all and channels', () => {
  assert.equal(receives({ channels: { sms: false }, types: { 'server.down': true } }, 'sms', alert), false);
  assert.equal(receives({ channels: { sms: false } }, 'email', alert), true);
  assert.equal(receives({ types: { 'server.down': false } }, 'email', undefined), true);
  assert.equal(receives({ all: false }, 'email', undefined), false);
});

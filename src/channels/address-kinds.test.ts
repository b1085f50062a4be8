import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heraldError } from '../../test/support/herald-error.ts';
import { ADDRESS_KIND_CATALOG, ADDRESS_KINDS, normalizeAddress, normalizePhoneNumber, type AddressKind } from './address-kinds.ts';

/** A typical address of each kind; the Record type makes a new kind fail to compile until it has one. */
const SAMPLES: Record<AddressKind, string> = {
  email: 'lilei@example.com',
  phone: '+8613800138000',
  wecomUserId: 'LiLei',
  dingtalkUserId: 'manager4220',
  feishuOpenId: 'ou_7d8a6e6df7621556ce0d21922b676706',
  wechatOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  miniProgramOpenId: 'oKgAB5T4n0fEsxyBSMlAqQ2pFiTM',
  telegramChatId: '-1001234567890',
  slackChannelId: 'C0123456789',
  pushSubscription: 'wps_01jh0000000000000000000001',
  subscriberId: 'user-42@shop',
};

test('every address kind accepts a typical address within its receiver length', () => {
  for (const kind of ADDRESS_KINDS) {
    assert.equal(normalizeAddress(kind, SAMPLES[kind], `to[0].${kind}`), SAMPLES[kind], `${kind}: a typical address is stored as written`);
    assert.ok(SAMPLES[kind].length <= ADDRESS_KIND_CATALOG[kind].maxLength, kind);
  }
});

test('every address kind refuses an empty value and an injected line break, naming the field', () => {
  for (const kind of ADDRESS_KINDS) {
    for (const value of ['', `${SAMPLES[kind]}\r\nBcc: x@example.com`]) {
      const error = heraldError(() => normalizeAddress(kind, value, `to[3].${kind}`));
      assert.equal(error.kind, 'invalid', kind);
      assert.equal(error.details.field, `to[3].${kind}`, kind);
      assert.ok(error.message.startsWith(`to[3].${kind}: `), error.message);
    }
  }
});

test('a Telegram chat id is a number (negative for groups) or a public @username', () => {
  for (const value of ['123456789', '-987654321', '-1001234567890', '@herald_alerts']) {
    assert.doesNotThrow(() => normalizeAddress('telegramChatId', value, 'to[0].telegramChatId'), value);
  }
  for (const value of ['0', '12a', '--5', '@abc', 'herald_alerts', '@9lives', '+123456789', `@${'a'.repeat(33)}`]) {
    assert.equal(heraldError(() => normalizeAddress('telegramChatId', value, 'to[0].telegramChatId')).code, 'ADDRESS_INVALID', value);
  }
});

test('a Slack id is a channel, DM or user id, not a channel name', () => {
  for (const id of ['C0123456789', 'G012AB3CD', 'D0123456789', 'U0123456789', 'W0123456789']) assert.doesNotThrow(() => normalizeAddress('slackChannelId', id, 'to[0].slackChannelId'), id);
  for (const id of ['#general', 'general', 'c0123456789', 'X0123456789']) {
    assert.equal(heraldError(() => normalizeAddress('slackChannelId', id, 'to[0].slackChannelId')).code, 'SLACK_CHANNEL_ID_INVALID', id);
  }
});

test('phone numbers are stored in E.164, however they are written', () => {
  const written: Array<[string, string]> = [
    ['+86 138-0013-8000', '+8613800138000'],
    ['+8613800138000', '+8613800138000'],
    ['+86 (138) 0013.8000', '+8613800138000'],
    ['+1 202-555-0123', '+12025550123'],
    ['+44 7911 123456', '+447911123456'],
    ['+852 9123 4567', '+85291234567'],
  ];
  for (const [value, e164] of written) assert.equal(normalizeAddress('phone', value, 'to[0].phone'), e164, value);
});

test('an invalid phone number is PHONE_INVALID, saying why', () => {
  const refused: Array<[string, RegExp]> = [
    ['13800138000', /does not start with \+ and a country code/],
    ['+86 138', /too short/],
    ['+86 138 0013 8000 999', /too long/],
    ['+999 1234567', /country calling code is unknown/],
    ['+86 138 0013 8000 ext. 12', /only digits, spaces, dashes, dots and brackets/],
    ['+86 138-0013-8000\r\nBcc: x', /only digits/],
    ['+', /./],
  ];
  for (const [value, why] of refused) {
    const error = heraldError(() => normalizePhoneNumber(value, 'receivers[2].to.phone'));
    assert.equal(error.code, 'PHONE_INVALID', value);
    assert.equal(error.kind, 'invalid');
    assert.equal(error.details.field, 'receivers[2].to.phone');
    assert.match(error.message, why, value);
    assert.match(error.message, /e\.g\. \+8613800138000/);
  }
});

test('1,000 written numbers normalise well within a request budget', () => {
  const numbers = Array.from({ length: 1_000 }, (_, index) => `+86 139-${String(index).padStart(4, '0')}-8000`);
  normalizePhoneNumber(numbers[0], 'warm-up');
  const startedMs = performance.now();
  const normalized = numbers.map((number, index) => normalizePhoneNumber(number, `to[${index}].phone`));
  const elapsedMs = performance.now() - startedMs;
  assert.equal(new Set(normalized).size, 1_000);
  assert.equal(normalized[7], '+8613900078000');
  // About 30-60 ms on a loaded 2-core CI machine; the bound leaves room without hiding a regression to per-number metadata loading.
  assert.ok(elapsedMs < 1_000, `1,000 numbers took ${elapsedMs.toFixed(1)} ms`);
});

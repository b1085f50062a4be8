import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heraldError } from '../../test/support/herald-error.ts';
import { ADDRESS_KIND_CATALOG, ADDRESS_KINDS, checkAddress, type AddressKind } from './address-kinds.ts';

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
};

test('every address kind accepts a typical address within its receiver length', () => {
  for (const kind of ADDRESS_KINDS) {
    assert.doesNotThrow(() => checkAddress(kind, SAMPLES[kind], `to[0].${kind}`), kind);
    assert.ok(SAMPLES[kind].length <= ADDRESS_KIND_CATALOG[kind].maxLength, kind);
  }
});

test('every address kind refuses an empty value and an injected line break, naming the field', () => {
  for (const kind of ADDRESS_KINDS) {
    for (const value of ['', `${SAMPLES[kind]}\r\nBcc: x@example.com`]) {
      const error = heraldError(() => checkAddress(kind, value, `to[3].${kind}`));
      assert.equal(error.kind, 'invalid', kind);
      assert.equal(error.details.field, `to[3].${kind}`, kind);
      assert.ok(error.message.startsWith(`to[3].${kind}: `), error.message);
    }
  }
});

test('a Telegram chat id is a number (negative for groups) or a public @username', () => {
  for (const value of ['123456789', '-987654321', '-1001234567890', '@herald_alerts']) {
    assert.doesNotThrow(() => checkAddress('telegramChatId', value, 'to[0].telegramChatId'), value);
  }
  for (const value of ['0', '12a', '--5', '@abc', 'herald_alerts', '@9lives', '+123456789', `@${'a'.repeat(33)}`]) {
    assert.equal(heraldError(() => checkAddress('telegramChatId', value, 'to[0].telegramChatId')).code, 'ADDRESS_INVALID', value);
  }
});

test('a Slack id is a channel, DM or user id, not a channel name', () => {
  for (const id of ['C0123456789', 'G012AB3CD', 'D0123456789', 'U0123456789', 'W0123456789']) assert.doesNotThrow(() => checkAddress('slackChannelId', id, 'to[0].slackChannelId'), id);
  for (const id of ['#general', 'general', 'c0123456789', 'X0123456789']) {
    assert.equal(heraldError(() => checkAddress('slackChannelId', id, 'to[0].slackChannelId')).code, 'SLACK_CHANNEL_ID_INVALID', id);
  }
});

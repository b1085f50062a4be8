import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressKindOf, CHANNEL_CATALOG, CHANNELS } from './channel-catalog.ts';

test('channel names are stable lower-case API words', () => {
  for (const channel of CHANNELS) assert.match(channel, /^[a-z][a-z0-9]*$/);
});

test('per-recipient providers read the address kind of their channel', () => {
  assert.equal(addressKindOf('email'), 'email');
  assert.equal(addressKindOf('sms'), 'phone');
  assert.equal(addressKindOf('wecom'), 'wecomUserId');
  assert.equal(addressKindOf('telegram'), 'telegramChatId');
  assert.equal(addressKindOf('inbox'), 'subscriberId');
  assert.equal(CHANNEL_CATALOG.webhook.addressKind, undefined, 'webhooks are reached only through their account');
});

test('channels that send only vendor templates have an override of their own (the IM override has no template id)', () => {
  for (const channel of CHANNELS) {
    if (CHANNEL_CATALOG[channel].vendorTemplatesOnly) assert.equal(CHANNEL_CATALOG[channel].templateOverride, 'own', channel);
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADDRESS_KINDS } from './address-kinds.ts';
import { addressKindOf, CHANNEL_CATALOG, CHANNELS, IM_OVERRIDE_CHANNELS } from './channel-catalog.ts';

test('channel names are stable lower-case API words', () => {
  for (const channel of CHANNELS) assert.match(channel, /^[a-z][a-z0-9]*$/);
});

test('addressed channels read their own address kind, and no two channels share one', () => {
  assert.equal(addressKindOf('email'), 'email');
  assert.equal(addressKindOf('sms'), 'phone');
  const kinds = CHANNELS.map((channel) => CHANNEL_CATALOG[channel].addressKind).filter((kind) => kind !== undefined);
  assert.equal(new Set(kinds).size, kinds.length, 'a receiver field would be ambiguous between channels');
  for (const kind of kinds) assert.ok(ADDRESS_KINDS.includes(kind), kind);
});

test('channels that send only vendor templates have an override of their own (the IM override has no template id)', () => {
  for (const channel of CHANNELS) {
    if (CHANNEL_CATALOG[channel].vendorTemplatesOnly) assert.equal(CHANNEL_CATALOG[channel].templateOverride, 'own', channel);
  }
  assert.deepEqual(IM_OVERRIDE_CHANNELS, ['dingtalk', 'wecom', 'feishu', 'slack', 'telegram', 'discord']);
});

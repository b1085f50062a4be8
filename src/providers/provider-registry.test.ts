import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHANNEL_CATALOG } from '../channels/channel-catalog.ts';
import { HeraldError } from '../errors.ts';
import type { ProviderDefinition } from './provider.ts';
import { webhookProvider } from './webhook/webhook-provider.ts';
import { createProviderRegistry } from './provider-registry.ts';

test('the built-in registry knows webhook, smtp, dingtalk-robot, feishu-robot and feishu-app', () => {
  const registry = createProviderRegistry();
  assert.deepEqual(registry.list().map((definition) => definition.type), ['webhook', 'smtp', 'dingtalk-robot', 'feishu-robot', 'feishu-app']);
  assert.equal(registry.require('smtp').channel, 'email');
  assert.equal(registry.get('dingtalk-robot')?.channel, 'dingtalk');
  assert.equal(registry.get('feishu-robot')?.channel, 'feishu');
  assert.equal(registry.get('feishu-app')?.target, 'address');
  assert.equal(registry.get('nope'), undefined);
});

test('require names the unknown type and the known ones', () => {
  assert.throws(
    () => createProviderRegistry().require('fax'),
    (error: unknown) =>
      error instanceof HeraldError &&
      error.code === 'PROVIDER_TYPE_UNKNOWN' &&
      error.kind === 'invalid' &&
      /"fax".*webhook, smtp, dingtalk-robot, feishu-robot, feishu-app/.test(error.message),
  );
});

test('refuses two definitions with the same type', () => {
  assert.throws(() => createProviderRegistry([webhookProvider, webhookProvider]), /registered twice/);
});

test('a per-recipient provider needs a channel with an address kind (checked by the compiler)', () => {
  // @ts-expect-error the webhook channel has no address kind, so no provider can send to addresses on it
  const perRecipientWebhook: ProviderDefinition = { ...webhookProvider, target: 'address' };
  assert.equal(CHANNEL_CATALOG[perRecipientWebhook.channel].addressKind, undefined);
});

import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHANNEL_CATALOG } from '../channels/channel-catalog.ts';
import { HeraldError } from '../errors.ts';
import type { ProviderDefinition } from './provider.ts';
import { webhookProvider } from './webhook/webhook-provider.ts';
import { createProviderRegistry } from './provider-registry.ts';

/** Every folder under src/providers holding a `<type>-provider.ts`: each is one provider, and each must be registered. */
function providerFolders(): string[] {
  const root = path.dirname(fileURLToPath(import.meta.url));
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(root, entry.name, `${entry.name}-provider.ts`)))
    .map((entry) => entry.name);
}

test('the built-in registry holds every provider folder, each under its folder name', () => {
  const registry = createProviderRegistry();
  const types = registry.list().map((definition) => definition.type);
  assert.deepEqual([...types].sort(), providerFolders().sort());
  assert.ok(types.length >= 5);
  assert.equal(registry.require('smtp').channel, 'email');
  assert.equal(registry.get('dingtalk-robot')?.channel, 'dingtalk');
  assert.equal(registry.get('feishu-robot')?.channel, 'feishu');
  assert.equal(registry.get('feishu-app')?.target, 'address');
  assert.equal(registry.get('telegram-bot')?.channel, 'telegram');
  assert.equal(registry.get('telegram-bot')?.target, 'address');
  assert.equal(registry.get('discord-webhook')?.channel, 'discord');
  assert.equal(registry.get('twilio-sms')?.channel, 'sms');
  assert.ok(registry.get('twilio-sms')?.receipts, 'twilio-sms reads StatusCallback receipts');
  assert.equal(registry.get('slack-webhook')?.target, 'account');
  assert.equal(registry.get('slack-bot')?.target, 'address');
  assert.equal(registry.get('webpush')?.channel, 'webpush');
  assert.equal(registry.get('webpush')?.target, 'address');
  assert.equal(registry.get('inbox')?.channel, 'inbox');
  assert.equal(registry.get('inbox')?.target, 'address');
  assert.equal(registry.get('aliyun-sms')?.channel, 'sms');
  assert.equal(registry.get('tencent-sms')?.maxRecipientsPerCall, 200);
  assert.equal(registry.get('nope'), undefined);
});

test('require names the unknown type and the known ones', () => {
  const known = createProviderRegistry().list().map((definition) => definition.type).join(', ');
  assert.throws(
    () => createProviderRegistry().require('fax'),
    (error: unknown) => error instanceof HeraldError && error.code === 'PROVIDER_TYPE_UNKNOWN' && error.kind === 'invalid' && error.message.includes(`"fax"`) && error.message.includes(known),
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

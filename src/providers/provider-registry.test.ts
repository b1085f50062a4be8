import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HeraldError } from '../errors.ts';
import { webhookProvider } from './webhook/webhook-provider.ts';
import { createProviderRegistry } from './provider-registry.ts';

test('the built-in registry knows webhook, smtp and dingtalk-robot', () => {
  const registry = createProviderRegistry();
  assert.deepEqual(registry.list().map((definition) => definition.type), ['webhook', 'smtp', 'dingtalk-robot']);
  assert.equal(registry.require('smtp').channel, 'email');
  assert.equal(registry.get('dingtalk-robot')?.channel, 'dingtalk');
  assert.equal(registry.get('nope'), undefined);
});

test('require names the unknown type and the known ones', () => {
  assert.throws(
    () => createProviderRegistry().require('fax'),
    (error: unknown) =>
      error instanceof HeraldError &&
      error.code === 'PROVIDER_TYPE_UNKNOWN' &&
      error.kind === 'invalid' &&
      /"fax".*webhook, smtp, dingtalk-robot/.test(error.message),
  );
});

test('refuses two definitions with the same type', () => {
  assert.throws(() => createProviderRegistry([webhookProvider, webhookProvider]), /registered twice/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Value } from 'typebox/value';
import { ADDRESS_KIND_CATALOG, ADDRESS_KINDS } from '../../channels/address-kinds.ts';
import { CHANNELS } from '../../channels/channel-catalog.ts';
import { ReceiverSchema, SendRequestSchema } from './send-request-schema.ts';

test('a receiver may be any address kind of the catalog, up to its length, one kind at a time', () => {
  for (const kind of ADDRESS_KINDS) {
    const { maxLength } = ADDRESS_KIND_CATALOG[kind];
    assert.ok(Value.Check(ReceiverSchema, { [kind]: 'a'.repeat(maxLength) }), kind);
    assert.equal(Value.Check(ReceiverSchema, { [kind]: 'a'.repeat(maxLength + 1) }), false, `${kind} longer than ${maxLength}`);
  }
  assert.equal(Value.Check(ReceiverSchema, { email: 'a@example.com', phone: '+8613800138000' }), false, 'two addresses in one receiver');
  assert.equal(Value.Check(ReceiverSchema, { fax: '+4930123456' }), false, 'a kind the catalog does not have');
});

test('channels are exactly the catalog channels', () => {
  const body = (channels: string[]) => ({ to: ['u1'], channels, content: { body: 'x' } });
  assert.ok(Value.Check(SendRequestSchema, body([...CHANNELS])));
  assert.equal(Value.Check(SendRequestSchema, body(['fax'])), false);
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { heraldError } from '../../../test/support/herald-error.ts';
import { assertNoMaskedSecrets, maskSecrets, patchConfig, SECRET_MASK } from './channel-account-config.ts';

const provider = { secretFields: ['secret', 'headers', 'url'], secretMasks: { headers: 'values', url: 'query' } } as const;
const M = SECRET_MASK;

describe('channel account secret masks', () => {
  test('a URL reads with every query value masked, the rest of it byte for byte', () => {
    const url = 'https://hooks.example.com/x/y?a=1&a=2&s3cret-flag&empty=&b=%20x+y#part';
    assert.deepEqual(maskSecrets(provider, { url, plain: 'visible' }), {
      url: `https://hooks.example.com/x/y?a=${M}&a=${M}&${M}&empty=&b=${M}#part`,
      plain: 'visible',
    });
    assert.deepEqual(maskSecrets(provider, { url: 'https://example.com/hook' }), { url: 'https://example.com/hook' });
  });

  test('header values read masked, header names readable; whole secrets read as one mask', () => {
    assert.deepEqual(maskSecrets(provider, { headers: { Authorization: 'Bearer t', 'X-Team': 'ops' }, secret: 's' }), {
      headers: { Authorization: M, 'X-Team': M },
      secret: M,
    });
  });

  test('masks in a patch stand for the stored values: query parameters by name and position, headers by name', () => {
    const current = { url: 'https://example.com/hook?a=1&a=%2F2&t&keep=yes', headers: { Authorization: 'Bearer t' }, secret: 's' };
    const patched = patchConfig(provider, current, {
      url: `https://example.com/v2?a=${M}&a=new&keep=${M}&${M}&added=1`,
      headers: { Authorization: M, 'X-New': 'n' },
      secret: M,
    });
    assert.deepEqual(patched, {
      url: 'https://example.com/v2?a=1&a=new&keep=yes&t&added=1',
      headers: { Authorization: 'Bearer t', 'X-New': 'n' },
      secret: 's',
    });
    const second = patchConfig(provider, current, { url: `https://example.com/hook?a=new&a=${M}` });
    assert.equal(second.url, 'https://example.com/hook?a=new&a=%2F2', 'the second "a" stands for the stored second "a"');
  });

  test('a mask that stands for nothing stored is refused, naming the field', () => {
    const current = { url: 'https://example.com/hook?a=1', headers: { Authorization: 'Bearer t' } };
    const refusals: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ url: `https://example.com/hook?a=1&b=${M}` }, 'config.url', /query parameter "b"/],
      [{ url: `https://example.com/hook?a=${M}&a=${M}` }, 'config.url', /query parameter "a"/],
      [{ url: `https://example.com/hook?${M}` }, 'config.url', /the query reads/],
      [{ headers: { Authorization: M, Cookie: M } }, 'config.headers.Cookie', /none is stored/],
      [{ secret: M }, 'config.secret', /send the secret itself/],
    ];
    for (const [patch, field, message] of refusals) {
      const error = heraldError(() => patchConfig(provider, current, patch));
      assert.equal(error.code, 'CHANNEL_ACCOUNT_CONFIG_INVALID');
      assert.equal(error.details.field, field);
      assert.match(error.message, message);
    }
    assert.throws(() => assertNoMaskedSecrets(provider, { url: `https://example.com/hook?token=${M}` }), { code: 'CHANNEL_ACCOUNT_CONFIG_INVALID' });
    assertNoMaskedSecrets(provider, { url: 'https://example.com/hook?token=abc', headers: { Authorization: 'Bearer t' }, secret: 's' });
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { selectLocale } from './locale-select.ts';

describe('selectLocale', () => {
  const variants = ['zh-CN', 'zh', 'en-GB', 'ja'];

  test('an exact tag wins, compared case-insensitively, with _ read as -', () => {
    assert.equal(selectLocale({ requested: 'zh-CN', variants }), 'zh-CN');
    assert.equal(selectLocale({ requested: 'ZH_cn', variants }), 'zh-CN');
    assert.equal(selectLocale({ requested: 'en-gb', variants }), 'en-GB');
  });

  test('then the language alone, then shorter prefixes of a long tag', () => {
    assert.equal(selectLocale({ requested: 'zh-TW', variants }), 'zh');
    assert.equal(selectLocale({ requested: 'zh-Hant-TW', variants }), 'zh');
    assert.equal(selectLocale({ requested: 'ja-JP', variants }), 'ja');
  });

  test('then any variant of the same language', () => {
    assert.equal(selectLocale({ requested: 'en-US', variants }), 'en-GB');
  });

  test('else the default content', () => {
    assert.equal(selectLocale({ requested: 'fr-FR', variants }), undefined);
    assert.equal(selectLocale({ requested: undefined, variants }), undefined);
    assert.equal(selectLocale({ requested: 'zh-CN', variants: [] }), undefined);
  });

  test('the default content competes through its defaultLocale', () => {
    // An en-US receiver reads the English default, not the en-GB variant.
    assert.equal(selectLocale({ requested: 'en-US', variants, defaultLocale: 'en' }), undefined);
    assert.equal(selectLocale({ requested: 'en-GB', variants, defaultLocale: 'en' }), 'en-GB');
    // A variant with the same tag as the default content still wins.
    assert.equal(selectLocale({ requested: 'zh', variants, defaultLocale: 'zh' }), 'zh');
  });
});

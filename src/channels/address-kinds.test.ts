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

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HeraldError } from '../errors.ts';
import type { TemplateContent } from './template-content.ts';
import {
  checkMiniprogramValue,
  checkRenderedWechatData,
  checkWechatDataAtSave,
  checkWechatTemplateValue,
  miniprogramKeyType,
} from './wechat-field-rules.ts';

/** Valid and invalid values per key type; the valid ones include the documentation's own examples. */
const CASES: Record<string, { valid: string[]; invalid: string[] }> = {
  thing: { valid: ['保温杯 *限量*', 'x'.repeat(20), '订单已发货，请注意查收快递包裹哦！！'], invalid: ['x'.repeat(21), '订单已发货，请注意查收快递包裹哦，谢谢惠顾'] },
  number: { valid: ['12', '3.1415', '9'.repeat(32)], invalid: ['1,000', '-3', '12a', '9'.repeat(33), '1.2.3'] },
  letter: { valid: ['abc', 'XYZ', 'a'.repeat(32)], invalid: ['ab1', 'a b', 'a'.repeat(33), '字母'] },
  symbol: { valid: ['%', '*-/+', '¥$%&!'], invalid: ['%%%%%%', 'a%', '1'] },
  character_string: { valid: ['A-1024', 'SN_2019-10-01#7', '0'.repeat(32)], invalid: ['订单A-1024', 'A 1024', '0'.repeat(33)] },
  time: {
    valid: ['15:01', '2019年10月1日 15:01', '9:05', '15:01~16:30', '2019年10月1日 15:01 ~ 2019年10月1日 18:00', '2019-10-01 15:01:30'],
    invalid: ['25:00', '15:61', '2019年10月1日', '3pm', '15:01~16:30~17:00'],
  },
  date: {
    valid: ['2019年10月1日', '2019年10月1日 15:01', '2019-10-01', '2019/10/01 15:01', '2019年10月1日~2019年10月7日'],
    invalid: ['15:01', '2019年13月1日', '2019-10/01', '10月1日', 'tomorrow'],
  },
  amount: { valid: ['¥1299.50', '1299.50元', '$100', '100', '￥9999999999'], invalid: ['CN¥1,299.50', '1,299.50', '¥¥100', '¥12345678901', '一百元'] },
  phone_number: { valid: ['+86-0766-66888866', '13800000000', '(0766)668888'], invalid: ['+86-0766-668888661', 'call me', '138 0000 0000'] },
  car_number: { valid: ['粤A8Z888挂', '粤B12345', 'AB12345'], invalid: ['粤A8Z8888挂', '粤A8Z88挂8', 'A B123', '粤粤A888'] },
  name: { valid: ['张三', '欧阳娜娜娜娜娜娜娜娜', 'Ada Lovelace', 'Jean-Luc', 'Ada张'], invalid: ['欧阳娜娜娜娜娜娜娜娜娜', 'A'.repeat(21), 'R2D2', 'Ada Lovelace张三'] },
  phrase: { valid: ['配送中', '已签收', '待支付订单'], invalid: ['配送中了吗呀', 'ok', '配送 中'] },
};

describe('mini-program subscribe value rules', () => {
  for (const [type, { valid, invalid }] of Object.entries(CASES)) {
    test(`${type}: documented examples pass, values outside the rule are refused`, () => {
      for (const value of valid) assert.equal(checkMiniprogramValue(`${type}3`, value), undefined, `${type} accepts ${JSON.stringify(value)}`);
      for (const value of invalid) {
        const problem = checkMiniprogramValue(`${type}3`, value);
        assert.ok(problem, `${type} refuses ${JSON.stringify(value)}`);
        assert.ok(problem.rule.startsWith(`${type} (`), problem.rule);
      }
    });
  }

  test('an empty value is refused for every known type', () => {
    for (const type of Object.keys(CASES)) assert.match(checkMiniprogramValue(`${type}1`, ' ')?.problem ?? '', /empty/);
  });

  test('the key type is the key name minus its number; unknown types and enum are accepted as they are', () => {
    assert.equal(miniprogramKeyType('thing12'), 'thing');
    assert.equal(miniprogramKeyType('character_string1'), 'character_string');
    assert.equal(miniprogramKeyType('phone_number3'), 'phone_number');
    assert.equal(miniprogramKeyType('thing'), undefined);
    assert.equal(checkMiniprogramValue('enum1', 'anything at all, even quite long text'), undefined);
    assert.equal(checkMiniprogramValue('gadget2', 'x'.repeat(100)), undefined);
    assert.equal(checkMiniprogramValue('constructor1', 'x'), undefined, 'no prototype keys');
  });
});

describe('official-account template message rules (2023-05-04)', () => {
  test('keyword values of up to 20 characters on one line pass, blank ones too', () => {
    for (const value of ['A-1024', '¥1299.50', '保温杯 *限量* × 2', 'x'.repeat(20), '']) assert.equal(checkWechatTemplateValue('keyword1', value), undefined);
  });

  test('a value over 20 characters or with a line break is refused rather than cut', () => {
    assert.match(checkWechatTemplateValue('thing3', 'x'.repeat(21))!.problem, /21 characters; WeChat shows only the first 20/);
    assert.match(checkWechatTemplateValue('keyword2', 'two\nlines')!.problem, /line break/);
  });

  test('first and remark are refused: they are no longer shown', () => {
    for (const key of ['first', 'remark']) assert.match(checkWechatTemplateValue(key, 'Hello')!.problem, /not shown since 2023-05-04/);
  });
});

function heraldError(fn: () => void): HeraldError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof HeraldError);
    return error;
  }
  assert.fail('expected a HeraldError');
}

describe('where the rules apply', () => {
  test('rendered data: 422 TEMPLATE_FIELD_INVALID naming the field path, the rule and the problem', () => {
    const error = heraldError(() => checkRenderedWechatData('miniprogram', 'order.paid', { character_string1: 'A-1', thing1: '一二三四五六七八九十一二三四五六七八九十一' }));
    assert.equal(error.kind, 'unprocessable');
    assert.equal(error.code, 'TEMPLATE_FIELD_INVALID');
    assert.equal(error.details.field, 'channels.miniprogram.data.thing1');
    assert.match(String(error.details.rule), /^thing \(at most 20 characters\)/);
    assert.match(error.message, /channels\.miniprogram\.data\.thing1.*21 characters/);
    checkRenderedWechatData('wechat', 'order.paid', { character_string1: 'A-1', amount2: 'CN¥1,299.50' });
  });

  test('at save: literal values and refused keys are checked in the default content and every locale; Liquid values wait for the render', () => {
    const content = (channels: TemplateContent['channels'], locales?: TemplateContent['locales']): TemplateContent => ({ body: 'x', channels, ...(locales ? { locales } : {}) });
    checkWechatDataAtSave('t', content({ miniprogram: { templateId: 'M', data: { thing1: '{{ order.note }}', phrase2: '配送中', amount3: '{{ order.total }}元' } } }));
    const literal = heraldError(() => checkWechatDataAtSave('t', content({ miniprogram: { templateId: 'M', data: { phrase2: 'on its way' } } })));
    assert.equal(literal.details.field, 'content.channels.miniprogram.data.phrase2');
    assert.match(String(literal.details.rule), /^phrase/);
    const remark = heraldError(() => checkWechatDataAtSave('t', content({}, { en: { channels: { wechat: { data: { remark: '{{ note }}' } } } } })));
    assert.equal(remark.details.field, 'content.locales.en.channels.wechat.data.remark');
    const long = heraldError(() => checkWechatDataAtSave('t', content({ wechat: { templateId: 'W', data: { keyword1: 'Your order has shipped today' } } })));
    assert.equal(long.details.field, 'content.channels.wechat.data.keyword1');
  });
});

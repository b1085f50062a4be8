import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { heraldError } from '../../test/support/herald-error.ts';
import { createTemplateCompiler } from './template-compiler.ts';
import type { TemplateContent } from './template-content.ts';
import { renderForChannel } from './render-message.ts';
import { checkSmsOverrideAtSave, checkSmsParamName, checkSmsParamValue, checkSmsSignName, checkSmsTemplateCode } from './sms-field-rules.ts';

describe('SMS override rules', () => {
  test('template codes: Aliyun SMS_ and digits, Tencent digits; nothing else', () => {
    for (const code of ['SMS_154950909', '449739', '1']) assert.equal(checkSmsTemplateCode(code), undefined, code);
    for (const code of ['SMS_', 'sms_154950909', 'SMS_1549 50909', ' 449739', '449739\n', 'TPL-1', '{{ code }}']) {
      assert.match(String(checkSmsTemplateCode(code)?.problem), /not a vendor template code/, code);
    }
  });

  test('param names are letters, digits and _', () => {
    for (const name of ['code', '1', 'order_id', 'A1']) assert.equal(checkSmsParamName(name), undefined, name);
    for (const name of ['order.id', 'order-id', '验证码', 'x'.repeat(65)]) assert.ok(checkSmsParamName(name), name);
  });

  test('param values: 1-35 characters (汉字 count one each), no links', () => {
    for (const value of ['123456', '张三', '字'.repeat(35), 'A-1024', 'ada@example.com']) assert.equal(checkSmsParamValue(value), undefined, value);
    assert.match(String(checkSmsParamValue('字'.repeat(36))?.problem), /36 characters; at most 35/);
    assert.match(String(checkSmsParamValue('  ')?.problem), /empty/);
    for (const link of ['https://t.cn/A6x', 'see www.example.com', 'HTTP://x.y']) assert.match(String(checkSmsParamValue(link)?.problem), /link/, link);
  });

  test('sign names: no line breaks, control characters or surrounding spaces', () => {
    assert.equal(checkSmsSignName('阿里云短信测试'), undefined);
    for (const sign of ['赫勒德\n', ' 赫勒德', '赫\u0007勒德']) assert.ok(checkSmsSignName(sign), JSON.stringify(sign));
  });
});

describe('where the SMS rules apply', () => {
  const content = (sms: NonNullable<TemplateContent['channels']>['sms'], locales?: TemplateContent['locales']): TemplateContent => ({
    body: 'x',
    channels: { sms },
    ...(locales ? { locales } : {}),
  });

  test('at save: codes, sign names, param names and literal values, in the default content and every locale; Liquid values wait for the render', () => {
    checkSmsOverrideAtSave('otp', content({ templateCode: 'SMS_154950909', signName: '赫勒德', params: { code: '{{ code }}', minutes: '5' } }));
    const cases: Array<[TemplateContent, string, RegExp]> = [
      [content({ templateCode: 'SMS 1' }), 'content.channels.sms.templateCode', /sms-template-code/],
      [content({ templateCode: '449739', signName: '赫勒德\r\n' }), 'content.channels.sms.signName', /sms-sign-name/],
      [content({ templateCode: '449739', params: { 'order.id': '{{ id }}' } }), 'content.channels.sms.params.order.id', /sms-param-name/],
      [content({ templateCode: '449739', params: { link: 'https://shop.example.com/o' } }), 'content.channels.sms.params.link', /sms-param-value/],
      [content({ templateCode: '449739' }, { en: { channels: { sms: { templateCode: 'en-otp' } } } }), 'content.locales.en.channels.sms.templateCode', /sms-template-code/],
    ];
    for (const [template, field, rule] of cases) {
      const error = heraldError(() => checkSmsOverrideAtSave('otp', template));
      assert.equal(error.kind, 'unprocessable');
      assert.equal(error.code, 'TEMPLATE_FIELD_INVALID');
      assert.equal(error.details.field, field);
      assert.match(String(error.details.rule), rule);
    }
  });

  const render = (template: TemplateContent, data: Record<string, unknown>) =>
    renderForChannel({ templateCode: 'otp', content: template, data, channel: 'sms' }, { compiler: createTemplateCompiler() });

  test('at render (accept time and previews): every rendered value; the sign name rides along in extras', () => {
    const template = content({ templateCode: 'SMS_154950909', signName: '赫勒德', params: { code: '{{ code }}', name: '{{ name }}' } });
    assert.deepEqual(render(template, { code: '123456', name: '张三' }).extras, {
      sms: { templateCode: 'SMS_154950909', params: { code: '123456', name: '张三' }, signName: '赫勒德' },
    });
    const tooLong = heraldError(() => render(template, { code: '1', name: '名'.repeat(40) }));
    assert.equal(tooLong.code, 'TEMPLATE_FIELD_INVALID');
    assert.equal(tooLong.details.field, 'channels.sms.params.name');
    assert.match(tooLong.message, /40 characters; at most 35/);
    const empty = heraldError(() => render(template, { code: '', name: 'x' }));
    assert.equal(empty.details.field, 'channels.sms.params.code');
    const link = heraldError(() => render(template, { code: '1', name: 'http://evil.example' }));
    assert.match(link.message, /link/);
  });
});

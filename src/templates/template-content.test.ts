import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Value } from 'typebox/value';
import { orderPaidContent, orderPaidVariables } from './golden/order-paid-template.ts';
import { InlineContentSchema, inlineTemplateContent, TemplateContentSchema, VariablesSchemaSchema } from './template-content.ts';

describe('template content schema', () => {
  test('accepts the golden template and its variables', () => {
    assert.ok(Value.Check(TemplateContentSchema, orderPaidContent));
    assert.ok(Value.Check(VariablesSchemaSchema, orderPaidVariables));
  });

  test('a locale variant may set part of a WeChat override; the default content must set it whole', () => {
    assert.ok(Value.Check(TemplateContentSchema, { body: 'x', locales: { en: { channels: { wechat: { data: { thing1: 'x' } } } } } }));
    assert.ok(!Value.Check(TemplateContentSchema, { body: 'x', channels: { wechat: { data: { thing1: 'x' } } } }));
  });

  test('rejects unknown fields and channels, bad locale tags, a missing body', () => {
    assert.ok(!Value.Check(TemplateContentSchema, { body: 'x', colour: 'red' }));
    assert.ok(!Value.Check(TemplateContentSchema, { body: 'x', channels: { fax: {} } }));
    assert.ok(!Value.Check(TemplateContentSchema, { body: 'x', locales: { 'not a tag': {} } }));
    assert.ok(!Value.Check(TemplateContentSchema, { title: 'x' }));
    assert.ok(!Value.Check(TemplateContentSchema, { body: 'x', bodyFormat: 'rtf' }));
  });

  test('variables need a Liquid-friendly name and a known type', () => {
    assert.ok(!Value.Check(VariablesSchemaSchema, [{ name: 'order-id', type: 'string' }]));
    assert.ok(!Value.Check(VariablesSchemaSchema, [{ name: 'order', type: 'date' }]));
  });

  test('inline content becomes a template whose body is plain text unless told otherwise', () => {
    const inline = { title: 'Disk full', body: 'on {{ host }}' };
    assert.ok(Value.Check(InlineContentSchema, inline));
    const content = inlineTemplateContent(inline);
    assert.deepEqual(content, { title: 'Disk full', body: 'on {{ host }}', bodyFormat: 'text' });
    assert.ok(Value.Check(TemplateContentSchema, content));
    assert.equal(inlineTemplateContent({ body: '<p>x</p>', format: 'html' }).bodyFormat, 'html');
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { diffDefinitions, isLiquidPath, parsePath, removeAt, setAt, stringFields, usedVariables } from '../../console/src/composables/template-fields.ts';

/** The template editor's view of content as fields by path: which are Liquid, edits by path, the variables read, version diffs. */
describe('console template fields', () => {
  const content = {
    title: 'Paid {{ order.id }}',
    body: 'Hi',
    channels: { sms: { templateCode: 'SMS_1', params: { state: '{{ order.state }}' } }, wecom: { news: { articles: [{ title: 'A', url: 'https://x' }] } } },
    locales: { 'zh-CN': { body: '你好' } },
  };

  test('every string is a field named by its dot path, list items by their index', () => {
    assert.deepEqual(
      stringFields(content).map((field) => field.key),
      ['title', 'body', 'channels.sms.templateCode', 'channels.sms.params.state', 'channels.wecom.news.articles.0.title', 'channels.wecom.news.articles.0.url', 'locales.zh-CN.body'],
    );
  });

  test('vendor ids are literal; a parameter that happens to share a literal key name is Liquid', () => {
    assert.equal(isLiquidPath(['channels', 'sms', 'templateCode']), false);
    assert.equal(isLiquidPath(['channels', 'miniprogram', 'state']), false);
    assert.equal(isLiquidPath(['channels', 'sms', 'params', 'state']), true);
    assert.equal(isLiquidPath(['locales', 'zh-CN', 'body']), true);
  });

  test('setting creates the objects on the way; removing prunes the ones left empty', () => {
    const edited: Record<string, unknown> = structuredClone(content);
    setAt(edited, ['channels', 'email', 'subject'], 'S');
    assert.deepEqual(edited.channels, { ...content.channels, email: { subject: 'S' } });
    removeAt(edited, ['channels', 'email', 'subject']);
    assert.deepEqual(edited.channels, content.channels);
    removeAt(edited, ['locales', 'zh-CN', 'body']);
    assert.equal('locales' in edited, false);
    removeAt(edited, ['channels', 'nothing', 'here']);
    assert.deepEqual(edited.channels, content.channels);
  });

  test('a typed path is dot-separated names; anything else is refused', () => {
    assert.deepEqual(parsePath(' locales.zh-CN.body '), ['locales', 'zh-CN', 'body']);
    assert.deepEqual(parsePath('channels.inbox.actions.0.label'), ['channels', 'inbox', 'actions', 0, 'label']);
    assert.equal(parsePath('channels..email'), null);
    assert.equal(parsePath('channels.email subject'), null);
  });

  test('the variables read are outputs, conditions and loop collections, not what the template assigns itself', () => {
    assert.deepEqual(
      usedVariables([
        '{% if vip %}{{ customer.name | upcase }}{% endif %}{%- for item in items %}{{ item.sku }} {{ forloop.index }}{% endfor %}',
        '{% assign total = order.total %}{{ total }} {{- order.id }}{% capture note %}x{% endcapture %}{{ note }}',
      ]),
      ['vip', 'customer', 'items', 'order'],
    );
  });

  test('a diff lists only the fields that changed, line by line, with what was removed and added', () => {
    const before = { defaultChannels: ['email'], variables: [], content: { title: 'T', body: 'one\ntwo\nthree', channels: { inbox: { validForSeconds: 60 } } } };
    const after = { defaultChannels: ['email'], variables: [], content: { title: 'T', body: 'one\n2\nthree', channels: { inbox: { validForSeconds: 120 } }, summary: 'S' } };
    assert.deepEqual(diffDefinitions(before, after), [
      {
        field: 'content.body',
        lines: [
          { kind: 'same', text: 'one' },
          { kind: 'removed', text: 'two' },
          { kind: 'added', text: '2' },
          { kind: 'same', text: 'three' },
        ],
      },
      { field: 'content.channels.inbox.validForSeconds', lines: [{ kind: 'removed', text: '60' }, { kind: 'added', text: '120' }] },
      { field: 'content.summary', lines: [{ kind: 'added', text: 'S' }] },
    ]);
    assert.deepEqual(diffDefinitions(before, structuredClone(before)), []);
  });
});

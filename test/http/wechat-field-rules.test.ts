import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

const MINI_OPEN_ID = 'oKgAB5T4n0fEsxyBSMlAqQ2pFiTM';
const orderVariables = [{ name: 'order', type: 'object', required: true, example: { id: 'A-1', note: '请尽快发货', total: 99.5 } }];

for (const dialect of testDialects) {
  describe(`WeChat field rules at save and accept time on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const count = async (table: 'templates' | 'messages' | 'deliveries') =>
      Number((await herald.context.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const assertFieldInvalid = (response: { statusCode: number; body: string; json(): any }, field: string, rule: RegExp, detail: RegExp) => {
      assert.equal(response.statusCode, 422, response.body);
      const problem = response.json();
      assert.equal(problem.code, 'TEMPLATE_FIELD_INVALID', response.body);
      assert.equal(problem.field, field, response.body);
      assert.match(problem.rule, rule);
      assert.match(problem.detail, detail);
    };

    before(async () => {
      herald = await createTestHerald(dialect);
      app = await createAppWithKey(herald, 'shop');
      // No worker runs here: the accounts only let the API accept sends on these channels.
      for (const account of [
        { type: 'wechat-template', name: 'official', config: { appId: 'wx0123456789abcdef', appSecret: 'secret' } },
        { type: 'wechat-subscribe', name: 'mini', config: { appId: 'wxmini0123456789ab', appSecret: 'secret' } },
      ]) {
        const created = await call('POST', '/v1/channel-accounts', account);
        assert.equal(created.statusCode, 201, created.body);
      }
    });
    after(() => herald.close());

    test('saving a template whose literal WeChat data breaks a rule is refused naming the field and the rule, storing nothing', async () => {
      const before = await count('templates');
      const phrase = await call('POST', '/v1/templates', {
        code: 'mini.literal',
        content: { body: 'x', channels: { miniprogram: { templateId: 'MP1', data: { thing1: '{{ order.note }}', phrase2: 'shipped' } } } },
      });
      assertFieldInvalid(phrase, 'content.channels.miniprogram.data.phrase2', /^phrase \(at most 5 汉字\)/, /"shipped".*must be 汉字 only/);

      const remark = await call('POST', '/v1/templates', {
        code: 'wx.remark',
        content: { body: 'x', channels: { wechat: { templateId: 'WX1', data: { keyword1: '{{ order.id }}', remark: '{{ order.note }}' } } } },
      });
      assertFieldInvalid(remark, 'content.channels.wechat.data.remark', /^template-message/, /not shown since 2023-05-04/);
      assert.equal(await count('templates'), before);

      const draft = await call('POST', '/v1/templates', { code: 'mini.edit', content: { body: 'x', channels: { miniprogram: { templateId: 'MP1', data: { phrase1: '配送中' } } } } });
      assert.equal(draft.statusCode, 201, draft.body);
      const edit = await call('PATCH', '/v1/templates/mini.edit', { content: { body: 'x', locales: { en: { channels: { miniprogram: { data: { phrase1: 'on its way' } } } } } } });
      assertFieldInvalid(edit, 'content.locales.en.channels.miniprogram.data.phrase1', /^phrase/, /must be 汉字 only/);
    });

    test('publishing test-renders the examples: a rendered value breaking a rule is refused', async () => {
      const created = await call('POST', '/v1/templates', {
        code: 'mini.example',
        variables: [{ name: 'order', type: 'object', example: { total: 1299.5 } }],
        content: { body: 'x', channels: { miniprogram: { templateId: 'MP1', data: { amount1: '{{ order.total | money: "CNY" }}' } } } },
      });
      assert.equal(created.statusCode, 201, 'Liquid values are not judged before they render');
      const publish = await call('POST', '/v1/templates/mini.example/publish');
      assertFieldInvalid(publish, 'channels.miniprogram.data.amount1', /^amount/, /example values.*"CN¥1,299.50"/);
    });

    test('accepting a message whose data makes a field break a rule is 422 and stores nothing', async () => {
      const created = await call('POST', '/v1/templates', {
        code: 'order.shipped',
        defaultChannels: ['miniprogram', 'wechat'],
        variables: orderVariables,
        content: {
          body: 'Order {{ order.id }} shipped',
          channels: {
            miniprogram: { templateId: 'MP1', data: { character_string1: '{{ order.id }}', thing2: '{{ order.note }}' }, page: 'pages/order?id={{ order.id }}' },
            wechat: { templateId: 'WX1', data: { character_string1: '{{ order.id }}', thing2: '{{ order.note }}' } },
          },
        },
        publish: true,
      });
      assert.equal(created.statusCode, 201, created.body);
      const messagesBefore = await count('messages');
      const deliveriesBefore = await count('deliveries');

      const tooLong = await call('POST', '/v1/messages', {
        to: [{ miniProgramOpenId: MINI_OPEN_ID }],
        channels: ['miniprogram'],
        template: 'order.shipped',
        data: { order: { id: 'A-2', note: '请在周五之前送到公司前台，谢谢你们的辛苦工作' } },
      });
      assertFieldInvalid(tooLong, 'channels.miniprogram.data.thing2', /^thing \(at most 20 characters\)/, /is 22 characters/);

      const twoLines = await call('POST', '/v1/messages', {
        to: [{ wechatOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }],
        channels: ['wechat'],
        template: 'order.shipped',
        data: { order: { id: 'A-2', note: '第一行\n第二行' } },
      });
      assertFieldInvalid(twoLines, 'channels.wechat.data.thing2', /^template-message/, /line break/);
      assert.equal(await count('messages'), messagesBefore);
      assert.equal(await count('deliveries'), deliveriesBefore);

      const fine = await call('POST', '/v1/messages', {
        to: [{ miniProgramOpenId: MINI_OPEN_ID }],
        channels: ['miniprogram'],
        template: 'order.shipped',
        data: { order: { id: 'A-2', note: '请尽快发货' } },
      });
      assert.equal(fine.statusCode, 202, fine.body);
      assert.equal(await count('messages'), messagesBefore + 1);
    });
  });
}

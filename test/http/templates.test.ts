import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNELS } from '../../src/channels/channel-catalog.ts';
import { consoleSession, createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

const orderVariables = [
  { name: 'order', type: 'object', required: true, example: { id: 'A-1', total: 99.5 } },
  { name: 'customer', type: 'string', example: 'Ada' },
];
const orderContent = {
  title: 'Order {{ order.id }} paid',
  summary: '{{ customer | default: "Someone" }} paid {{ order.total | money: "CNY" }}',
  body: '## Order {{ order.id }}\n\nThanks, **{{ customer | default: "friend" }}**.',
  url: 'https://shop.example.com/orders/{{ order.id }}',
};

for (const dialect of testDialects) {
  describe(`templates API on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const templateCount = async () => Number((await herald.context.database.db.selectFrom('templates').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const create = async (body: Record<string, unknown>) => {
      const response = await call('POST', '/v1/templates', body);
      assert.equal(response.statusCode, 201, response.body);
      return response.json();
    };

    before(async () => {
      herald = await createTestHerald(dialect);
      app = await createAppWithKey(herald, 'shop');
    });
    after(() => herald.close());

    test('create, read, list by code a page at a time, and app isolation', async () => {
      const created = await create({ code: 'crud.first', defaultChannels: ['email'], variables: orderVariables, content: orderContent });
      assert.match(created.id, /^tpl_/);
      assert.equal(created.code, 'crud.first');
      assert.equal(created.name, 'crud.first', 'the name defaults to the code');
      assert.equal(created.description, '');
      assert.deepEqual(created.defaultChannels, ['email']);
      assert.deepEqual(created.variables, orderVariables);
      assert.deepEqual(created.content, orderContent);
      assert.equal(created.publishedVersion, null);
      assert.equal(created.hasUnpublishedChanges, true);
      assert.deepEqual((await call('GET', '/v1/templates/crud.first')).json(), created);

      await create({ code: 'crud.second', name: 'Second', content: { body: 'two' } });
      await create({ code: 'crud.third', name: 'Third', description: 'the third', content: { body: 'three' } });
      const first = (await call('GET', '/v1/templates?limit=2')).json();
      assert.deepEqual(first.items.map((t: { code: string }) => t.code), ['crud.first', 'crud.second']);
      assert.equal(first.items[0].content, undefined, 'list items are summaries');
      assert.equal(first.nextCursor, 'crud.second');
      const second = (await call('GET', `/v1/templates?limit=2&cursor=${first.nextCursor}`)).json();
      assert.deepEqual(second.items.map((t: { code: string }) => t.code), ['crud.third']);
      assert.equal(second.nextCursor, null);

      const other = await createAppWithKey(herald, 'other-app');
      const peek = await signedInject(herald, other, { method: 'GET', url: '/v1/templates/crud.first' });
      assert.equal(peek.statusCode, 404);
      assert.equal(peek.json().code, 'TEMPLATE_NOT_FOUND');
      assert.equal((await signedInject(herald, other, { method: 'GET', url: '/v1/templates' })).json().items.length, 0);
      const sameCode = await signedInject(herald, other, { method: 'POST', url: '/v1/templates', body: { code: 'crud.first', content: { body: 'mine' } } });
      assert.equal(sameCode.statusCode, 201, 'codes are unique per app');
    });

    test('a taken code is 409 TEMPLATE_CODE_TAKEN', async () => {
      await create({ code: 'dup.code', content: { body: 'x' } });
      const again = await call('POST', '/v1/templates', { code: 'dup.code', content: { body: 'y' } });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'TEMPLATE_CODE_TAKEN');
      assert.equal(again.json().field, 'code');
    });

    test('invalid drafts are refused at save time with the field (and the Liquid line) named, storing nothing', async () => {
      const before = await templateCount();
      const cases: Array<[Record<string, unknown>, number, string, string, RegExp?]> = [
        [{ code: 'Order Paid', content: { body: 'x' } }, 400, 'TEMPLATE_CODE_INVALID', 'code'],
        [{ code: 'x'.repeat(129), content: { body: 'x' } }, 400, 'VALIDATION_FAILED', 'body.code'],
        [{ code: 'v.missing' }, 400, 'VALIDATION_FAILED', 'body'],
        [{ code: 'v.channel', content: { body: 'x', channels: { fax: {} } } }, 400, 'TEMPLATE_CONTENT_INVALID', 'content.channels.fax'],
        [{ code: 'v.body', content: { title: 'x' } }, 400, 'TEMPLATE_CONTENT_INVALID', 'content.body'],
        [{ code: 'v.format', content: { body: 'x', bodyFormat: 'rtf' } }, 400, 'TEMPLATE_CONTENT_INVALID', 'content.bodyFormat', /"markdown", "text", "html"/],
        [{ code: 'v.nested', content: { body: 'x', locales: { en: { channels: { email: { subject: 5 } } } } } }, 400, 'TEMPLATE_CONTENT_INVALID', 'content.locales.en.channels.email.subject', /expected a string/],
        [{ code: 'v.wechat', content: { body: 'x', channels: { wechat: { data: {} } } } }, 400, 'TEMPLATE_CONTENT_INVALID', 'content.channels.wechat.templateId'],
        [{ code: 'v.var', variables: [{ name: 'order-id', type: 'string' }], content: { body: 'x' } }, 400, 'TEMPLATE_VARIABLES_INVALID', 'variables[0].name'],
        [{ code: 'v.vartype', variables: [{ name: 'at', type: 'date' }], content: { body: 'x' } }, 400, 'TEMPLATE_VARIABLES_INVALID', 'variables[0].type'],
        [{ code: 'v.vardup', variables: [{ name: 'a', type: 'string' }, { name: 'a', type: 'number' }], content: { body: 'x' } }, 400, 'TEMPLATE_VARIABLES_INVALID', 'variables[1].name'],
        [{ code: 'v.example', variables: [{ name: 'total', type: 'number', example: 'lots' }], content: { body: 'x' } }, 400, 'TEMPLATE_VARIABLES_INVALID', 'variables[0].example', /must be a number/],
        [{ code: 'v.channels', defaultChannels: ['email', 'fax'], content: { body: 'x' } }, 400, 'TEMPLATE_CHANNEL_UNKNOWN', 'defaultChannels[1]'],
        [{ code: 'v.channels2', defaultChannels: ['email', 'email'], content: { body: 'x' } }, 400, 'TEMPLATE_CHANNEL_DUPLICATE', 'defaultChannels[1]'],
        [{ code: 'v.liquid', content: { body: 'Hello\n{% if order %}\nno end tag' } }, 422, 'TEMPLATE_SYNTAX_ERROR', 'content.body', /line 2/],
        [{ code: 'v.output', content: { body: 'x', locales: { zh: { title: '订单\n{{ order.id ' } } } }, 422, 'TEMPLATE_SYNTAX_ERROR', 'content.locales.zh.title', /line 2/],
        [{ code: 'v.filter', content: { body: 'x', summary: '{{ order.id | shout }}' } }, 422, 'TEMPLATE_FILTER_UNKNOWN', 'content.summary', /"shout"/],
        [{ code: 'v.include', content: { body: '{% include "secrets" %}' } }, 422, 'TEMPLATE_TAG_FORBIDDEN', 'content.body'],
        [{ code: 'v.override', content: { body: 'x', channels: { dingtalk: { markdown: '{% for %}' } } } }, 422, 'TEMPLATE_SYNTAX_ERROR', 'content.channels.dingtalk.markdown'],
      ];
      for (const [body, status, code, field, detail] of cases) {
        const response = await call('POST', '/v1/templates', body);
        const problem = response.json();
        assert.equal(response.statusCode, status, `${JSON.stringify(body)} → ${response.body}`);
        assert.equal(problem.code, code, response.body);
        assert.equal(problem.field, field, response.body);
        if (detail) assert.match(problem.detail, detail);
      }
      assert.equal(await templateCount(), before);

      const liquid = (await call('POST', '/v1/templates', { code: 'v.line', content: { body: 'one\ntwo\n{{ name | upcase ' } })).json();
      assert.equal(liquid.line, 3);
      assert.equal(liquid.templateCode, 'v.line');
      assert.match(liquid.detail, /body \(line 3, column 1\)/);
    });

    test('a draft edit is validated the same way and a refused edit leaves the draft as it was', async () => {
      const created = await create({ code: 'edit.me', content: { body: 'Hello {{ name | default: "you" }}' } });
      const bad = await call('PATCH', '/v1/templates/edit.me', { content: { body: 'Hello {{ name | nope }}' } });
      assert.equal(bad.statusCode, 422);
      assert.equal(bad.json().code, 'TEMPLATE_FILTER_UNKNOWN');
      assert.equal(bad.json().field, 'content.body');
      const unknownField = await call('PATCH', '/v1/templates/edit.me', { colour: 'red' });
      assert.equal(unknownField.statusCode, 400);
      assert.deepEqual((await call('GET', '/v1/templates/edit.me')).json(), created);

      const edited = await call('PATCH', '/v1/templates/edit.me', { name: 'Edited', description: 'now described', defaultChannels: ['webhook'], content: { body: 'Hi' } });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.equal(edited.json().name, 'Edited');
      assert.equal(edited.json().description, 'now described');
      assert.deepEqual(edited.json().defaultChannels, ['webhook']);
      assert.deepEqual(edited.json().content, { body: 'Hi' });
      assert.equal((await call('PATCH', '/v1/templates/no.such', { name: 'x' })).statusCode, 404);
    });

    test('publish copies the draft into a version; draft edits never touch published versions', async () => {
      await create({ code: 'pub.flow', variables: orderVariables, content: orderContent });
      const v1 = await call('POST', '/v1/templates/pub.flow/publish');
      assert.equal(v1.statusCode, 200, v1.body);
      assert.equal(v1.json().publishedVersion, 1);
      assert.equal(v1.json().hasUnpublishedChanges, false);

      const unchanged = await call('POST', '/v1/templates/pub.flow/publish');
      assert.equal(unchanged.statusCode, 409);
      assert.equal(unchanged.json().code, 'TEMPLATE_UNCHANGED');

      const edited = (await call('PATCH', '/v1/templates/pub.flow', { content: { ...orderContent, title: 'Paid: {{ order.id }}' } })).json();
      assert.equal(edited.publishedVersion, 1, 'editing the draft does not publish it');
      assert.equal(edited.hasUnpublishedChanges, true);
      const version1 = (await call('GET', '/v1/templates/pub.flow/versions/1')).json();
      assert.equal(version1.content.title, 'Order {{ order.id }} paid');
      assert.equal(version1.kind, 'published');
      assert.equal(version1.current, true);
      assert.equal(version1.publishedBy, app.accessKeyId);
      assert.deepEqual(version1.variables, orderVariables);

      // An edit back to the published content is no longer a change.
      assert.equal((await call('PATCH', '/v1/templates/pub.flow', { content: orderContent })).json().hasUnpublishedChanges, false);
      await call('PATCH', '/v1/templates/pub.flow', { content: { ...orderContent, title: 'Paid: {{ order.id }}' } });

      const session = await consoleSession(herald, 'admin', 'publisher@example.com');
      const v2 = await herald.server!.inject({ method: 'POST', url: '/v1/templates/pub.flow/publish', headers: { ...session, 'x-herald-app': app.appName } });
      assert.equal(v2.statusCode, 200, v2.body);
      assert.equal(v2.json().publishedVersion, 2);

      const versions = (await call('GET', '/v1/templates/pub.flow/versions')).json();
      assert.deepEqual(
        versions.items.map((v: { version: number; current: boolean; publishedBy: string }) => [v.version, v.current, v.publishedBy]),
        [
          [2, true, 'publisher@example.com'],
          [1, false, app.accessKeyId],
        ],
      );
      const page = (await call('GET', '/v1/templates/pub.flow/versions?limit=1')).json();
      assert.deepEqual([page.items[0].version, page.nextCursor], [2, 2]);
      assert.deepEqual((await call('GET', '/v1/templates/pub.flow/versions?limit=1&cursor=2')).json().items.map((v: { version: number }) => v.version), [1]);
      assert.equal((await call('GET', '/v1/templates/pub.flow/versions/1')).json().content.title, 'Order {{ order.id }} paid');
      assert.equal((await call('GET', '/v1/templates/pub.flow/versions/2')).json().content.title, 'Paid: {{ order.id }}');
      const missing = await call('GET', '/v1/templates/pub.flow/versions/3');
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().code, 'TEMPLATE_VERSION_NOT_FOUND');

      const listed = (await call('GET', '/v1/templates')).json().items.find((t: { code: string }) => t.code === 'pub.flow');
      assert.deepEqual([listed.publishedVersion, listed.hasUnpublishedChanges], [2, false]);
    });

    test('publishing test-renders with the example values; create and edit can publish in one step', async () => {
      const variables = [{ name: 'order', type: 'object', required: true }];
      await create({ code: 'pub.examples', variables, content: { body: 'Order {{ order.id }}' } });
      const refused = await call('POST', '/v1/templates/pub.examples/publish');
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().code, 'TEMPLATE_VARIABLE_MISSING');
      assert.equal(refused.json().variable, 'order');
      assert.match(refused.json().detail, /example values/);
      assert.equal((await call('GET', '/v1/templates/pub.examples')).json().publishedVersion, null);

      const published = await call('PATCH', '/v1/templates/pub.examples', { variables: [{ ...variables[0], example: { id: 'A-7' } }], publish: true });
      assert.equal(published.statusCode, 200, published.body);
      assert.equal(published.json().publishedVersion, 1);

      // A locale variant is test-rendered too: here it uses a variable nobody declared.
      const before = await templateCount();
      const atomic = await call('POST', '/v1/templates', { code: 'pub.atomic', content: { body: 'ok', locales: { en: { title: '{{ ghost }}' } } }, publish: true });
      assert.equal(atomic.statusCode, 422);
      assert.equal(atomic.json().variable, 'ghost');
      assert.equal(atomic.json().field, 'locales.en.title');
      assert.equal(await templateCount(), before, 'a create that cannot publish stores nothing');

      const oneStep = await create({ code: 'pub.onestep', content: { body: 'ok' }, publish: true });
      assert.deepEqual([oneStep.publishedVersion, oneStep.hasUnpublishedChanges], [1, false]);
    });

    test('preview renders the WeCom override: news, textcard and mentions; a bad article URL is a 422', async () => {
      const wecom = {
        mentions: { userIds: 'ops-lead' },
        news: { articles: [{ title: 'Order {{ order.id }}', url: 'https://shop.example.com/orders/{{ order.id }}' }] },
        textcard: { title: 'Order {{ order.id }} paid', description: '<div class="gray">{{ customer | default: "Someone" }}</div>', url: 'https://shop.example.com/orders/{{ order.id }}' },
      };
      await create({ code: 'preview.wecom', defaultChannels: ['wecom'], variables: orderVariables, content: { ...orderContent, channels: { wecom } } });
      const preview = await call('POST', '/v1/templates/preview.wecom/preview', { data: { order: { id: 'W-1', total: 1 }, customer: '<Ada>' } });
      assert.equal(preview.statusCode, 200, preview.body);
      const { extras, markdown } = preview.json().channels.wecom;
      assert.match(markdown, /Order W-1/);
      assert.deepEqual(extras, {
        mentions: { userIds: ['ops-lead'], mobiles: [], all: false },
        wecom: {
          news: { articles: [{ title: 'Order W-1', url: 'https://shop.example.com/orders/W-1' }] },
          textcard: { title: 'Order W-1 paid', description: '<div class="gray">&lt;Ada&gt;</div>', url: 'https://shop.example.com/orders/W-1' },
        },
      });
      await create({ code: 'preview.wecom.bad', content: { body: 'b', channels: { wecom: { news: { articles: [{ title: 't', url: 'javascript:alert(1)' }] } } } } });
      const refused = await call('POST', '/v1/templates/preview.wecom.bad/preview', { channels: ['wecom'] });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.equal(refused.json().code, 'TEMPLATE_URL_INVALID');
    });

    test('preview renders every channel of the draft or of a version, with examples, data and locale', async () => {
      await create({
        code: 'preview.all',
        defaultChannels: ['email', 'dingtalk'],
        variables: orderVariables,
        content: {
          ...orderContent,
          channels: {
            email: { subject: 'Receipt for {{ order.id }}' },
            sms: { templateCode: 'SMS_1', params: { id: '{{ order.id }}' } },
            wechat: { templateId: 'wx-tpl', data: { thing1: '{{ order.id }}' } },
            miniprogram: { templateId: 'mp-tpl', data: { thing1: '{{ order.id }}' }, page: 'pages/order?id={{ order.id }}' },
            dingtalk: { title: 'Paid', markdown: '### {{ order.id }} paid' },
          },
          locales: { zh: { title: '订单 {{ order.id }} 已支付' } },
        },
        publish: true,
      });
      await call('PATCH', '/v1/templates/preview.all', { content: { ...orderContent, title: 'Draft {{ order.id }}' } });

      const everything = await call('POST', '/v1/templates/preview.all/preview', { version: 1, channels: CHANNELS });
      assert.equal(everything.statusCode, 200, everything.body);
      const rendered = everything.json().channels;
      assert.deepEqual(Object.keys(rendered).sort(), [...CHANNELS].sort());
      for (const channel of CHANNELS) assert.ok(rendered[channel].text.includes('A-1'), `${channel} renders the example data`);
      assert.equal(rendered.email.title, 'Receipt for A-1');
      assert.match(rendered.email.html, /<html/);
      assert.equal(rendered.webhook.title, 'Order A-1 paid');
      assert.equal(rendered.webhook.summary, 'Ada paid CN¥99.50');
      assert.equal(rendered.webhook.url, 'https://shop.example.com/orders/A-1');
      assert.deepEqual(rendered.sms.extras.sms, { templateCode: 'SMS_1', params: { id: 'A-1' } });
      assert.equal(rendered.dingtalk.title, 'Paid');
      assert.match(rendered.dingtalk.markdown, /A-1 paid/);
      assert.equal(rendered.wechat.extras.wechat.templateId, 'wx-tpl');
      assert.deepEqual(rendered.wechat.extras.wechat.data, { thing1: 'A-1' });
      assert.equal(rendered.miniprogram.extras.miniprogram.page, 'pages/order?id=A-1');

      const byDefault = (await call('POST', '/v1/templates/preview.all/preview')).json();
      assert.equal(byDefault.version, 'draft');
      assert.deepEqual(Object.keys(byDefault.channels).sort(), ['dingtalk', 'email'], 'the draft renders for its default channels');
      assert.equal(byDefault.channels.email.title, 'Draft A-1', 'the draft has no email override: the title is the subject');
      const v1Default = (await call('POST', '/v1/templates/preview.all/preview', { version: 1 })).json();
      assert.deepEqual(Object.keys(v1Default.channels).sort(), ['dingtalk', 'email', 'miniprogram', 'sms', 'wechat'], 'default channels and overridden ones');

      const withData = (await call('POST', '/v1/templates/preview.all/preview', { data: { order: { id: 'B-2', total: 5 } }, channels: ['webhook'], locale: 'zh-CN', version: 1 })).json();
      assert.equal(withData.channels.webhook.title, '订单 B-2 已支付');
      assert.equal(withData.channels.webhook.summary, 'Someone paid ¥5.00', 'given data replaces the examples; money formats for the zh variant');

      const missing = await call('POST', '/v1/templates/preview.all/preview', { data: { customer: 'Bo' }, channels: ['webhook'] });
      assert.equal(missing.statusCode, 422);
      assert.equal(missing.json().code, 'TEMPLATE_VARIABLE_MISSING');
      assert.equal(missing.json().variable, 'order');
      assert.equal(missing.json().templateCode, 'preview.all');
      assert.match(missing.json().detail, /"order"/);
      assert.match(missing.json().detail, /"preview\.all"/);

      const unsupported = await call('POST', '/v1/templates/preview.all/preview', { channels: ['wechat'] });
      assert.equal(unsupported.statusCode, 422, 'the draft has no WeChat template');
      assert.equal(unsupported.json().code, 'TEMPLATE_CHANNEL_UNSUPPORTED');
      assert.equal((await call('POST', '/v1/templates/preview.all/preview', { version: 9 })).statusCode, 404);
      assert.equal((await call('POST', '/v1/templates/preview.all/preview', { channels: ['fax'] })).statusCode, 400);
    });

    test('roles: viewers read and preview, admins edit and publish, operators test-send', async () => {
      await create({ code: 'roles.t', content: { body: 'x' } });
      const as = async (role: 'viewer' | 'operator' | 'admin', method: string, url: string, body?: unknown) => {
        const session = await consoleSession(herald, role);
        return herald.server!.inject({ method: method as 'GET', url, headers: { ...session, 'x-herald-app': app.appName }, payload: body as object });
      };
      assert.equal((await as('viewer', 'GET', '/v1/templates/roles.t')).statusCode, 200);
      assert.equal((await as('viewer', 'POST', '/v1/templates/roles.t/preview', {})).statusCode, 200);
      for (const [method, url, body] of [
        ['PATCH', '/v1/templates/roles.t', { name: 'x' }],
        ['POST', '/v1/templates/roles.t/publish', undefined],
        ['DELETE', '/v1/templates/roles.t', undefined],
        ['POST', '/v1/templates', { code: 'roles.new', content: { body: 'x' } }],
        ['POST', '/v1/templates/roles.t/test-send', { to: [{ email: 'a@example.com' }] }],
      ] as const) {
        const response = await as('viewer', method, url, body);
        assert.equal(response.statusCode, 403, `${method} ${url}`);
        assert.equal(response.json().code, 'ROLE_INSUFFICIENT');
      }
      assert.equal((await as('operator', 'POST', '/v1/templates/roles.t/publish')).statusCode, 403);
      const operatorTestSend = await as('operator', 'POST', '/v1/templates/roles.t/test-send', { to: [{ email: 'a@example.com' }] });
      assert.equal(operatorTestSend.json().code, 'CHANNELS_MISSING', 'past the role check, the send itself needs channels');
      assert.equal((await as('admin', 'POST', '/v1/templates/roles.t/publish')).statusCode, 200);
    });

    test('delete removes the template and its versions', async () => {
      const created = await create({ code: 'gone.soon', content: { body: 'x' }, publish: true });
      const deleted = await call('DELETE', '/v1/templates/gone.soon');
      assert.equal(deleted.statusCode, 204);
      assert.equal((await call('GET', '/v1/templates/gone.soon')).statusCode, 404);
      const versions = await herald.context.database.db.selectFrom('template_versions').select('version').where('template_id', '=', created.id).execute();
      assert.equal(versions.length, 0);
      assert.equal((await call('DELETE', '/v1/templates/gone.soon')).statusCode, 404);
      assert.equal((await call('POST', '/v1/templates', { code: 'gone.soon', content: { body: 'again' } })).statusCode, 201, 'the code is free again');
    });
  });
}

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { renderForChannel, validateRender, type RenderRequest } from './render-message.ts';
import { compileTemplate, createTemplateCompiler } from './template-compiler.ts';
import { Value } from 'typebox/value';
import { inlineTemplateContent, TemplateContentSchema, type TemplateContent } from './template-content.ts';
import { heraldError } from '../../test/support/herald-error.ts';

function render(content: TemplateContent, data: Record<string, unknown> = {}, overrides: Partial<RenderRequest> = {}) {
  return renderForChannel({ templateCode: 'test.code', content, data, channel: 'webhook', ...overrides }, { compiler: createTemplateCompiler() });
}


describe('Liquid errors are clear 422s naming the template, field and position', () => {
  test('an undefined variable (strict variables) is TEMPLATE_VARIABLE_MISSING', () => {
    const error = heraldError(() => render({ body: 'Hello\n{{ user.name }}' }, { order: {} }));
    assert.equal(error.kind, 'unprocessable');
    assert.equal(error.code, 'TEMPLATE_VARIABLE_MISSING');
    assert.deepEqual(error.details, { templateCode: 'test.code', field: 'body', line: 2, column: 4, variable: 'user' });
    assert.match(error.message, /Template "test\.code" uses variable "user" in body \(line 2, column 4\)/);
  });

  test('a missing property of a provided object is named by its path', () => {
    const error = heraldError(() => render({ body: '{{ order.total }}' }, { order: { id: 1 } }));
    assert.equal(error.details.variable, 'order.total');
  });

  test('a required declared variable is refused before rendering', () => {
    const error = heraldError(() => render({ body: 'x' }, {}, { variables: [{ name: 'order', type: 'object', required: true }] }));
    assert.equal(error.code, 'TEMPLATE_VARIABLE_MISSING');
    assert.equal(error.details.variable, 'order');
    assert.equal(error.details.templateCode, 'test.code');
  });

  test('optional variables can be guarded with if and default', () => {
    const message = render({ body: '{% if coupon %}Coupon {{ coupon }}{% else %}No coupon{% endif %}, {{ note | default: "no note" }}' });
    assert.equal(message.text, 'No coupon, no note');
  });

  test('an unknown filter is TEMPLATE_FILTER_UNKNOWN, found when the template is compiled', () => {
    const error = heraldError(() => render({ body: 'ok', title: 'Order {{ id | shout }}' }, { id: 1 }));
    assert.equal(error.code, 'TEMPLATE_FILTER_UNKNOWN');
    assert.deepEqual(error.details, { templateCode: 'test.code', field: 'title', line: 1, column: 7, filter: 'shout' });
  });

  test('malformed Liquid is TEMPLATE_SYNTAX_ERROR with the field path, also inside overrides and locales', () => {
    const unclosed = heraldError(() => render({ body: 'a\n\n{% if x %}b' }));
    assert.equal(unclosed.code, 'TEMPLATE_SYNTAX_ERROR');
    assert.equal(unclosed.details.line, 3);
    assert.match(unclosed.message, /syntax error in body \(line 3, column 1\): tag \{% if x %\} not closed/);

    const inOverride = heraldError(() => render({ body: 'ok', channels: { email: { subject: 'Hi {{ name' } } }));
    assert.equal(inOverride.code, 'TEMPLATE_SYNTAX_ERROR');
    assert.equal(inOverride.details.field, 'channels.email.subject');

    const inLocale = heraldError(() => render({ body: 'ok', locales: { 'zh-CN': { title: '{% for %}' } } }));
    assert.equal(inLocale.details.field, 'locales.zh-CN.title');
  });

  test('include, render and layout are refused at parse time: templates cannot read files', () => {
    const directory = mkdtempSync(join(tmpdir(), 'herald-liquid-'));
    const secretFile = join(directory, 'secret.liquid');
    writeFileSync(secretFile, 'TOP-SECRET');
    for (const tag of ['include', 'render', 'layout']) {
      const error = heraldError(() => render({ body: `x\n{% ${tag} "${secretFile}" %}` }));
      assert.equal(error.code, 'TEMPLATE_TAG_FORBIDDEN', tag);
      assert.equal(error.details.tag, tag);
      assert.equal(error.details.line, 2);
      assert.doesNotMatch(error.message, /TOP-SECRET/);
    }
    // Also inside a {% liquid %} block.
    assert.equal(heraldError(() => render({ body: `{% liquid\n  include "${secretFile}" %}` })).code, 'TEMPLATE_TAG_FORBIDDEN');
  });

  test('runaway loops hit the render limits (TEMPLATE_LIMIT_EXCEEDED)', () => {
    const error = heraldError(() => render({ body: '{% for i in (1..100000000) %}x{% endfor %}' }));
    assert.equal(error.code, 'TEMPLATE_LIMIT_EXCEEDED');
  });

  test('a filter failing on bad data is TEMPLATE_RENDER_ERROR', () => {
    const error = heraldError(() => render({ body: '{{ amount | money }}' }, { amount: 'abc' }));
    assert.equal(error.code, 'TEMPLATE_RENDER_ERROR');
    assert.match(error.message, /money expects a number, got "abc"/);
  });

  test('prototype properties are not reachable', () => {
    assert.equal(heraldError(() => render({ body: '{{ order.constructor }}' }, { order: {} })).code, 'TEMPLATE_VARIABLE_MISSING');
  });
});

describe('locales', () => {
  const content: TemplateContent = {
    title: 'Order {{ id }} paid',
    body: 'Your order {{ id }} is paid: {{ total | money: "CNY" }}.',
    defaultLocale: 'en',
    channels: { email: { subject: '[Shop] Order {{ id }} paid' } },
    locales: {
      'zh-CN': { title: '订单 {{ id }} 已支付', body: '您的订单 {{ id }} 已支付：{{ total | money: "CNY" }}。' },
      zh: { title: '訂單 {{ id }} 已付款' },
      'en-GB': { channels: { email: { subject: '[Shop UK] Order {{ id }} paid' } } },
    },
  };
  const data = { id: 'A-1', total: 12.5 };
  const email = (locale?: string) => render(content, data, { channel: 'email', locale });

  test('the exact locale wins, with its own money formatting', () => {
    const message = email('zh-CN');
    assert.equal(message.title, '[Shop] Order A-1 paid'); // the e-mail subject is not localised in zh-CN: it falls back field by field
    assert.equal(message.text, '您的订单 A-1 已支付：¥12.50。');
    assert.match(message.html ?? '', /<html lang="zh-CN">/);
    assert.equal(render(content, data, { locale: 'zh-CN' }).title, '订单 A-1 已支付');
  });

  test('a locale variant overrides only the fields it sets', () => {
    const message = render(content, data, { locale: 'zh-TW' });
    assert.equal(message.title, '訂單 A-1 已付款'); // from `zh`
    assert.equal(message.text, 'Your order A-1 is paid: ¥12.50.'); // body from the default content, formatted for the `zh` variant
    assert.equal(email('en-GB').title, '[Shop UK] Order A-1 paid');
  });

  test('unknown or absent locales fall back to the default content', () => {
    assert.equal(render(content, data, { locale: 'fr-FR' }).title, 'Order A-1 paid');
    assert.equal(render(content, data).title, 'Order A-1 paid');
    assert.equal(render(content, data, { locale: 'en-US' }).title, 'Order A-1 paid');
  });
});

describe('escaping per field syntax', () => {
  test('a Markdown body keeps variables literal; | raw opts out and is still made safe', () => {
    const message = render(
      { body: 'Hi {{ name }}\n\n{{ footer | raw }}' },
      { name: '**Eve** [x](https://evil.example)', footer: '**Bold** [ok](https://ok.example) [bad](javascript:alert(1))' },
    );
    assert.equal(message.text, 'Hi **Eve** [x](https://evil.example)\n\nBold ok (https://ok.example/) bad');
  });

  test('plain-text fields are not escaped; titles become one line (no header injection)', () => {
    const message = render({ title: '{{ a }}', summary: '{{ a }}', body: 'x' }, { a: '*A* & <B>\r\nBcc: x@y.z' }, { channel: 'email' });
    assert.equal(message.title, '*A* & <B> Bcc: x@y.z');
    assert.equal(message.summary, '*A* & <B> Bcc: x@y.z');
  });

  test('the e-mail HTML override HTML-escapes variables and is sanitised', () => {
    const message = render(
      { body: 'x', channels: { email: { html: '<p onclick="x()">Hi {{ name }}</p><script>alert(1)</script><a href="javascript:alert(1)">a</a>' } } },
      { name: '<img src=x onerror=alert(1)>' },
      { channel: 'email' },
    );
    const html = message.html ?? '';
    assert.match(html, /Hi &lt;img src=x onerror=alert\(1\)&gt;<\/p>/);
    assert.doesNotMatch(html, /<script|<img|onclick|javascript:/);
    assert.equal(message.text, 'Hi <img src=x onerror=alert(1)>\n\na');
  });

  test('a url field must render to an absolute http(s) URL', () => {
    assert.equal(render({ body: 'x', url: 'https://a.example/o/{{ id }}' }, { id: 7 }).url, 'https://a.example/o/7');
    assert.equal(render({ body: 'x', url: '{{ link | default: "" }}' }).url, undefined);
    const error = heraldError(() => render({ body: 'x', url: '{{ link }}' }, { link: 'javascript:alert(1)' }));
    assert.equal(error.code, 'TEMPLATE_URL_INVALID');
    assert.equal(error.details.field, 'url');
  });

  test('the title defaults to the first heading', () => {
    assert.equal(render({ body: 'intro\n\n## Server {{ host }} down\n\ntext' }, { host: 'db-1' }).title, 'Server db-1 down');
  });
});

describe('inline content goes through the same path', () => {
  test('text (the default format): literal in every channel', () => {
    const content = inlineTemplateContent({ title: 'Disk {{ host }}', body: 'usage > 90% on *{{ host }}*\n# not a heading\n\nnext paragraph' });
    const data = { host: 'db_1' };
    assert.equal(render(content, data, { channel: 'sms' }).text, 'usage > 90% on *db_1*\n# not a heading\n\nnext paragraph');
    assert.equal(render(content, data, { channel: 'telegram' }).markdown, 'usage \\> 90% on \\*db\\_1\\*\n\\# not a heading\n\nnext paragraph');
    assert.equal(render(content, data, { channel: 'dingtalk' }).markdown, 'usage > 90% on \\*db_1\\*  \n\\# not a heading\n\nnext paragraph');
    assert.match(render(content, data, { channel: 'email' }).html ?? '', /<p[^>]*>usage &gt; 90% on \*db_1\*<br>\n# not a heading<\/p>/);
  });

  test('html: sanitised for e-mail and inbox, text derived for everything else', () => {
    const content = inlineTemplateContent({
      body: '<h1>Hi {{ name }}</h1><p>See <a href="https://a.example/x">the report</a>.<script>alert(1)</script></p>',
      format: 'html',
    });
    const data = { name: '<b>Eve</b>' };
    const inbox = render(content, data, { channel: 'inbox' });
    assert.equal(inbox.html, '<h1>Hi &lt;b&gt;Eve&lt;/b&gt;</h1><p>See <a href="https://a.example/x" rel="noopener noreferrer" target="_blank">the report</a>.</p>');
    assert.equal(inbox.text, 'Hi <b>Eve</b>\n\nSee the report (https://a.example/x).');
    assert.equal(render(content, data, { channel: 'slack' }).markdown, 'Hi &lt;b&gt;Eve&lt;/b&gt;\n\nSee the report (https://a.example/x).');
  });

  test('markdown', () => {
    const content = inlineTemplateContent({ body: '**{{ n }}** done', format: 'markdown' });
    assert.equal(render(content, { n: 3 }, { channel: 'slack' }).markdown, '*3* done');
  });
});

describe('channel payloads', () => {
  test('WeChat needs its vendor template; the data mapping is rendered as plain text', () => {
    const error = heraldError(() => render({ body: 'x' }, {}, { channel: 'wechat' }));
    assert.equal(error.code, 'TEMPLATE_CHANNEL_UNSUPPORTED');
    assert.match(error.message, /channels\.wechat\.templateId/);

    const message = render(
      {
        body: 'x',
        url: 'https://a.example',
        channels: {
          wechat: { templateId: 'TPL', data: { thing1: '{{ item }}', amount2: '{{ total | money: "CNY" }}' }, miniprogram: { appId: 'wx1', pagePath: 'p?id={{ id }}' } },
        },
      },
      { item: '<b>Mug</b>', total: 3, id: 9 },
      { channel: 'wechat', locale: 'zh-CN' },
    );
    assert.deepEqual(message.extras, {
      wechat: { templateId: 'TPL', data: { thing1: '<b>Mug</b>', amount2: '¥3.00' }, url: 'https://a.example/', miniprogram: { appId: 'wx1', pagePath: 'p?id=9' } },
    });
  });

  test('mini-program subscribe message', () => {
    const message = render(
      { body: 'x', channels: { miniprogram: { templateId: 'M1', data: { thing1: '{{ a }}' }, page: 'pages/o?id={{ a }}', state: 'trial' } } },
      { a: 'v' },
      { channel: 'miniprogram' },
    );
    assert.deepEqual(message.extras, { miniprogram: { templateId: 'M1', data: { thing1: 'v' }, page: 'pages/o?id=v', state: 'trial' } });
  });

  test('rendered WeChat data that breaks a field rule is refused with the field, the rule and the problem', () => {
    const miniprogram = heraldError(() =>
      render({ body: 'x', channels: { miniprogram: { templateId: 'M1', data: { amount2: '{{ total | money: "CNY" }}' } } } }, { total: 1299.5 }, { channel: 'miniprogram', locale: 'zh-CN' }),
    );
    assert.equal(miniprogram.code, 'TEMPLATE_FIELD_INVALID');
    assert.equal(miniprogram.details.field, 'channels.miniprogram.data.amount2');
    assert.match(String(miniprogram.details.rule), /^amount/);
    assert.match(miniprogram.message, /"¥1,299.50".*thousands separators/);

    const wechat = heraldError(() => render({ body: 'x', channels: { wechat: { templateId: 'T', data: { thing1: '{{ note }}' } } } }, { note: 'line one\nline two' }, { channel: 'wechat' }));
    assert.equal(wechat.code, 'TEMPLATE_FIELD_INVALID');
    assert.equal(wechat.details.field, 'channels.wechat.data.thing1');
    assert.match(wechat.message, /line break/);
  });

  test('IM overrides replace the body for that channel only', () => {
    const content: TemplateContent = { title: 'T', body: 'long body', channels: { slack: { markdown: 'short **{{ a }}**', title: 'Slack T' } } };
    const slack = render(content, { a: 1 }, { channel: 'slack' });
    assert.equal(slack.markdown, 'short *1*');
    assert.equal(slack.title, 'Slack T');
    assert.equal(render(content, { a: 1 }, { channel: 'discord' }).markdown, 'long body');
  });

  test('SMS text override and webhook data', () => {
    const content: TemplateContent = { body: 'long', channels: { sms: { text: 'Code {{ code }}' }, webhook: { data: { code: '{{ code }}' } } } };
    const sms = render(content, { code: '123' }, { channel: 'sms' });
    assert.equal(sms.text, 'Code 123');
    assert.equal(sms.extras, undefined);
    assert.deepEqual(render(content, { code: '123' }, { channel: 'webhook' }).extras, { webhook: { data: { code: '123' } } });
  });

  test('validateRender renders every channel once and surfaces the first failure', () => {
    const compiler = createTemplateCompiler();
    const request = { cacheKey: 't@1', templateCode: 'test.code', content: { body: 'Hi {{ name }}' }, data: { name: 'A' } };
    const results = validateRender({ ...request, channels: ['email', 'slack', 'sms'] }, { compiler });
    assert.deepEqual([...results.keys()], ['email', 'slack', 'sms']);
    assert.equal(results.get('slack')?.markdown, 'Hi A');

    const tooLong = heraldError(() => validateRender({ ...request, data: { name: 'x'.repeat(2_000) }, channels: ['slack', 'sms'] }, { compiler }));
    assert.equal(tooLong.code, 'TEMPLATE_CONTENT_TOO_LONG');
    assert.equal(tooLong.details.channel, 'sms');
  });
});

describe('compiled templates are cached per cache key', () => {
  const content: TemplateContent = { title: '{{ a }}', body: 'b {{ a }}', locales: { en: { body: 'en {{ a }}' } } };

  test('compile runs once per key, never without a key, and evicts the least recently used', () => {
    let compiled = 0;
    const compiler = createTemplateCompiler({
      maxEntries: 2,
      compile: (code, templateContent) => {
        compiled++;
        return compileTemplate(code, templateContent);
      },
    });
    const renderWith = (cacheKey: string | undefined, locale?: string) =>
      renderForChannel({ cacheKey, templateCode: 't', content, data: { a: 1 }, channel: 'webhook', locale }, { compiler });

    assert.equal(renderWith('t@1').text, 'b 1');
    assert.equal(renderWith('t@1', 'en').text, 'en 1');
    assert.equal(compiled, 1);
    assert.equal(compiler.compileCount, 1);

    renderWith('t@2');
    renderWith('t@1'); // hit: t@1 becomes most recently used
    renderWith('t@3'); // evicts t@2
    assert.equal(compiled, 3);
    assert.equal(compiler.size, 2);
    renderWith('t@1');
    assert.equal(compiled, 3);
    renderWith('t@2');
    assert.equal(compiled, 4);

    renderWith(undefined);
    renderWith(undefined);
    assert.equal(compiled, 6);
  });
});

describe('rendering has no side effects', () => {
  test('fields do not share Liquid state and the caller data is left untouched', () => {
    const data = { n: 1 };
    const message = render({ title: '{% increment counter %}{{ counter }}', body: '{% increment counter %}{{ counter }}' }, data, { channel: 'sms' });
    assert.equal(message.title, '01');
    assert.equal(message.text, '01');
    assert.deepEqual(data, { n: 1 });
  });
});

describe('mentions in group messages', () => {
  test('render into extras.mentions, split on commas and spaces, per IM channel', () => {
    const content: TemplateContent = {
      body: 'Server {{ host }} is down',
      channels: { dingtalk: { mentions: { mobiles: '{{ oncall | map: "mobile" | join: "," }}', userIds: 'ops-lead  backup', all: false } } },
    };
    const data = { host: 'db-1', oncall: [{ mobile: '13800138000' }, { mobile: '13900139000' }] };
    const dingtalk = render(content, data, { channel: 'dingtalk' });
    assert.deepEqual(dingtalk.extras?.mentions, { userIds: ['ops-lead', 'backup'], mobiles: ['13800138000', '13900139000'], all: false });
    assert.equal(render(content, data, { channel: 'slack' }).extras?.mentions, undefined, 'another channel mentions nobody');
    assert.deepEqual(render({ body: 'x', channels: { dingtalk: { mentions: { all: true } } } }, {}, { channel: 'dingtalk' }).extras?.mentions, {
      userIds: [],
      mobiles: [],
      all: true,
    });
    assert.equal(render({ body: 'x', channels: { dingtalk: { mentions: { mobiles: '{{ none }}' } } } }, { none: '' }, { channel: 'dingtalk' }).extras, undefined);
  });

  test('render into extras.mentions for Feishu too, next to its post and card', () => {
    const content: TemplateContent = { body: 'Server {{ host }} is down', channels: { feishu: { mentions: { userIds: 'ou_a1, ou_b2', all: true } } } };
    const feishu = render(content, { host: 'db-1' }, { channel: 'feishu' });
    assert.deepEqual(feishu.extras?.mentions, { userIds: ['ou_a1', 'ou_b2'], mobiles: [], all: true });
    assert.ok(feishu.extras?.feishuCard && feishu.extras.feishuPost);
    assert.equal(render({ body: 'x' }, {}, { channel: 'feishu' }).extras?.mentions, undefined);
  });
});

describe('WeCom override', () => {
  const wecom = (content: TemplateContent, data: Record<string, unknown> = {}, locale?: string) => render(content, data, { channel: 'wecom', locale });

  test('keeps the IM fields: Markdown override (variables escaped), title and mentions', () => {
    const message = wecom(
      { body: 'long body', channels: { wecom: { title: 'WeCom {{ a }}', markdown: 'short **{{ a }}**', mentions: { userIds: '{{ who }}', all: true } } } },
      { a: '*x*', who: 'zhangsan lisi' },
    );
    assert.equal(message.title, 'WeCom *x*');
    assert.equal(message.markdown, 'short **\\*x\\***');
    assert.deepEqual(message.extras, { mentions: { userIds: ['zhangsan', 'lisi'], mobiles: [], all: true } });
    assert.equal(wecom({ body: 'plain' }).extras, undefined, 'no extras without an override');
  });

  test('renders news articles, a textcard and a text_notice card into extras.wecom', () => {
    const content: TemplateContent = {
      body: 'b',
      channels: {
        wecom: {
          news: { articles: [{ title: 'Order {{ id }}', url: 'https://s.example.com/o/{{ id }}', picUrl: 'https://s.example.com/{{ id }}.png' }, { title: 'Two', description: 'd', url: 'https://s.example.com/2' }] },
          textcard: { title: 'Order {{ id }}', description: '<div class="highlight">{{ note }}</div>', url: 'https://s.example.com/o/{{ id }}', btnText: '查看' },
          templateCard: { title: 'Order {{ id }}', subTitle: '{{ note }}', url: 'https://s.example.com/o/{{ id }}' },
        },
      },
    };
    const message = wecom(content, { id: 'A 1', note: '<b>**bold**</b> & [x](javascript:1)' });
    assert.deepEqual(message.extras, {
      wecom: {
        news: {
          articles: [
            { title: 'Order A 1', url: 'https://s.example.com/o/A%201', picUrl: 'https://s.example.com/A%201.png' },
            { title: 'Two', description: 'd', url: 'https://s.example.com/2' },
          ],
        },
        textcard: {
          title: 'Order A 1',
          description: '<div class="highlight">&lt;b&gt;**bold**&lt;/b&gt; &amp; [x](javascript:1)</div>',
          url: 'https://s.example.com/o/A%201',
          btnText: '查看',
        },
        templateCard: { title: 'Order A 1', subTitle: '<b>**bold**</b> & [x](javascript:1)', url: 'https://s.example.com/o/A%201' },
      },
    });
  });

  test('article and card URLs must render to absolute http(s) URLs', () => {
    const withArticleUrl = (url: string): TemplateContent => ({ body: 'b', channels: { wecom: { news: { articles: [{ title: 't', url }] } } } });
    for (const [url, data] of [['{{ u }}', { u: 'javascript:alert(1)' }], ['{{ u }}', { u: '' }], ['/relative', {}]] as const) {
      const error = heraldError(() => wecom(withArticleUrl(url), data));
      assert.equal(error.code, 'TEMPLATE_URL_INVALID');
      assert.equal(error.details.field, 'channels.wecom.news.articles.0.url');
    }
    const badPicture = heraldError(() => wecom({ body: 'b', channels: { wecom: { textcard: { title: 't', description: 'd', url: 'https://ok.example.com', btnText: 'x' }, news: { articles: [{ title: 't', url: 'https://ok.example.com', picUrl: 'data:image/png;base64,AA' }] } } } }));
    assert.equal(badPicture.details.field, 'channels.wecom.news.articles.0.picUrl');
  });

  test('the schema holds news to 1–8 articles; a locale variant may replace articles and set part of a card', () => {
    const article = { title: 't', url: 'https://example.com' };
    assert.ok(!Value.Check(TemplateContentSchema, { body: 'b', channels: { wecom: { news: { articles: [] } } } }));
    assert.ok(!Value.Check(TemplateContentSchema, { body: 'b', channels: { wecom: { news: { articles: Array(9).fill(article) } } } }));
    assert.ok(!Value.Check(TemplateContentSchema, { body: 'b', channels: { wecom: { textcard: { title: 't' } } } }), 'the default content sets a textcard whole');
    const content: TemplateContent = {
      body: 'b',
      channels: { wecom: { news: { articles: [article, article] }, textcard: { title: 'Paid', description: 'd', url: 'https://example.com' } } },
      locales: { 'zh-CN': { channels: { wecom: { news: { articles: [{ title: '已支付 {{ id }}', url: 'https://example.com/zh' }] }, textcard: { title: '已支付' } } } } },
    };
    assert.ok(Value.Check(TemplateContentSchema, content));
    const zh = wecom(content, { id: '7' }, 'zh-CN').extras?.wecom as { news: { articles: unknown[] }; textcard: unknown };
    assert.deepEqual(zh.news.articles, [{ title: '已支付 7', url: 'https://example.com/zh' }]);
    assert.deepEqual(zh.textcard, { title: '已支付', description: 'd', url: 'https://example.com/' });
  });

  test('a Liquid error inside an article names its path', () => {
    const error = heraldError(() => wecom({ body: 'b', channels: { wecom: { news: { articles: [{ title: 'ok', url: 'https://e.example' }, { title: '{{ missing }}', url: 'https://e.example' }] } } } }));
    assert.equal(error.code, 'TEMPLATE_VARIABLE_MISSING');
    assert.match(error.message, /channels\.wecom\.news\.articles\.1\.title/);
  });
});

describe('inbox items', () => {
  const inbox = (content: TemplateContent, data: Record<string, unknown> = {}) => render(content, data, { channel: 'inbox' });

  test('the link defaults to the url; the message data is not passed on unless the template maps it', () => {
    const message = inbox({ title: 'Paid', url: 'https://shop.example/o/{{ id }}', body: 'b' }, { id: 7, secret: 's3cret' });
    assert.deepEqual(message.extras, { inbox: { link: 'https://shop.example/o/7' } });
    assert.doesNotMatch(JSON.stringify(message), /s3cret/);
  });

  test('link, category, severity, actions, lifetime and data render into extras.inbox', () => {
    const message = inbox(
      {
        url: 'https://shop.example/o/{{ id }}',
        body: 'b',
        channels: {
          inbox: {
            link: 'https://shop.example/inbox/{{ id }}',
            category: ' {{ kind }} ',
            severity: 'warning',
            actions: [{ label: 'Pay {{ id }}', url: 'https://shop.example/pay/{{ id }}' }],
            validForSeconds: 3600,
            data: { orderId: '{{ id }}' },
          },
        },
      },
      { id: 7, kind: 'orders' },
    );
    assert.deepEqual(message.extras, {
      inbox: {
        link: 'https://shop.example/inbox/7',
        category: 'orders',
        severity: 'warning',
        actions: [{ label: 'Pay 7', url: 'https://shop.example/pay/7' }],
        validForSeconds: 3600,
        data: { orderId: '7' },
      },
    });
  });

  test('severity is a literal, not Liquid', () => {
    assert.deepEqual(inbox({ body: 'b', channels: { inbox: { severity: 'error' } } }).extras, { inbox: { severity: 'error' } });
    assert.equal(Value.Check(TemplateContentSchema, { body: 'b', channels: { inbox: { severity: '{{ level }}' } } }), false);
  });

  test('an action URL that renders to anything but http(s) is refused with TEMPLATE_URL_INVALID naming the action', () => {
    const error = heraldError(() => inbox({ body: 'b', channels: { inbox: { actions: [{ label: 'Go', url: '{{ target }}' }] } } }, { target: 'javascript:alert(1)' }));
    assert.equal(error.kind, 'unprocessable');
    assert.equal(error.code, 'TEMPLATE_URL_INVALID');
    assert.equal(error.details.field, 'channels.inbox.actions.0.url');
  });

  test('an action without a label, and a category over 64 characters, are TEMPLATE_FIELD_INVALID', () => {
    const empty = heraldError(() => inbox({ body: 'b', channels: { inbox: { actions: [{ label: '{{ none }}', url: 'https://a.example' }] } } }, { none: '' }));
    assert.equal(empty.code, 'TEMPLATE_FIELD_INVALID');
    assert.equal(empty.details.field, 'channels.inbox.actions.0.label');
    const long = heraldError(() => inbox({ body: 'b', channels: { inbox: { category: '{{ c }}' } } }, { c: 'x'.repeat(65) }));
    assert.equal(long.code, 'TEMPLATE_FIELD_INVALID');
    assert.equal(long.details.field, 'channels.inbox.category');
    assert.match(long.message, /at most 64 characters/);
    const longest = '类'.repeat(64);
    assert.deepEqual(inbox({ body: 'b', channels: { inbox: { category: '{{ c }}' } } }, { c: longest }).extras, { inbox: { category: longest } });
  });

  test('the schema bounds actions (3) and validForSeconds (60 s to a year)', () => {
    const action = { label: 'a', url: 'https://a.example' };
    const valid = (inboxOverride: unknown) => Value.Check(TemplateContentSchema, { body: 'b', channels: { inbox: inboxOverride } });
    assert.equal(valid({ actions: [action, action, action] }), true);
    assert.equal(valid({ actions: [action, action, action, action] }), false);
    assert.equal(valid({ validForSeconds: 60 }), true);
    assert.equal(valid({ validForSeconds: 59 }), false);
    assert.equal(valid({ validForSeconds: 31_536_001 }), false);
    assert.equal(valid({ validForSeconds: 90.5 }), false);
  });
});

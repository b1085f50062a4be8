import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { liquidEngine } from './liquid-engine.ts';
import { parseMarkdown, inlineText } from './markdown-document.ts';
import { escapeMarkdownValue } from './markdown-escape.ts';

function render(mode: 'markdown' | 'html' | 'none', source: string, data: Record<string, unknown>, locale?: string): string {
  const engine = liquidEngine(mode);
  return String(engine.renderSync(engine.parse(source), data, { globals: { locale } }));
}

/** The text a reader sees after the Markdown is parsed. */
function visibleText(markdown: string): string {
  return parseMarkdown(markdown)
    .blocks.map((block) => (block.type === 'paragraph' || block.type === 'heading' ? inlineText(block.children) : `<${block.type}>`))
    .join('\n\n');
}

describe('output escaping per mode', () => {
  const hostile = [
    '*bold* _em_ `code` ~~del~~ [link](https://evil.example) ![img](https://evil.example/i.png)',
    '<script>alert(1)</script> &amp; &#42;',
    '# heading\n- list\n1. ordered\n> quote\n---\n| a | b |\n|---|---|',
    'https://evil.example www.evil.example eve@evil.example',
    'a)b](c) \\ trailing backslash\\',
  ];

  test('markdown: every value reads back as exactly its own text', () => {
    for (const value of hostile) {
      const markdown = render('markdown', '{{ v }}', { v: value });
      assert.equal(markdown, escapeMarkdownValue(value));
      const blocks = parseMarkdown(markdown).blocks;
      assert.ok(blocks.every((block) => block.type === 'paragraph'), `structure injected by ${JSON.stringify(value)}`);
      assert.ok(JSON.stringify(blocks).includes('"type":"text"'));
      assert.doesNotMatch(JSON.stringify(blocks), /"type":"(link|image|strong|emphasis|strikethrough|code)"/, value);
    }
    assert.equal(visibleText(render('markdown', 'x {{ v }} y', { v: hostile[0] })), `x ${hostile[0]} y`);
  });

  test('markdown: a value inside a link destination cannot close it', () => {
    const markdown = render('markdown', '[open](https://shop.example/{{ id }})', { id: 'a)b' });
    const [paragraph] = parseMarkdown(markdown).blocks;
    assert.deepEqual(paragraph, { type: 'paragraph', children: [{ type: 'link', href: 'https://shop.example/a)b', children: [{ type: 'text', text: 'open' }] }] });
  });

  test('markdown: | raw opts out', () => {
    assert.equal(render('markdown', '{{ v | raw }}', { v: '**b**' }), '**b**');
  });

  test('html: values are HTML-escaped; none: untouched', () => {
    assert.equal(render('html', '<p>{{ v }}</p>', { v: `<b a="1">'&'</b>` }), '<p>&lt;b a=&quot;1&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;</p>');
    assert.equal(render('none', '{{ v }}', { v: '<b>*x*</b>' }), '<b>*x*</b>');
  });

  test('values are stringified like Liquid: nil empty, arrays joined', () => {
    assert.equal(render('markdown', '[{{ a }}|{{ b }}|{{ c }}]', { a: null, b: ['x_', '*'], c: 1.5 }), '[|x\\_\\*|1.5]');
  });
});

describe('filters', () => {
  test('money formats major units for the render locale', () => {
    assert.equal(render('none', '{{ n | money: "CNY" }}', { n: 1299.5 }, 'zh-CN'), '¥1,299.50');
    assert.equal(render('none', '{{ n | money: "USD" }}', { n: '3' }, 'en-US'), '$3.00');
    assert.equal(render('none', '{{ n | money: "EUR" }}', { n: 3 }, 'de-DE'), '3,00\u00a0€');
    assert.equal(render('none', '{{ n | money }}', { n: 3 }), 'CN¥3.00');
  });

  test('dates are rendered in UTC unless a zone is given', () => {
    const data = { at: '2026-01-05T23:30:00Z' };
    assert.equal(render('none', '{{ at | date: "%Y-%m-%d %H:%M" }}', data), '2026-01-05 23:30');
    assert.equal(render('none', '{{ at | date: "%Y-%m-%d %H:%M", "Asia/Shanghai" }}', data), '2026-01-06 07:30');
  });

  test('the render locale is readable as `locale`, and data shadows it', () => {
    assert.equal(render('none', '{{ locale }}', {}, 'zh-CN'), 'zh-CN');
    assert.equal(render('none', '{{ locale }}', { locale: 'mine' }, 'zh-CN'), 'mine');
  });
});

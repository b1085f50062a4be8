import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seededRandom } from '../../../test/support/seeded-random.ts';
import { parseMarkdown, plainTextDocument, type MarkdownDocument } from '../markdown-document.ts';
import { contentWithLayoutStyles, formatEmailHtml } from './email-formatter.ts';
import { formatHtmlFragment } from './html-formatter.ts';

/**
 * The pre-inlined layout must write what juice writes. HTML an author supplies always goes
 * through juice, so the same fragment formatted as `author` content is the reference for
 * the `document` path.
 */

const CONSTRUCTS = [
  '# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six',
  'Text with **strong**, *em*, ~~gone~~ and `code <b> & "q" \'s`.',
  'A [link](https://a.example/?q=1&r="2"&s=<3>) and <https://auto.example/x>, mail [me](mailto:me@a.example), call [us](tel:+123).',
  'Images: ![](https://img.example/a.png) and ![alt "quoted" & <b>](https://img.example/b.png "its title").',
  '[![linked image](https://img.example/c.png)](https://a.example/c)',
  'line one\nline two\\\nline three',
  '3. three\n4. four\n   - nested *item*\n   - list\n\n   with a paragraph',
  '- tight\n- list\n\n\n- [ ] task\n- [x] done',
  '> quoted\n>\n> > nested quote\n> - a list in it\n> ```\n> code in it\n> ```',
  '```js\nconst a = "<b>" && b < c;\n\n// blank line above\n```',
  '    indented <code> block',
  '| left | right | centre |\n|:-----|------:|:------:|\n| 1 | **2** | `3` |\n| [l](https://l.example) | ![i](https://img.example/i.png) | a & b |',
  '| header only |\n| --- |',
  '---\n\n***',
  '<div onclick="x()">raw <b>html</b></div> <script>alert(1)</script> <!-- comment -->',
  'Entities: &amp; &copy; &#169; &#x1F600; &lt;tag&gt; &nbsp; &bogus;',
  '保温杯 *限量* × 1：CN¥900.00 — 「引号」',
  'javascript: [bad](javascript:alert(1)) and [data](data:text/html,x) stay text',
  'Trailing spaces  \nand a $& replacement pattern $1 $$ in text',
  'a\tb\r\nc',
];

const SUBJECTS = ['Order A-1024 paid', 'Quotes "double" & \'single\' <b>', 'Replacement patterns $& $1 $$ $`', '保温杯 已付款', ''];
const LOCALES = [undefined, 'en', 'zh-CN', 'x"\'&<>'];

function bothPaths(subject: string, contentHtml: string, locale: string | undefined): [fast: string, juice: string] {
  return [
    formatEmailHtml({ subject, contentHtml, contentFrom: 'document', locale }),
    formatEmailHtml({ subject, contentHtml, contentFrom: 'author', locale }),
  ];
}

/** Random documents from the constructs above, nested in lists and quotes, so their combinations are covered too. */
function randomDocuments(count: number): string[] {
  const random = seededRandom(17);
  const pick = () => CONSTRUCTS[Math.floor(random() * CONSTRUCTS.length)];
  return Array.from({ length: count }, () => {
    const parts = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
      const part = pick();
      const wrap = random();
      if (wrap < 0.2) return part.replace(/^/gm, '> ');
      if (wrap < 0.4) return `- ${part.replace(/\n/g, '\n  ')}`;
      return part;
    });
    return parts.join(random() < 0.5 ? '\n\n' : '\n');
  });
}

describe('e-mail HTML: the pre-inlined layout writes what juice writes', () => {
  const documents: [string, MarkdownDocument][] = [
    ...CONSTRUCTS.map((source): [string, MarkdownDocument] => [source, parseMarkdown(source)]),
    ...randomDocuments(150).map((source): [string, MarkdownDocument] => [source, parseMarkdown(source)]),
    ['plain text', plainTextDocument('first paragraph\nwith a break\n\nsecond <b>not bold</b> & done')],
    ['empty', parseMarkdown('')],
  ];

  test('every construct and random mixes of them: the same bytes, without juice', () => {
    for (const [source, document] of documents) {
      const fragment = formatHtmlFragment(document);
      assert.notEqual(contentWithLayoutStyles(fragment), undefined, `the fast path refused ${JSON.stringify(source)}`);
      const [fast, juice] = bothPaths('Subject', fragment, 'en');
      assert.equal(fast, juice, `for ${JSON.stringify(source)}`);
    }
  });

  test('subjects and locales that need escaping, or look like replacement patterns', () => {
    const fragment = formatHtmlFragment(parseMarkdown(CONSTRUCTS[1]));
    for (const subject of SUBJECTS) {
      for (const locale of LOCALES) {
        const [fast, juice] = bothPaths(subject, fragment, locale);
        assert.equal(fast, juice, `subject ${JSON.stringify(subject)}, locale ${JSON.stringify(locale)}`);
      }
    }
  });

  test('content juice treats its own way goes through juice, whoever wrote it', () => {
    const cases = [
      // Inline styles juice merges with the layout's, and table attributes it derives from them.
      '<p style="color:red;margin:0">styled</p><table><tr><td style="text-align:right;width:40px;background-color:#fff">cell</td></tr></table>',
      // A layout class on content gets the card's style (and bgcolor on a table cell).
      '<div class="herald-card">card</div><table><tr><td class="herald-page">cell</td></tr></table>',
      // Template code juice sets aside, tags inside it left unstyled.
      '<p>Hi {{ name</p><p>still code }}</p>',
    ];
    for (const contentHtml of cases) {
      assert.equal(contentWithLayoutStyles(contentHtml), undefined, contentHtml);
      const [fast, juice] = bothPaths('Subject', contentHtml, undefined);
      assert.equal(fast, juice, contentHtml);
    }
    // `{{` in the subject and `}}` in the content: juice sets aside everything between, the layout's <style> included.
    const [fast, juice] = bothPaths('Hi {{ name', formatHtmlFragment(parseMarkdown('done }}')), undefined);
    assert.equal(fast, juice);
    assert.match(fast, /<style>/);
  });

  test('the layout is inlined: styles on elements, only the media query left in <style>', () => {
    const html = formatEmailHtml({ subject: 'S', contentHtml: formatHtmlFragment(parseMarkdown('# Hi\n\n[a](https://a.example)')), contentFrom: 'document' });
    assert.match(html, /<body style="margin: 0; padding: 0; background-color: #f4f5f7;">/);
    assert.match(html, /<h1 style="margin: 0 0 12px; line-height: 1.3; color: #1f2328;">Hi<\/h1>/);
    assert.match(html, /<a href="https:\/\/a.example\/" rel="noopener noreferrer" target="_blank" style="color: #0969da;">a<\/a>/);
    assert.match(html, /<style>\n@media only screen and \(max-width: 620px\) \{\n {2}\.herald-card \{\n/);
    assert.doesNotMatch(html, /\.herald-page \{|\bp \{/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMarkdown, plainTextDocument } from '../markdown-document.ts';
import { formatCommonMark } from './commonmark-formatter.ts';
import { formatDingtalkMarkdown } from './dingtalk-markdown-formatter.ts';
import { formatDiscordMarkdown } from './discord-markdown-formatter.ts';
import { feishuCard, formatFeishuCardMarkdown, formatFeishuPost } from './feishu-post-formatter.ts';
import { formatHtmlFragment } from './html-formatter.ts';
import { formatPlainText } from './plain-text-formatter.ts';
import { formatSlackMrkdwn } from './slack-mrkdwn-formatter.ts';
import { formatTelegramMarkdownV2 } from './telegram-markdown-v2-formatter.ts';
import { formatWecomMarkdown } from './wecom-markdown-formatter.ts';

const SAMPLE = [
  '# Deploy *v2* done',
  '',
  'Status: **ok** / ~~failed~~ / `exit 0`  ',
  'see [the log](https://ci.example/run/1_(a)) and ![chart](https://ci.example/c.png)',
  '',
  '1. build',
  '2. test',
  '   - unit',
  '',
  '> quoted',
  '',
  '```sh',
  'echo "done"',
  '```',
  '',
  '| job | time |',
  '| --- | ---: |',
  '| a*b | 3s |',
  '',
  '---',
].join('\n');
const sample = parseMarkdown(SAMPLE);

describe('one Markdown document, one output per dialect', () => {
  test('plain text: no markup, links as "text (url)"', () => {
    assert.equal(
      formatPlainText(sample),
      [
        'Deploy v2 done',
        '',
        'Status: ok / failed / exit 0',
        'see the log (https://ci.example/run/1_(a)) and chart (https://ci.example/c.png)',
        '',
        '1. build',
        '2. test',
        '   - unit',
        '',
        '> quoted',
        '',
        'echo "done"',
        '',
        'job | time',
        'a*b | 3s',
        '',
        '----------',
      ].join('\n'),
    );
  });

  test('WeCom: only its subset; lists, images, tables and code blocks converted', () => {
    assert.equal(
      formatWecomMarkdown(sample),
      [
        '# Deploy v2 done',
        '',
        'Status: **ok** / failed / `exit 0`',
        'see [the log](https://ci.example/run/1_%28a%29) and [chart](https://ci.example/c.png)',
        '',
        '1. build',
        '2. test',
        '   • unit',
        '',
        '> quoted',
        '',
        '`echo "done"`',
        '',
        '**job | time**',
        'a\\*b | 3s',
        '',
        '———',
      ].join('\n'),
    );
  });

  test('DingTalk: lists, images, italics; two-space line breaks; code quoted', () => {
    const output = formatDingtalkMarkdown(sample);
    assert.ok(output.startsWith('# Deploy *v2* done\n\nStatus: **ok** / failed / exit 0  \nsee [the log]'));
    assert.ok(output.includes('![chart](https://ci.example/c.png)'));
    assert.ok(output.includes('1. build\n2. test\n   - unit'));
    assert.ok(output.includes('> echo "done"'));
  });

  test('Slack mrkdwn', () => {
    assert.equal(
      formatSlackMrkdwn(sample),
      [
        '*Deploy _v2_ done*',
        '',
        'Status: *ok* / ~failed~ / `exit 0`',
        'see <https://ci.example/run/1_(a)|the log> and <https://ci.example/c.png|chart>',
        '',
        '1. build',
        '2. test',
        '   • unit',
        '',
        '> quoted',
        '',
        '```\necho "done"\n```',
        '',
        '*job | time*',
        'a*\u200bb | 3s',
        '',
        '———',
      ].join('\n'),
    );
  });

  test('Telegram MarkdownV2: every special character escaped outside entities', () => {
    assert.equal(
      formatTelegramMarkdownV2(sample),
      [
        '*Deploy _v2_ done*',
        '',
        'Status: *ok* / ~failed~ / `exit 0`',
        'see [the log](https://ci.example/run/1_(a\\)) and [chart](https://ci.example/c.png)',
        '',
        '1\\. build',
        '2\\. test',
        '    • unit',
        '',
        '>quoted',
        '',
        '```sh\necho "done"\n```',
        '',
        '*job \\| time*',
        'a\\*b \\| 3s',
        '',
        '———',
      ].join('\n'),
    );
    assert.equal(
      formatTelegramMarkdownV2(plainTextDocument('_*[]()~`>#+-=|{}.!\\ end')),
      '\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\ end',
    );
    // Inside code only ` and \ are escaped.
    assert.equal(formatTelegramMarkdownV2(parseMarkdown('x ``c`d\\e.`` y.')), 'x `c\\`d\\\\e.` y\\.');
  });

  test('Telegram MarkdownV2: no entity inside one of its own type, which Telegram would read as its end', () => {
    const telegram = (markdown: string) => formatTelegramMarkdownV2(parseMarkdown(markdown));
    assert.equal(telegram('# Deploy **v2** done'), '*Deploy v2 done*');
    assert.equal(telegram('**a **b** c**'), '*a b c*');
    assert.equal(telegram('*a *b* c*'), '_a b c_');
    assert.equal(telegram('*a **b** c*'), '_a *b* c_');
    // Markers inside code and link URLs are literal there and stay; escaped ones stay escaped.
    assert.equal(telegram('# Run `a*b` on [x](https://a.example/*y*) \\*'), '*Run `a*b` on [x](https://a.example/*y*) \\**');
    assert.equal(telegram('| **h** | i |\n| --- | --- |\n| 1 | 2 |'), '*h \\| i*\n1 \\| 2');
  });

  test('Discord: CommonMark without tables or inline images, headings up to ###', () => {
    const output = formatDiscordMarkdown(parseMarkdown('#### deep\n\n![img](https://a.example/i.png) ||spoiler|| @everyone'));
    assert.equal(output, '### deep\n\n[img](https://a.example/i.png) \\|\\|spoiler\\|\\| @everyone');
  });

  test('Feishu card markdown escapes with entities', () => {
    assert.equal(
      formatFeishuCardMarkdown(parseMarkdown('## Hi\n\n- a *b* <x>\n\n\\# \\*lit\\* snake_case _edge_')),
      '**Hi**\n\n- a *b* \n\n&#35; &#42;lit&#42; snake_case *edge*',
    );
    assert.equal(formatFeishuCardMarkdown(plainTextDocument('# no *bold* <x> & [y]')), '&#35; no &#42;bold&#42; &lt;x&gt; & &#91;y&#93;');
    assert.deepEqual(feishuCard({ title: 'T', markdown: 'm' }), {
      config: { wide_screen_mode: true },
      header: { title: { tag: 'plain_text', content: 'T' } },
      elements: [{ tag: 'markdown', content: 'm' }],
    });
  });

  test('Feishu post: structured lines, styles as data', () => {
    const post = formatFeishuPost(parseMarkdown('# Title\n\nHi **bold _both_** [go](https://a.example)\nnext\n\n- one\n\n---'), { title: 'T', locale: 'zh-CN' });
    assert.deepEqual(post, {
      zh_cn: {
        title: 'T',
        content: [
          [{ tag: 'text', text: 'Title', style: ['bold'] }],
          [
            { tag: 'text', text: 'Hi ' },
            { tag: 'text', text: 'bold ', style: ['bold'] },
            { tag: 'text', text: 'both', style: ['bold', 'italic'] },
            { tag: 'text', text: ' ' },
            { tag: 'a', text: 'go', href: 'https://a.example/' },
          ],
          [{ tag: 'text', text: 'next' }],
          [{ tag: 'text', text: '• one' }],
          [{ tag: 'hr' }],
        ],
      },
    });
    assert.deepEqual(Object.keys(formatFeishuPost(sample, { title: 'T', locale: 'en-US' })), ['en_us']);
  });

  test('HTML fragment: escaped text, vetted links, sanitised', () => {
    const html = formatHtmlFragment(parseMarkdown('Hi <b>raw</b> & **x** [ok](https://a.example?q=1&r=2) [no](javascript:alert(1)) [rel](/x)\n\n<script>alert(1)</script>'));
    assert.equal(
      html,
      '<p>Hi raw &amp; <strong>x</strong> <a href="https://a.example/?q=1&amp;r=2" rel="noopener noreferrer" target="_blank">ok</a> no rel</p>\n<p>alert(1)</p>',
    );
  });
});

describe('CommonMark output reads back as the same document', () => {
  const tricky = [
    plainTextDocument('1. not a list\n- nor this\n# nor a heading\n> nor a quote\n+ plus\n=== setext?\n*a* _b_ `c` [d](e) <f> a|b ~~g~~ &amp; \\'),
    sample,
    parseMarkdown('**bold with \\* star** and `code with `` ticks` and [link *em*](https://a.example/x)'),
  ];
  // Parentheses in link destinations are percent-encoded on the way out.
  const decodeParens = (document: unknown) => JSON.parse(JSON.stringify(document).replace(/%28/g, '(').replace(/%29/g, ')'));
  for (const [index, document] of tricky.entries()) {
    test(`document ${index + 1}`, () => {
      assert.deepEqual(decodeParens(parseMarkdown(formatCommonMark(document))), document);
    });
  }
});

describe('degraded constructs cannot smuggle block syntax', () => {
  test('table rows and quoted code lines starting with block markers are escaped', () => {
    const document = parseMarkdown('| h |\n| - |\n| # not heading |\n\n```\n# not heading\n- not list\n```');
    assert.equal(formatDingtalkMarkdown(document), '**h**  \n\\# not heading\n\n> \\# not heading  \n> \\- not list');
    assert.equal(formatWecomMarkdown(document), '**h**\n\\# not heading\n\n`# not heading`\n`- not list`');
  });
});

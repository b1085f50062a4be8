import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HeraldError } from '../errors.ts';
import { CHANNEL_CATALOG } from '../channels/channel-catalog.ts';
import { measure, renderWithinLimit } from './channel-limits.ts';
import { documentLength, ELLIPSIS, truncateDocument } from './document-truncate.ts';
import { formatTelegramMarkdownV2 } from './formatters/telegram-markdown-v2-formatter.ts';
import { formatWecomMarkdown } from './formatters/wecom-markdown-formatter.ts';
import { parseMarkdown } from './markdown-document.ts';
import { renderForChannel } from './render-message.ts';
import { createTemplateCompiler } from './template-compiler.ts';
import type { TemplateContent } from './template-content.ts';

function render(content: TemplateContent, channel: 'wecom' | 'telegram' | 'sms' | 'slack' | 'feishu' | 'discord', data: Record<string, unknown> = {}) {
  return renderForChannel({ templateCode: 'limits', content, data, channel }, { compiler: createTemplateCompiler() });
}

function isWholeUtf8(text: string): boolean {
  return Buffer.from(Buffer.from(text, 'utf8').toString('utf8'), 'utf8').toString() === text && !text.includes('\ufffd');
}

describe('every channel states its length rule', () => {
  test('the table covers each limited field with a basis', () => {
    for (const [channel, { limits }] of Object.entries(CHANNEL_CATALOG)) {
      for (const [field, limit] of Object.entries(limits)) {
        assert.ok(limit.max > 0 && limit.basis.length > 0, `${channel}.${field}`);
      }
    }
    assert.equal(CHANNEL_CATALOG.sms.limits.text?.overflow, 'refuse');
    assert.equal(CHANNEL_CATALOG.wecom.limits.markdown?.overflow, 'truncate');
  });

  test('measure counts UTF-8 bytes, UTF-16 units or code points', () => {
    assert.equal(measure('a中😀', 'utf8-bytes'), 1 + 3 + 4);
    assert.equal(measure('a中😀', 'utf16-units'), 1 + 1 + 2);
    assert.equal(measure('a中😀', 'characters'), 3);
  });
});

describe('WeCom markdown: 4,096 UTF-8 bytes, truncated at a character boundary with an ellipsis', () => {
  test('a long Chinese body is cut to at most 4,096 bytes, as close to the limit as characters allow', () => {
    const message = render({ body: `## 告警\n\n${'服务器负载过高'.repeat(300)}` }, 'wecom');
    const bytes = measure(message.markdown, 'utf8-bytes');
    assert.ok(bytes <= 4_096, `${bytes} bytes`);
    assert.ok(bytes > 4_096 - 3 - 3, `only ${bytes} bytes kept`); // one more 3-byte character would not fit
    assert.ok(message.markdown.startsWith('## 告警\n\n服务器负载过高'));
    assert.ok(message.markdown.endsWith(ELLIPSIS));
    assert.ok(isWholeUtf8(message.markdown));
    // The text part has its own 2,048-byte rule.
    assert.ok(measure(message.text, 'utf8-bytes') <= 2_048);
    assert.ok(message.text.endsWith(ELLIPSIS));
  });

  test('formatting survives the cut: an open bold span is closed', () => {
    const message = render({ body: `**${'重要'.repeat(1_000)}** tail` }, 'wecom');
    assert.match(message.markdown, /^\*\*(重要)+重?…\*\*$/);
    assert.ok(measure(message.markdown, 'utf8-bytes') <= 4_096);
  });

  test('a body that fits is left alone', () => {
    assert.equal(render({ body: '**短消息**' }, 'wecom').markdown, '**短消息**');
  });
});

describe('truncation never splits a character or a formatting entity', () => {
  test('emoji sequences are kept whole', () => {
    const family = '👨‍👩‍👧‍👦';
    const document = parseMarkdown(family.repeat(10));
    assert.equal(documentLength(document), 10);
    const cut = truncateDocument(document, 3);
    assert.deepEqual(cut.blocks, [{ type: 'paragraph', children: [{ type: 'text', text: `${family.repeat(3)}${ELLIPSIS}` }] }]);
  });

  test('the cut drops later blocks and marks where content was dropped', () => {
    const document = parseMarkdown('# Title\n\n- one\n- two\n\n---\n\nend');
    assert.equal(documentLength(document), 'Title'.length + 'one'.length + 'two'.length + 1 + 'end'.length);
    const cut = truncateDocument(document, 'Title'.length + 'one'.length);
    assert.deepEqual(cut.blocks, [
      { type: 'heading', depth: 1, children: [{ type: 'text', text: 'Title' }] },
      { type: 'list', ordered: false, start: 1, tight: true, items: [[{ type: 'paragraph', children: [{ type: 'text', text: 'one' }] }], [{ type: 'paragraph', children: [{ type: 'text', text: ELLIPSIS }] }]] },
    ]);
  });

  test('Telegram MarkdownV2 stays parseable: entities closed, escapes whole, ≤ 4,096 UTF-16 units', () => {
    const message = render({ body: `*${'a.b_c '.repeat(1_000).trim()}* [link](https://a.example)` }, 'telegram');
    assert.ok(message.markdown.length <= 4_096 && message.markdown.length > 4_000, `${message.markdown.length}`);
    // One italic entity, closed after the ellipsis; every special character still escaped.
    assert.match(message.markdown, /^_(a\\\.b\\_c )+(a(\\\.(b(\\_(c)?)?)?)?)?…_$/);
  });

  test('a refusing channel never truncates', () => {
    const document = parseMarkdown('x'.repeat(5_000));
    assert.throws(
      () => renderWithinLimit({ document, render: formatWecomMarkdown, channel: 'sms', field: 'text', templateCode: 'limits' }),
      (error: unknown) =>
        error instanceof HeraldError &&
        error.code === 'TEMPLATE_CONTENT_TOO_LONG' &&
        error.kind === 'unprocessable' &&
        error.details.actual === 5_000 &&
        error.details.limit === 1_600 &&
        /Template "limits" renders 5000 characters of sms text; the limit is 1600/.test(error.message),
    );
  });

  test('SMS over its limit is refused with a clear error, unless a vendor template is what gets sent', () => {
    const long = { text: '验证码'.repeat(600) };
    assert.throws(() => render({ body: '{{ text }}' }, 'sms', long), /Template "limits" renders 1800 characters of sms text; the limit is 1600/);
    const withVendorTemplate = render({ body: '{{ text }}', channels: { sms: { templateCode: 'SMS_1', params: { code: '1' } } } }, 'sms', long);
    assert.equal(withVendorTemplate.text.length, 1_800);
    assert.deepEqual(withVendorTemplate.extras, { sms: { templateCode: 'SMS_1', params: { code: '1' } } });
  });

  test('Feishu card and post JSON are both kept under the payload limit', () => {
    const message = render({ body: `${'飞书消息 **加粗** '.repeat(2_000)}` }, 'feishu');
    const extras = message.extras as { feishuPost: unknown; feishuCard: unknown };
    assert.ok(measure(JSON.stringify(extras.feishuPost), 'utf8-bytes') <= 18_000);
    assert.ok(measure(JSON.stringify(extras.feishuCard), 'utf8-bytes') <= 18_000);
    assert.ok(message.markdown.endsWith(ELLIPSIS) || message.markdown.endsWith(`${ELLIPSIS}**`));
  });

  test('Discord keeps 2,000 characters', () => {
    const message = render({ body: 'x'.repeat(3_000) }, 'discord');
    assert.equal(message.markdown, `${'x'.repeat(1_999)}${ELLIPSIS}`);
  });

  test('formatTelegramMarkdownV2 output of a truncated document is what the channel sends', () => {
    const document = parseMarkdown('**bold text** rest');
    assert.equal(formatTelegramMarkdownV2(truncateDocument(document, 6)), `*bold t${ELLIPSIS}*`);
  });
});

import type { MarkdownDocument } from '../markdown-document.ts';
import { markerList, prefixLines, renderMarkup, tableAsLines, type MarkupSyntax } from './markup-renderer.ts';

/**
 * Telegram Bot API MarkdownV2 (parse_mode "MarkdownV2"). Outside entities every one
 * of `_*[]()~\`>#+-=|{}.!` and `\` must be escaped, or the API rejects the message;
 * inside `code`/`pre` only `` ` `` and `\`; inside a link URL only `)` and `\`.
 * Headings become bold lines, lists "•"/"1." lines, quotes `>` lines.
 */
function escapeTelegramText(text: string): string {
  return text.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, '\\$&');
}

function escapeCode(code: string): string {
  return code.replace(/[`\\]/g, '\\$&');
}

function escapeLinkUrl(href: string): string {
  return href.replace(/[)\\]/g, '\\$&');
}

const wrap = (marker: string) => (inner: string) => (inner === '' ? '' : `${marker}${inner}${marker}`);
const bold = wrap('*');

const telegramSyntax: MarkupSyntax = {
  text: escapeTelegramText,
  strong: bold,
  // Herald never emits underline, so `__` cannot be misread; two italics touching (`_a__b_`) does not come out of Markdown.
  emphasis: wrap('_'),
  strikethrough: wrap('~'),
  code: (code) => `\`${escapeCode(code.replace(/\n/g, ' '))}\``,
  link: (inner, href) => `[${inner === '' ? escapeTelegramText(href) : inner}](${escapeLinkUrl(href)})`,
  image: (alt, src) => `[${escapeTelegramText(alt === '' ? src : alt)}](${escapeLinkUrl(src)})`,
  lineBreak: '\n',
  heading: bold,
  paragraph: (inner) => inner,
  list: (items, list) => markerList(items, list, (number) => (list.ordered ? `${number}\\.` : '•')),
  quote: (inner) => prefixLines(inner, '>'),
  codeBlock: (code, lang) => {
    const info = /^[\w+#-]{1,32}$/.test(lang) ? lang : '';
    return `\`\`\`${info}\n${escapeCode(code.replace(/\n$/, ''))}\n\`\`\``;
  },
  rule: () => '———',
  table: (header, rows) => tableAsLines(header, rows, { separator: ' \\| ', lineBreak: '\n', emphasise: bold }),
  blockSeparator: '\n\n',
  tightSeparator: '\n',
};

export function formatTelegramMarkdownV2(document: MarkdownDocument): string {
  return renderMarkup(document, telegramSyntax);
}

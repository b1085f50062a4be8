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

/**
 * Drops the unescaped `marker` characters of an already rendered fragment, outside code
 * and link URLs (where they are literal). Telegram reads an entity's marker inside an
 * entity of the same type as its end, so a bold heading holding bold text, or emphasis
 * inside emphasis, would otherwise close early and leave the rest misformatted.
 */
function withoutEntityMarker(rendered: string, marker: '*' | '_' | '~'): string {
  let output = '';
  for (let i = 0; i < rendered.length; i++) {
    const char = rendered[i];
    let end = i;
    if (char === '\\') {
      end = i + 1;
    } else if (char === '`') {
      const fence = rendered.startsWith('```', i) ? '```' : '`';
      end = i + fence.length;
      while (end < rendered.length && !rendered.startsWith(fence, end)) end += rendered[end] === '\\' ? 2 : 1;
      end += fence.length - 1;
    } else if (char === ']' && rendered[i + 1] === '(') {
      end = i + 2;
      while (end < rendered.length && rendered[end] !== ')') end += rendered[end] === '\\' ? 2 : 1;
    } else if (char === marker) {
      continue;
    }
    output += rendered.slice(i, end + 1);
    i = end;
  }
  return output;
}

const wrap = (marker: '*' | '_' | '~') => (inner: string) => {
  const flat = withoutEntityMarker(inner, marker);
  return flat === '' ? '' : `${marker}${flat}${marker}`;
};
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

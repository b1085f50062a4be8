import type { ListBlock } from '../markdown-document.ts';
import { markerList, prefixLines, tableAsLines, type MarkupSyntax } from './markup-renderer.ts';

/**
 * CommonMark and the chat dialects derived from it (Discord, DingTalk, WeCom, the
 * Feishu card) share one syntax; a dialect states what it supports and how it
 * escapes, and unsupported constructs degrade to readable text.
 */
export interface MarkdownDialect {
  /** Makes text literal inside a line. */
  escapeInline(text: string): string;
  /** Makes the start of each line of a rendered paragraph literal (`#`, `>`, `-`, `1.`). */
  escapeLineStarts(text: string): string;
  lineBreak: string;
  /** `markdown`: `#` headings up to `maxHeadingDepth` (deeper ones are clamped); `bold`: a bold line. */
  headings: 'markdown' | 'bold';
  maxHeadingDepth: number;
  emphasis: boolean;
  strikethrough: boolean;
  inlineCode: boolean;
  /** Without list support items still read "• item" / "1. item", as plain lines. */
  lists: boolean;
  /** Without image support an image becomes a link to it. */
  images: boolean;
  /** Without table support each row becomes a line, cells separated by " | ". */
  tables: boolean;
  /** `fenced` code blocks; else each line as inline code, or as quoted text. */
  codeBlocks: 'fenced' | 'inline-code-lines' | 'quoted-text';
  /** Without rule support a line of dashes that no dialect parses. */
  rules: boolean;
}

const UNPARSED_RULE = '———';

/** A code span whose fence is longer than any backtick run inside it. */
function codeSpan(code: string): string {
  const oneLine = code.replace(/\r?\n/g, ' ');
  const fence = '`'.repeat(longestRun(oneLine, '`') + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}

function fencedCodeBlock(code: string, lang: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(code, '`') + 1));
  const info = /^[\w+#.-]{1,32}$/.test(lang) ? lang : '';
  return `${fence}${info}\n${code.replace(/\n$/, '')}\n${fence}`;
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}

/** A link destination cannot hold bare parentheses; the URL is already normalised (no spaces, `<`, `>`). */
function destination(href: string): string {
  return href.replace(/[()]/g, (paren) => (paren === '(' ? '%28' : '%29'));
}

export function markdownFamilySyntax(dialect: MarkdownDialect): MarkupSyntax {
  const strong = (inner: string) => (inner === '' ? '' : `**${inner}**`);
  const itemMarker = (list: ListBlock) => (number: number) => (list.ordered ? `${number}.` : dialect.lists ? '-' : '•');
  return {
    text: dialect.escapeInline,
    strong,
    emphasis: (inner) => (dialect.emphasis && inner !== '' ? `*${inner}*` : inner),
    strikethrough: (inner) => (dialect.strikethrough && inner !== '' ? `~~${inner}~~` : inner),
    code: (code) => (dialect.inlineCode ? codeSpan(code) : dialect.escapeInline(code)),
    link: (inner, href) => `[${inner === '' ? dialect.escapeInline(href) : inner}](${destination(href)})`,
    image: (alt, src) =>
      dialect.images
        ? `![${dialect.escapeInline(alt)}](${destination(src)})`
        : `[${dialect.escapeInline(alt === '' ? src : alt)}](${destination(src)})`,
    lineBreak: dialect.lineBreak,
    heading: (inner, depth) =>
      dialect.headings === 'markdown' ? `${'#'.repeat(Math.min(depth, dialect.maxHeadingDepth))} ${inner}` : strong(inner),
    paragraph: (inner) => dialect.escapeLineStarts(inner),
    list: (items, list) => markerList(items, list, itemMarker(list)),
    quote: (inner) => prefixLines(inner, '> '),
    codeBlock: (code, lang) => {
      const lines = code.replace(/\n$/, '').split('\n');
      switch (dialect.codeBlocks) {
        case 'fenced':
          return fencedCodeBlock(code, lang);
        case 'inline-code-lines':
          return lines.map((line) => (line === '' ? '' : codeSpan(line))).join(dialect.lineBreak);
        case 'quoted-text':
          return prefixLines(dialect.escapeLineStarts(lines.map(dialect.escapeInline).join(dialect.lineBreak)), '> ');
      }
    },
    rule: () => (dialect.rules ? '---' : UNPARSED_RULE),
    table: (header, rows) =>
      dialect.tables
        ? [header, header.map(() => '---'), ...rows]
            .map((cells) => `| ${cells.map((cell) => cell.replace(/\n/g, ' ')).join(' | ')} |`)
            .join('\n')
        : dialect.escapeLineStarts(tableAsLines(header, rows, { separator: ' | ', lineBreak: dialect.lineBreak, emphasise: strong })),
    blockSeparator: '\n\n',
    tightSeparator: '\n',
  };
}

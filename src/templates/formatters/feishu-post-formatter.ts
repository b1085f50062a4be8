import { inlineText, type BlockNode, type InlineNode, type MarkdownDocument } from '../markdown-document.ts';
import { commonMarkDialect } from './commonmark-formatter.ts';
import { markdownFamilySyntax } from './markdown-family-syntax.ts';
import { renderMarkup } from './markup-renderer.ts';

/**
 * Feishu / Lark: the same content as a rich-text `post` (structured, no escaping
 * needed: text is data) and as an interactive card with a `markdown` element. The
 * provider picks one (`msg_type` "post" or "interactive").
 */

// ---- Card markdown ---------------------------------------------------------------

/**
 * Feishu card markdown shows special characters through HTML entities (its documented
 * escaping, e.g. `&#42;` for `*`), not backslashes.
 */
const INLINE_ENTITIES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '*': '&#42;', '~': '&#126;', '`': '&#96;',
  '[': '&#91;', ']': '&#93;', '\\': '&#92;', _: '&#95;',
};
const LINE_START_ENTITIES: Record<string, string> = { '#': '&#35;', '-': '&#45;', '+': '&#43;', '=': '&#61;' };

function escapeFeishuInline(text: string): string {
  return text.replace(/&(?=#?[A-Za-z0-9]+;)|[<>*~`[\]\\]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, (char) => INLINE_ENTITIES[char]);
}

function escapeFeishuLineStarts(text: string): string {
  return text
    .replace(/^( {0,3})(\d{1,9})\.(?=[ \t]|$)/gm, '$1$2&#46;')
    .replace(/^( {0,3})([#=+-])/gm, (_, indent: string, char: string) => indent + LINE_START_ENTITIES[char]);
}

const cardSyntax = markdownFamilySyntax({
  ...commonMarkDialect,
  escapeInline: escapeFeishuInline,
  escapeLineStarts: escapeFeishuLineStarts,
  lineBreak: '\n',
  // Card markdown (JSON 1.0) has no headings: a heading is a bold line.
  headings: 'bold',
  images: false, // card images need an uploaded img_key
  tables: false,
});

export function formatFeishuCardMarkdown(document: MarkdownDocument): string {
  return renderMarkup(document, cardSyntax);
}

export function feishuCard(input: { title: string; markdown: string; url?: string }): Record<string, unknown> {
  return {
    config: { wide_screen_mode: true },
    header: { title: { tag: 'plain_text', content: input.title } },
    elements: [{ tag: 'markdown', content: input.markdown }],
    ...(input.url ? { card_link: { url: input.url } } : {}),
  };
}

// ---- Rich-text post --------------------------------------------------------------

type PostStyle = 'bold' | 'italic' | 'lineThrough';
export type FeishuPostElement =
  | { tag: 'text'; text: string; style?: PostStyle[] }
  | { tag: 'a'; text: string; href: string; style?: PostStyle[] }
  | { tag: 'hr' };
type PostLine = FeishuPostElement[];

/** `{ zh_cn: { title, content } }`: one language key chosen from the render locale. */
export type FeishuPost = Record<string, { title: string; content: PostLine[] }>;

function feishuPostLanguage(locale: string | undefined): string {
  const language = locale?.toLowerCase().split(/[-_]/)[0];
  return language === 'en' ? 'en_us' : language === 'ja' ? 'ja_jp' : 'zh_cn';
}

export function formatFeishuPost(document: MarkdownDocument, input: { title: string; locale?: string }): FeishuPost {
  const content = document.blocks.flatMap(blockLines).map(mergeTextRuns);
  return { [feishuPostLanguage(input.locale)]: { title: input.title, content } };
}

function blockLines(block: BlockNode): PostLine[] {
  switch (block.type) {
    case 'heading':
      return inlineLines(block.children, ['bold']);
    case 'paragraph':
      return inlineLines(block.children, []);
    case 'list':
      return block.items.flatMap((item, index) => {
        const marker = block.ordered ? `${block.start + index}. ` : '• ';
        return item.flatMap(blockLines).map((line, lineIndex) => prefixed(lineIndex === 0 ? marker : ' '.repeat(marker.length), line));
      });
    case 'quote':
      return block.children.flatMap(blockLines).map((line) => prefixed('> ', line));
    case 'code-block':
      return block.code.replace(/\n$/, '').split('\n').map((line) => [{ tag: 'text', text: line }]);
    case 'rule':
      return [[{ tag: 'hr' }]];
    case 'table':
      return [
        joinCells(block.header.map((cell) => inlineLines(cell, ['bold'])[0] ?? [])),
        ...block.rows.map((row) => joinCells(row.map((cell) => inlineLines(cell, [])[0] ?? []))),
      ];
  }
}

/** Inline nodes as post lines: a line break starts a new line. */
function inlineLines(nodes: readonly InlineNode[], style: readonly PostStyle[]): PostLine[] {
  const lines: PostLine[] = [[]];
  const append = (element: FeishuPostElement) => lines[lines.length - 1].push(element);
  const styled = style.length > 0 ? { style: [...style] } : {};
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        append({ tag: 'text', text: node.text, ...styled });
        break;
      case 'code':
        append({ tag: 'text', text: node.code, ...styled });
        break;
      case 'break':
        lines.push([]);
        break;
      case 'link':
        append({ tag: 'a', text: inlineText(node.children) || node.href, href: node.href, ...styled });
        break;
      case 'image':
        append({ tag: 'a', text: node.alt || node.src, href: node.src, ...styled });
        break;
      default: {
        const added: PostStyle = node.type === 'strong' ? 'bold' : node.type === 'emphasis' ? 'italic' : 'lineThrough';
        const [first, ...rest] = inlineLines(node.children, style.includes(added) ? style : [...style, added]);
        lines[lines.length - 1].push(...first);
        lines.push(...rest);
      }
    }
  }
  return lines;
}

function prefixed(prefix: string, line: PostLine): PostLine {
  return [{ tag: 'text', text: prefix }, ...line];
}

function joinCells(cells: PostLine[]): PostLine {
  return cells.flatMap((cell, index) => (index === 0 ? cell : [{ tag: 'text', text: ' | ' } as FeishuPostElement, ...cell]));
}

/** Adjacent text runs with the same style become one element. */
function mergeTextRuns(line: PostLine): PostLine {
  const merged: PostLine = [];
  for (const element of line) {
    const previous = merged.at(-1);
    if (element.tag === 'text' && previous?.tag === 'text' && String(previous.style) === String(element.style)) {
      merged[merged.length - 1] = { ...previous, text: previous.text + element.text };
    } else {
      merged.push(element);
    }
  }
  return merged;
}

import { Lexer, type MarkedToken, type Token } from 'marked';
import { decodeHtmlEntities } from './html-sanitize.ts';
import { safeUrl } from './safe-url.ts';

/**
 * The one Markdown tree every channel formatter walks. Markdown is lexed once with
 * `marked`; this module reduces its tokens to the constructs Herald renders, resolves
 * escapes and entities into literal text, and drops unsafe links and raw HTML, so a
 * formatter only decides syntax, never safety.
 */

export type InlineNode =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'strong' | 'emphasis' | 'strikethrough'; readonly children: readonly InlineNode[] }
  | { readonly type: 'code'; readonly code: string }
  | { readonly type: 'link'; readonly href: string; readonly children: readonly InlineNode[] }
  | { readonly type: 'image'; readonly src: string; readonly alt: string }
  | { readonly type: 'break' };

export interface ListBlock {
  readonly type: 'list';
  readonly ordered: boolean;
  readonly start: number;
  /** Tight lists have no blank line between items. */
  readonly tight: boolean;
  readonly items: readonly (readonly BlockNode[])[];
}

export type BlockNode =
  | { readonly type: 'heading'; readonly depth: number; readonly children: readonly InlineNode[] }
  | { readonly type: 'paragraph'; readonly children: readonly InlineNode[] }
  | ListBlock
  | { readonly type: 'quote'; readonly children: readonly BlockNode[] }
  | { readonly type: 'code-block'; readonly code: string; readonly lang: string }
  | { readonly type: 'rule' }
  | { readonly type: 'table'; readonly header: readonly (readonly InlineNode[])[]; readonly rows: readonly (readonly (readonly InlineNode[])[])[] };

export interface MarkdownDocument {
  readonly blocks: readonly BlockNode[];
}

/** GFM with `breaks`: a single newline is a line break, as people expect in notifications. */
const LEXER_OPTIONS = { gfm: true, breaks: true } as const;
const IMAGE_SCHEMES = ['http', 'https'];

export function parseMarkdown(source: string): MarkdownDocument {
  return { blocks: toBlocks(new Lexer(LEXER_OPTIONS).lex(source)) };
}

/** Plain text as a document: blank lines separate paragraphs, other newlines are line breaks. */
export function plainTextDocument(text: string): MarkdownDocument {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
  return {
    blocks: paragraphs.map((paragraph) => ({
      type: 'paragraph',
      children: paragraph.split('\n').flatMap((line, index): InlineNode[] =>
        index === 0 ? [{ type: 'text', text: line }] : [{ type: 'break' }, { type: 'text', text: line }],
      ),
    })),
  };
}

/** The literal text of inline nodes (links and images by their label). */
export function inlineText(nodes: readonly InlineNode[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
          return node.text;
        case 'code':
          return node.code;
        case 'image':
          return node.alt;
        case 'break':
          return ' ';
        default:
          return inlineText(node.children);
      }
    })
    .join('');
}

/** The first heading's text: the title of a template that sets none. */
export function firstHeadingText(document: MarkdownDocument): string | undefined {
  const heading = document.blocks.find((block) => block.type === 'heading');
  return heading ? inlineText(heading.children).trim() : undefined;
}

function toBlocks(tokens: readonly Token[]): BlockNode[] {
  return tokens.flatMap((token): BlockNode[] => {
    const known = token as MarkedToken;
    switch (known.type) {
      case 'heading':
        return [{ type: 'heading', depth: known.depth, children: toInlines(known.tokens) }];
      case 'paragraph':
        return [{ type: 'paragraph', children: toInlines(known.tokens) }];
      case 'text':
        // Block-level text: the content of a tight list item.
        return [{ type: 'paragraph', children: known.tokens ? toInlines(known.tokens) : textNodes(decodeHtmlEntities(known.text)) }];
      case 'list':
        return [
          {
            type: 'list',
            ordered: known.ordered,
            start: typeof known.start === 'number' ? known.start : 1,
            tight: !known.loose,
            items: known.items.map((item) => {
              const blocks = toBlocks(item.tokens);
              return item.task ? withTaskMark(blocks, item.checked === true) : blocks;
            }),
          },
        ];
      case 'blockquote':
        return [{ type: 'quote', children: toBlocks(known.tokens) }];
      case 'code':
        return [{ type: 'code-block', code: known.text, lang: known.lang ?? '' }];
      case 'hr':
        return [{ type: 'rule' }];
      case 'table':
        return [
          {
            type: 'table',
            header: known.header.map((cell) => toInlines(cell.tokens)),
            rows: known.rows.map((row) => row.map((cell) => toInlines(cell.tokens))),
          },
        ];
      case 'html': {
        // Raw HTML is not part of the template language: keep its text, drop its tags.
        const text = decodeHtmlEntities(known.text.replace(/<[^>]*>/g, '')).trim();
        return text === '' ? [] : [{ type: 'paragraph', children: textNodes(text) }];
      }
      default:
        return []; // space, link definitions, checkboxes (handled on their item)
    }
  });
}

function toInlines(tokens: readonly Token[]): InlineNode[] {
  return mergeText(
    tokens.flatMap((token): InlineNode[] => {
      const known = token as MarkedToken;
      switch (known.type) {
        case 'text':
          return known.tokens ? toInlines(known.tokens) : textNodes(decodeHtmlEntities(known.text));
        case 'escape':
          return textNodes(known.text);
        case 'strong':
          return [{ type: 'strong', children: toInlines(known.tokens) }];
        case 'em':
          return [{ type: 'emphasis', children: toInlines(known.tokens) }];
        case 'del':
          return [{ type: 'strikethrough', children: toInlines(known.tokens) }];
        case 'codespan':
          return [{ type: 'code', code: known.text }];
        case 'br':
          return [{ type: 'break' }];
        case 'link': {
          const href = safeUrl(decodeHtmlEntities(known.href));
          const children = toInlines(known.tokens);
          return href ? [{ type: 'link', href, children }] : children;
        }
        case 'image': {
          const src = safeUrl(decodeHtmlEntities(known.href), IMAGE_SCHEMES);
          const alt = decodeHtmlEntities(known.text);
          return src ? [{ type: 'image', src, alt }] : textNodes(alt);
        }
        case 'html':
          return /^<br\s*\/?>$/i.test(known.text) ? [{ type: 'break' }] : [];
        default:
          return [];
      }
    }),
  );
}

function textNodes(text: string): InlineNode[] {
  return text === '' ? [] : [{ type: 'text', text }];
}

function mergeText(nodes: InlineNode[]): InlineNode[] {
  const merged: InlineNode[] = [];
  for (const node of nodes) {
    const previous = merged.at(-1);
    if (node.type === 'text' && previous?.type === 'text') {
      merged[merged.length - 1] = { type: 'text', text: previous.text + node.text };
    } else {
      merged.push(node);
    }
  }
  return merged;
}

/** Task list items read "☐ todo" / "☑ done" in every channel. */
function withTaskMark(blocks: BlockNode[], checked: boolean): BlockNode[] {
  const mark: InlineNode = { type: 'text', text: checked ? '☑ ' : '☐ ' };
  const [first, ...rest] = blocks;
  if (first?.type !== 'paragraph') return [{ type: 'paragraph', children: [mark] }, ...blocks];
  return [{ type: 'paragraph', children: mergeText([mark, ...first.children]) }, ...rest];
}

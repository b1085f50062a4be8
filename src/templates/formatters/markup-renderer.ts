import type { BlockNode, InlineNode, ListBlock, MarkdownDocument } from '../markdown-document.ts';

/**
 * The shared walker: a formatter describes its dialect as a `MarkupSyntax` and
 * `renderMarkup` walks the document once, bottom-up, handing each construct its
 * already-rendered children. Every text leaf goes through `syntax.text`, so escaping
 * is decided in one place per dialect.
 */
export interface MarkupSyntax {
  /** Escapes literal text. */
  text(text: string): string;
  strong(inner: string): string;
  emphasis(inner: string): string;
  strikethrough(inner: string): string;
  code(code: string): string;
  /** `inner` is rendered link text; `href` is a vetted absolute URL. */
  link(inner: string, href: string): string;
  image(alt: string, src: string): string;
  lineBreak: string;
  heading(inner: string, depth: number): string;
  /** `tight`: a paragraph inside a tight list item (HTML leaves out the `<p>`). */
  paragraph(inner: string, tight: boolean): string;
  list(items: readonly string[], list: ListBlock): string;
  quote(inner: string): string;
  codeBlock(code: string, lang: string): string;
  rule(): string;
  table(header: readonly string[], rows: readonly (readonly string[])[]): string;
  /** Between blocks; `tightSeparator` between the blocks of a tight list item. */
  blockSeparator: string;
  tightSeparator: string;
}

export function renderMarkup(document: MarkdownDocument, syntax: MarkupSyntax): string {
  return renderBlocks(document.blocks, syntax, false);
}

function renderBlocks(blocks: readonly BlockNode[], syntax: MarkupSyntax, tight: boolean): string {
  return blocks.map((block) => renderBlock(block, syntax, tight)).join(tight ? syntax.tightSeparator : syntax.blockSeparator);
}

function renderBlock(block: BlockNode, syntax: MarkupSyntax, tight: boolean): string {
  switch (block.type) {
    case 'heading':
      return syntax.heading(renderInlines(block.children, syntax), block.depth);
    case 'paragraph':
      return syntax.paragraph(renderInlines(block.children, syntax), tight);
    case 'list':
      return syntax.list(
        block.items.map((item) => renderBlocks(item, syntax, block.tight)),
        block,
      );
    case 'quote':
      return syntax.quote(renderBlocks(block.children, syntax, false));
    case 'code-block':
      return syntax.codeBlock(block.code, block.lang);
    case 'rule':
      return syntax.rule();
    case 'table':
      return syntax.table(
        block.header.map((cell) => renderInlines(cell, syntax)),
        block.rows.map((row) => row.map((cell) => renderInlines(cell, syntax))),
      );
  }
}

function renderInlines(nodes: readonly InlineNode[], syntax: MarkupSyntax): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
          return syntax.text(node.text);
        case 'strong':
          return syntax.strong(renderInlines(node.children, syntax));
        case 'emphasis':
          return syntax.emphasis(renderInlines(node.children, syntax));
        case 'strikethrough':
          return syntax.strikethrough(renderInlines(node.children, syntax));
        case 'code':
          return syntax.code(node.code);
        case 'link':
          return syntax.link(renderInlines(node.children, syntax), node.href);
        case 'image':
          return syntax.image(node.alt, node.src);
        case 'break':
          return syntax.lineBreak;
      }
    })
    .join('');
}

/**
 * Text-dialect lists: `marker(index)` starts each item ("-", "1.", "•"), and the
 * item's further lines are indented under its text so nesting stays readable.
 */
export function markerList(items: readonly string[], list: ListBlock, marker: (number: number) => string): string {
  return items
    .map((item, index) => {
      const prefix = `${marker(list.start + index)} `;
      const indent = ' '.repeat(prefix.length);
      return item
        .split('\n')
        .map((line, lineIndex) => (lineIndex === 0 ? prefix + line : line === '' ? line : indent + line))
        .join('\n');
    })
    .join(list.tight ? '\n' : '\n\n');
}

/** Prefixes every line (quotes). */
export function prefixLines(text: string, prefix: string, emptyLinePrefix = prefix.trimEnd()): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? emptyLinePrefix : prefix + line))
    .join('\n');
}

/** Tables for dialects without them: one line per row, the header line emphasised. */
export function tableAsLines(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: { separator: string; lineBreak: string; emphasise: (line: string) => string },
): string {
  const lines = [options.emphasise(header.join(options.separator)), ...rows.map((row) => row.join(options.separator))];
  return lines.join(options.lineBreak);
}

/** "https://a.com" and "https://a.com/" name the same link: print it once. */
export function isSameUrl(label: string, href: string): boolean {
  const normalise = (url: string) => url.replace(/^mailto:|^tel:/, '').replace(/\/$/, '');
  return normalise(label) === normalise(href);
}

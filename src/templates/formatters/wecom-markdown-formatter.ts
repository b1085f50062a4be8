import type { MarkdownDocument } from '../markdown-document.ts';
import { commonMarkDialect } from './commonmark-formatter.ts';
import { markdownFamilySyntax } from './markdown-family-syntax.ts';
import { renderMarkup } from './markup-renderer.ts';

/**
 * WeCom (企业微信) markdown supports only headings, bold, links, inline code, quotes
 * and `<font color>`. Everything else is converted: lists to "• item" / "1. item"
 * lines, images to links, tables to " | "-separated lines, code blocks to one inline
 * code span per line, italics and strikethrough to plain text. A newline is a line
 * break. The 4,096-byte limit is applied by the channel limits table.
 */
const syntax = markdownFamilySyntax({
  ...commonMarkDialect,
  lineBreak: '\n',
  emphasis: false,
  strikethrough: false,
  lists: false,
  images: false,
  tables: false,
  codeBlocks: 'inline-code-lines',
  rules: false,
});

export function formatWecomMarkdown(document: MarkdownDocument): string {
  return renderMarkup(document, syntax);
}

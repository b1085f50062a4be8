import type { MarkdownDocument } from '../markdown-document.ts';
import { commonMarkDialect } from './commonmark-formatter.ts';
import { markdownFamilySyntax } from './markdown-family-syntax.ts';
import { renderMarkup } from './markup-renderer.ts';

/**
 * DingTalk robot / work-notice markdown. Its documented subset: headings, quotes,
 * bold, italic, links, images, ordered and unordered lists. Code, strikethrough,
 * tables and rules are not rendered, so they degrade to text (code blocks as quoted
 * lines). Line breaks need two trailing spaces. Backslash escapes follow CommonMark
 * (unverified on every DingTalk client).
 */
const syntax = markdownFamilySyntax({
  ...commonMarkDialect,
  strikethrough: false,
  inlineCode: false,
  tables: false,
  codeBlocks: 'quoted-text',
  rules: false,
});

export function formatDingtalkMarkdown(document: MarkdownDocument): string {
  return renderMarkup(document, syntax);
}

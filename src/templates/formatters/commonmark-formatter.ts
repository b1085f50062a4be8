import type { MarkdownDocument } from '../markdown-document.ts';
import { escapeMarkdownInline, escapeMarkdownLineStarts } from '../markdown-escape.ts';
import { markdownFamilySyntax, type MarkdownDialect } from './markdown-family-syntax.ts';
import { renderMarkup } from './markup-renderer.ts';

/** Standard Markdown (CommonMark + GFM tables): webhooks, the inbox, and the `markdown` field of channels without a dialect. */
export const commonMarkDialect: MarkdownDialect = {
  escapeInline: escapeMarkdownInline,
  escapeLineStarts: escapeMarkdownLineStarts,
  // Two trailing spaces: the hard break every Markdown renderer knows.
  lineBreak: '  \n',
  headings: 'markdown',
  maxHeadingDepth: 6,
  emphasis: true,
  strikethrough: true,
  inlineCode: true,
  lists: true,
  images: true,
  tables: true,
  codeBlocks: 'fenced',
  rules: true,
};

const syntax = markdownFamilySyntax(commonMarkDialect);

export function formatCommonMark(document: MarkdownDocument): string {
  return renderMarkup(document, syntax);
}

import type { MarkdownDocument } from '../markdown-document.ts';
import { commonMarkDialect } from './commonmark-formatter.ts';
import { markdownFamilySyntax } from './markdown-family-syntax.ts';
import { renderMarkup } from './markup-renderer.ts';

/**
 * Discord message Markdown: CommonMark with newline line breaks, headings `#`–`###`
 * only, masked links (allowed in webhook messages) and no tables or inline images.
 * Backslash escapes also neutralise `||spoiler||` and `-#` subtext; mentions such as
 * `@everyone` are the provider's job (`allowed_mentions`).
 */
const syntax = markdownFamilySyntax({
  ...commonMarkDialect,
  lineBreak: '\n',
  maxHeadingDepth: 3,
  images: false,
  tables: false,
});

export function formatDiscordMarkdown(document: MarkdownDocument): string {
  return renderMarkup(document, syntax);
}

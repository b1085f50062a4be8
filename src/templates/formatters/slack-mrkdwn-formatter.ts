import type { MarkdownDocument } from '../markdown-document.ts';
import { markerList, prefixLines, renderMarkup, tableAsLines, type MarkupSyntax } from './markup-renderer.ts';

/**
 * Slack mrkdwn: `*bold*`, `_italic_`, `~strike~`, `` `code` ``, `<url|text>`, `>` quotes;
 * no headings (bold lines) or lists ("•" lines).
 *
 * Slack decodes only `&amp;`, `&lt;`, `&gt;` and has no escape for `*_~\``. A zero-width
 * space after each of those characters keeps them literal (Slack only formats a
 * marker that touches a word) while they still copy as typed.
 */
const ZERO_WIDTH_SPACE = '\u200b';

function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeSlackText(text: string): string {
  return escapeEntities(text).replace(/[*_~`]/g, `$&${ZERO_WIDTH_SPACE}`);
}

/** Inside `<url|label>` the URL must not contain `|` or `>` (already percent-encoded by normalisation). */
function linkTarget(href: string): string {
  return escapeEntities(href).replace(/\|/g, '%7C');
}

const wrap = (marker: string) => (inner: string) => (inner === '' ? '' : `${marker}${inner}${marker}`);
const bold = wrap('*');

const slackSyntax: MarkupSyntax = {
  text: escapeSlackText,
  strong: bold,
  emphasis: wrap('_'),
  strikethrough: wrap('~'),
  // Backticks cannot be escaped inside code; a modifier letter grave accent looks the same.
  code: (code) => `\`${escapeEntities(code.replace(/`/g, 'ˋ').replace(/\n/g, ' '))}\``,
  link: (inner, href) => (inner === '' ? `<${linkTarget(href)}>` : `<${linkTarget(href)}|${inner}>`),
  image: (alt, src) => (alt === '' ? `<${linkTarget(src)}>` : `<${linkTarget(src)}|${escapeSlackText(alt)}>`),
  lineBreak: '\n',
  heading: bold,
  paragraph: (inner) => inner,
  list: (items, list) => markerList(items, list, (number) => (list.ordered ? `${number}.` : '•')),
  quote: (inner) => prefixLines(inner, '> ', '>'),
  codeBlock: (code) => `\`\`\`\n${escapeEntities(code.replace(/\n$/, '').replace(/```/g, 'ˋˋˋ'))}\n\`\`\``,
  rule: () => '———',
  table: (header, rows) => tableAsLines(header, rows, { separator: ' | ', lineBreak: '\n', emphasise: bold }),
  blockSeparator: '\n\n',
  tightSeparator: '\n',
};

export function formatSlackMrkdwn(document: MarkdownDocument): string {
  return renderMarkup(document, slackSyntax);
}

import type { MarkdownDocument } from '../markdown-document.ts';
import { isSameUrl, markerList, prefixLines, renderMarkup, tableAsLines, type MarkupSyntax } from './markup-renderer.ts';

/** Readable plain text (SMS, webhooks, the text part of e-mail): no markup, links as "text (url)". */
const plainTextSyntax: MarkupSyntax = {
  text: (text) => text,
  strong: (inner) => inner,
  emphasis: (inner) => inner,
  strikethrough: (inner) => inner,
  code: (code) => code,
  link: (inner, href) => (inner === '' || isSameUrl(inner, href) ? href : `${inner} (${href})`),
  image: (alt, src) => (alt === '' ? src : `${alt} (${src})`),
  lineBreak: '\n',
  heading: (inner) => inner,
  paragraph: (inner) => inner,
  list: (items, list) => markerList(items, list, (number) => (list.ordered ? `${number}.` : '-')),
  quote: (inner) => prefixLines(inner, '> '),
  codeBlock: (code) => code.replace(/\n$/, ''),
  rule: () => '----------',
  table: (header, rows) => tableAsLines(header, rows, { separator: ' | ', lineBreak: '\n', emphasise: (line) => line }),
  blockSeparator: '\n\n',
  tightSeparator: '\n',
};

export function formatPlainText(document: MarkdownDocument): string {
  return renderMarkup(document, plainTextSyntax);
}

import { escapeHtml, sanitizeHtmlFragment } from '../html-sanitize.ts';
import type { MarkdownDocument } from '../markdown-document.ts';
import { renderMarkup, type MarkupSyntax } from './markup-renderer.ts';

/** An HTML fragment (e-mail content, inbox body). Every text leaf and URL is escaped here. */
const htmlSyntax: MarkupSyntax = {
  text: escapeHtml,
  strong: (inner) => `<strong>${inner}</strong>`,
  emphasis: (inner) => `<em>${inner}</em>`,
  strikethrough: (inner) => `<del>${inner}</del>`,
  code: (code) => `<code>${escapeHtml(code)}</code>`,
  link: (inner, href) => `<a href="${escapeHtml(href)}">${inner === '' ? escapeHtml(href) : inner}</a>`,
  image: (alt, src) => `<img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}">`,
  lineBreak: '<br>\n',
  heading: (inner, depth) => `<h${depth}>${inner}</h${depth}>`,
  paragraph: (inner, tight) => (tight ? inner : `<p>${inner}</p>`),
  list: (items, list) => {
    const tag = list.ordered ? 'ol' : 'ul';
    const start = list.ordered && list.start !== 1 ? ` start="${list.start}"` : '';
    return `<${tag}${start}>\n${items.map((item) => `<li>${item}</li>`).join('\n')}\n</${tag}>`;
  },
  quote: (inner) => `<blockquote>\n${inner}\n</blockquote>`,
  codeBlock: (code) => `<pre><code>${escapeHtml(code.replace(/\n$/, ''))}</code></pre>`,
  rule: () => '<hr>',
  table: (header, rows) =>
    [
      '<table>',
      `<thead><tr>${header.map((cell) => `<th>${cell}</th>`).join('')}</tr></thead>`,
      `<tbody>${rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')}</tbody>`,
      '</table>',
    ].join('\n'),
  blockSeparator: '\n',
  tightSeparator: '\n',
};

/** The document as sanitised HTML (the allow-list runs even on HTML Herald built itself). */
export function formatHtmlFragment(document: MarkdownDocument): string {
  return sanitizeHtmlFragment(renderMarkup(document, htmlSyntax));
}

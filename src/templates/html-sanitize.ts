import type sanitizeHtmlModule from 'sanitize-html';
import { lazyRequire } from '../lazy-require.ts';

const sanitizeHtml = lazyRequire<typeof sanitizeHtmlModule>('sanitize-html');

/**
 * HTML safety in one place: escaping text into HTML, the allow-list every HTML body
 * passes through (e-mail, inbox), and HTML → plain text for the text part of an
 * HTML body.
 */

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the entities Markdown and sanitised HTML leave in text; unknown names stay as written. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (entity, name: string) => {
    if (name[0] !== '#') return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
    const codePoint = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
  });
}

/** Link schemes allowed anywhere a URL is emitted (also used for Markdown links). */
export const SAFE_LINK_SCHEMES = ['http', 'https', 'mailto', 'tel'] as const;

/** CSS values without functions (no url(), expression()), or plain rgb()/rgba() colours. */
const SAFE_CSS_VALUE = /^(?:[^()\\<>;]*|rgba?\(\s*[\d.%]+(?:\s*,\s*[\d.%]+){2,3}\s*\))$/i;
const STYLE_PROPERTIES = [
  'color', 'background-color', 'text-align', 'vertical-align', 'font-size', 'font-weight', 'font-style',
  'font-family', 'line-height', 'text-decoration', 'width', 'max-width', 'height', 'display',
  'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left',
  'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left',
  'border', 'border-top', 'border-right', 'border-bottom', 'border-left', 'border-radius', 'border-collapse',
];

/** The only elements sanitised HTML contains. */
export const ALLOWED_HTML_TAGS: readonly string[] = [
  'a', 'b', 'blockquote', 'br', 'caption', 'code', 'del', 'div', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'hr', 'i', 'img', 'li', 'ol', 'p', 'pre', 's', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
];

const allowList = (): sanitizeHtmlModule.IOptions => ({
  allowedTags: [...ALLOWED_HTML_TAGS],
  allowedAttributes: {
    a: ['href', 'title', 'target', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    table: ['width', 'align', 'border', 'cellpadding', 'cellspacing'],
    td: ['colspan', 'rowspan', 'align', 'valign', 'width'],
    th: ['colspan', 'rowspan', 'align', 'valign', 'width'],
    ol: ['start'],
    '*': ['style', 'class', 'align'],
  },
  allowedSchemes: [...SAFE_LINK_SCHEMES],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  allowedStyles: { '*': Object.fromEntries(STYLE_PROPERTIES.map((property) => [property, [SAFE_CSS_VALUE]])) },
  transformTags: { a: sanitizeHtml().simpleTransform('a', { rel: 'noopener noreferrer', target: '_blank' }) },
  disallowedTagsMode: 'discard',
});
let ALLOW_LIST: sanitizeHtmlModule.IOptions | undefined;

/** Sanitises an HTML fragment with the allow-list: scripts, event handlers, `javascript:` links and unsafe CSS go. */
export function sanitizeHtmlFragment(html: string): string {
  return sanitizeHtml()(html, (ALLOW_LIST ??= allowList()));
}

const BLOCK_END = /<\/(?:p|div|h[1-6]|blockquote|pre|table|ul|ol|tr)>|<hr\s*\/?>/gi;

/**
 * Readable plain text from *sanitised* HTML (its tags are well formed and attribute
 * values escaped, so matching tags with patterns is sound): blocks become paragraphs,
 * list items "- item", links "text (url)".
 */
export function htmlToText(sanitizedHtml: string): string {
  const text = sanitizedHtml
    .replace(/\s+/g, ' ')
    .replace(/<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)<\/a>/gi, (_, href: string, inner: string) => {
      // Entities stay encoded here: the whole text is decoded once at the end.
      const label = inner.replace(/<[^>]*>/g, '').trim();
      return label === '' || label === href ? href : `${inner} (${href})`;
    })
    .replace(/<img\b[^>]*?alt="([^"]*)"[^>]*>/gi, '$1')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/t[dh]>\s*(?=<t[dh]\b)/gi, ' | ')
    .replace(BLOCK_END, '\n\n')
    .replace(/<[^>]*>/g, '');
  return decodeHtmlEntities(text)
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

import type juiceModule from 'juice';
import { lazyRequire } from '../../lazy-require.ts';

// juice's CommonJS entry exports the function as `default`.
const juice = lazyRequire<{ default: typeof juiceModule }>('juice');
import { ALLOWED_HTML_TAGS, escapeHtml } from '../html-sanitize.ts';

/**
 * The e-mail HTML part: sanitised content in a simple responsive layout whose CSS is
 * inlined the way juice inlines it (most mail clients drop <style>; the media query stays
 * in a <style> block for those that keep it). The text part is built by the caller from
 * the same content.
 *
 * juice parses the whole document, the CSS and every selector on each call, which made
 * e-mail the slowest channel by far. The layout and its CSS never change, so juice runs
 * once, on the layout with a specimen of every tag the sanitiser lets through, and each
 * render fills that pre-inlined layout and adds each tag's inlined style to the content.
 * That is exactly what juice would write only for HTML Herald built from a document
 * itself: well nested, no style or class attributes of its own. HTML an author wrote
 * (re-nesting by the parser, inline styles to merge, layout classes) still goes through
 * juice as a whole; src/templates/formatters/email-formatter.test.ts holds the two
 * paths to the same bytes.
 */
const LAYOUT_CSS = `
body { margin: 0; padding: 0; background-color: #f4f5f7; }
.herald-page { padding: 24px 12px; background-color: #f4f5f7; }
.herald-card { max-width: 600px; margin: 0 auto; padding: 32px; background-color: #ffffff; border-radius: 8px; font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Microsoft YaHei", Helvetica, Arial, sans-serif; font-size: 15px; line-height: 1.6; color: #1f2328; }
h1, h2, h3, h4, h5, h6 { margin: 0 0 12px; line-height: 1.3; color: #1f2328; }
p { margin: 0 0 12px; }
ul, ol { margin: 0 0 12px; padding-left: 24px; }
a { color: #0969da; }
blockquote { margin: 0 0 12px; padding: 0 12px; border-left: 4px solid #d0d7de; color: #57606a; }
code { padding: 2px 4px; background-color: #f6f8fa; border-radius: 4px; font-family: Menlo, Consolas, monospace; font-size: 13px; }
pre { margin: 0 0 12px; padding: 12px; background-color: #f6f8fa; border-radius: 6px; }
table { border-collapse: collapse; margin: 0 0 12px; }
th, td { padding: 6px 12px; border: 1px solid #d0d7de; }
hr { border: 0; border-top: 1px solid #d0d7de; margin: 16px 0; }
img { max-width: 100%; }
@media only screen and (max-width: 620px) {
  .herald-card { padding: 20px !important; border-radius: 0 !important; }
}
`;

export interface EmailHtmlInput {
  subject: string;
  /** Already sanitised. */
  contentHtml: string;
  /**
   * Who wrote the content: `document` for HTML Herald rendered from a Markdown or text
   * document (html-formatter.ts), `author` for HTML a template or message supplied.
   */
  contentFrom: 'document' | 'author';
  /** `lang` of the document, e.g. zh-CN. */
  locale?: string;
}

export function formatEmailHtml(input: EmailHtmlInput): string {
  const lang = input.locale ? ` lang="${escapeHtml(input.locale)}"` : '';
  const title = escapeHtml(input.subject);
  const content = input.contentFrom === 'document' && !CODE_BLOCK_MARKER.test(lang + title) ? contentWithLayoutStyles(input.contentHtml) : undefined;
  if (content === undefined) return inlineWithJuice(layoutDocument(lang, title, input.contentHtml));
  const layout = inlinedLayout();
  return layout.beforeLang + lang + layout.beforeTitle + title + layout.beforeContent + content + layout.afterContent;
}

function layoutDocument(lang: string, title: string, contentHtml: string): string {
  return [
    '<!DOCTYPE html>',
    `<html${lang}>`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${LAYOUT_CSS}</style>`,
    '</head>',
    '<body>',
    '<div class="herald-page"><div class="herald-card">',
    contentHtml,
    '</div></div>',
    '</body>',
    '</html>',
  ].join('\n');
}

function inlineWithJuice(document: string): string {
  return juice().default(document, { preserveMediaQueries: true, removeStyleTags: true });
}

/**
 * Text juice sets aside as template code before parsing ({{ }}, <% %>, <# >, <@ >) and
 * puts back untouched, tags inside included. A document with any of them goes through
 * juice so that its output stays exactly juice's.
 */
const CODE_BLOCK_MARKER = /\{\{|<[%#@]|<\/[#@]/;

interface InlinedLayout {
  /** The inlined document split around the three things a render fills in. */
  readonly beforeLang: string;
  readonly beforeTitle: string;
  readonly beforeContent: string;
  readonly afterContent: string;
  /** The style attribute juice gives each allowed tag in the content ('' when none). */
  readonly tagStyles: ReadonlyMap<string, string>;
}

let layoutOnce: InlinedLayout | undefined;
const inlinedLayout = (): InlinedLayout => (layoutOnce ??= inlineLayout());

const SLOT = { lang: 'herald-slot-lang', title: 'herald-slot-title', content: 'herald-slot-content', specimenEnd: 'herald-slot-specimen-end' };
const VOID_TAGS = new Set(['br', 'hr', 'img']);

/** Runs juice once on the layout with marked slots and one empty element of every allowed tag. */
function inlineLayout(): InlinedLayout {
  const specimen = ALLOWED_HTML_TAGS.map((tag) => (VOID_TAGS.has(tag) ? `<${tag}>` : `<${tag}></${tag}>`)).join('');
  const inlined = inlineWithJuice(layoutDocument(` lang="${SLOT.lang}"`, SLOT.title, SLOT.content + specimen + SLOT.specimenEnd));
  const [beforeLang, afterLang] = splitOnce(inlined, ` lang="${SLOT.lang}"`);
  const [beforeTitle, afterTitle] = splitOnce(afterLang, SLOT.title);
  const [beforeContent, afterContent] = splitOnce(afterTitle, SLOT.content);
  const [inlinedSpecimen, layoutEnd] = splitOnce(afterContent, SLOT.specimenEnd);
  const tagStyles = new Map<string, string>();
  for (const [, tag, style] of inlinedSpecimen.matchAll(/<([a-z0-9]+)(?: style="([^"]*)")?>/g)) tagStyles.set(tag, style ?? '');
  const missing = ALLOWED_HTML_TAGS.filter((tag) => !tagStyles.has(tag));
  if (missing.length > 0) throw new Error(`juice left no trace of the layout specimen's ${missing.join(', ')} elements`);
  return { beforeLang, beforeTitle, beforeContent, afterContent: layoutEnd, tagStyles };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  if (at < 0 || text.indexOf(separator, at + separator.length) >= 0) throw new Error(`juice changed the layout's "${separator}" slot`);
  return [text.slice(0, at), text.slice(at + separator.length)];
}

/** Every start tag; `SANITISED_ATTRIBUTES` then checks it is written the way the sanitiser writes them. */
const START_TAG = /<([a-z][a-z0-9]*)([^>]*)>/g;
/** Attributes as `name="value"` (quotes and angle brackets in values are entities) or a bare name, and " /" on void elements. */
const SANITISED_ATTRIBUTES = /^(?: [a-z][a-z0-9-]*(?:="[^"<>]*")?)*(?: \/)?$/;
const ATTRIBUTE = / ([a-z][a-z0-9-]*)(?:="([^"]*)")?/g;
/** A `<` that starts neither a start tag nor an end tag (the sanitiser writes text's as &lt;). */
const OTHER_MARKUP = /<(?![a-z]|\/[a-z])/;

/**
 * The sanitised fragment as juice writes it back: each start tag with its tag's inlined
 * style appended, empty attribute values and void elements' " /" dropped (htmlparser2 and
 * dom-serializer's HTML output). Text, end tags and entities stay as they are, as juice
 * neither decodes nor re-encodes them. Undefined when an element carries a style or class
 * of its own, the text holds template code juice sets aside, or anything is written
 * otherwise than expected: juice decides those.
 */
export function contentWithLayoutStyles(sanitizedHtml: string): string | undefined {
  if (OTHER_MARKUP.test(sanitizedHtml) || CODE_BLOCK_MARKER.test(sanitizedHtml)) return undefined;
  const { tagStyles } = inlinedLayout();
  let unsupported = false;
  const styled = sanitizedHtml.replace(START_TAG, (_, tag: string, attributes: string) => {
    const style = tagStyles.get(tag);
    if (style === undefined || !SANITISED_ATTRIBUTES.test(attributes)) unsupported = true;
    let written = `<${tag}`;
    for (const [, name, value] of attributes.matchAll(ATTRIBUTE)) {
      if (name === 'style' || name === 'class') unsupported = true;
      written += value ? ` ${name}="${value}"` : ` ${name}`;
    }
    return style ? `${written} style="${style}">` : `${written}>`;
  });
  return unsupported ? undefined : styled;
}

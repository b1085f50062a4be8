import type juiceModule from 'juice';
import { lazyRequire } from '../../lazy-require.ts';

// juice's CommonJS entry exports the function as `default`.
const juice = lazyRequire<{ default: typeof juiceModule }>('juice');
import { escapeHtml } from '../html-sanitize.ts';

/**
 * The e-mail HTML part: sanitised content in a simple responsive layout whose CSS is
 * then inlined with juice (most mail clients drop <style>; the media query stays in a
 * <style> block for those that keep it). The text part is built by the caller from
 * the same content.
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
  /** `lang` of the document, e.g. zh-CN. */
  locale?: string;
}

export function formatEmailHtml(input: EmailHtmlInput): string {
  const lang = input.locale ? ` lang="${escapeHtml(input.locale)}"` : '';
  const document = [
    '<!DOCTYPE html>',
    `<html${lang}>`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(input.subject)}</title>`,
    `<style>${LAYOUT_CSS}</style>`,
    '</head>',
    '<body>',
    '<div class="herald-page"><div class="herald-card">',
    input.contentHtml,
    '</div></div>',
    '</body>',
    '</html>',
  ].join('\n');
  return juice().default(document, { preserveMediaQueries: true, removeStyleTags: true });
}

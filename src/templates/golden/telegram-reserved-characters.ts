import type { TemplateContent, VariablesSchema } from '../template-content.ts';

/**
 * The Telegram MarkdownV2 golden case: user data holding every character MarkdownV2
 * reserves, placed in each position with its own escaping rule: plain text, bold,
 * italic, strikethrough, a list item and a quote (all 18 reserved characters and `\`
 * escaped), inline code and a code block (only `` ` `` and `\`; written `| raw`, since
 * Markdown shows escapes literally inside code), a link's text, and a link's URL
 * (only `)` and `\`).
 */

/** Every reserved character of MarkdownV2 outside entities, then `\`. */
export const TELEGRAM_RESERVED = '_*[]()~`>#+-=|{}.!\\';
/** Reads as a quote, heading, list item and ordered item if it led a line unescaped. */
export const TELEGRAM_LINE_START = '> # heading - item 1. first';
/** The query of a link URL: `)` would end the URL and `\` escape the next character; the rest are literal there. */
export const TELEGRAM_URL_QUERY = 'a)b(c\\d_e*f[g]h~i`j!k';

export const telegramReservedContent: TemplateContent = {
  title: 'Reserved {{ reserved }}',
  defaultLocale: 'en',
  body: `## Heading {{ reserved }}

Text: {{ reserved }}

Bold: **{{ reserved }}**

Italic: _{{ reserved }}_

Struck: ~~{{ reserved }}~~

{{ lineStart }}

Code: \`\` {{ reserved | raw }} \`\`

\`\`\`\`
{{ reserved | raw }}
\`\`\`\`

Link text: [{{ reserved }}](https://example.com/help)

Link URL: [search](https://example.com/search?q={{ query }})

- item {{ reserved }}

> quote {{ reserved }}`,
};

export const telegramReservedVariables: VariablesSchema = [
  { name: 'reserved', type: 'string', required: true },
  { name: 'lineStart', type: 'string', required: true },
  { name: 'query', type: 'string', required: true },
];

export const telegramReservedData = { reserved: TELEGRAM_RESERVED, lineStart: TELEGRAM_LINE_START, query: TELEGRAM_URL_QUERY };

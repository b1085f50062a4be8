import { Liquid, toValue, type Context } from 'liquidjs';
import { escapeHtml } from './html-sanitize.ts';
import { escapeMarkdownValue } from './markdown-escape.ts';

/**
 * The Liquid engines templates run on. Output escaping is decided when a template is
 * parsed (liquidjs appends the escape filter to every `{{ output }}`), so there is one
 * engine per escape mode, each built once:
 * - `markdown`: values become literal text in the Markdown the channel formatters read;
 * - `html`: values are HTML-escaped (e-mail HTML overrides, HTML bodies);
 * - `none`: plain-text fields (titles, SMS and WeChat parameters).
 * `{{ value | raw }}` opts out; the result is still sanitised downstream. Markdown
 * shows backslash escapes literally inside code spans and fences, so a value placed
 * in code reads best with `| raw`.
 */
export type OutputEscapeMode = 'markdown' | 'html' | 'none';

/** DoS guards applied to every parse and render. */
export const LIQUID_LIMITS = {
  /** Characters accepted by one `parse()` call. */
  parseLimitChars: 200_000,
  /** Wall time of one `render()` call. */
  renderLimitMs: 1_000,
  /** liquidjs allocation units (≈ characters and array items created while rendering). */
  memoryLimitUnits: 10_000_000,
} as const;

/** Thrown from the parse of tags that would read other templates; mapped to TEMPLATE_TAG_FORBIDDEN. */
export class ForbiddenTagError extends Error {
  readonly tag: string;
  constructor(tag: string) {
    super(`the {% ${tag} %} tag is not allowed: a template cannot load other templates or files`);
    this.name = 'ForbiddenTagError';
    this.tag = tag;
  }
}

const FILE_TAGS = ['include', 'render', 'layout'] as const;

const escapers: Record<OutputEscapeMode, ((text: string) => string) | undefined> = {
  markdown: escapeMarkdownValue,
  html: escapeHtml,
  none: undefined,
};

/** liquidjs' own output stringification (nil → '', arrays joined), which its escape filters also use. */
function stringifyOutput(value: unknown): string {
  const plain = toValue(value);
  if (typeof plain === 'string') return plain;
  if (plain === null || plain === undefined) return '';
  if (Array.isArray(plain)) return plain.map(stringifyOutput).join('');
  return String(plain);
}

/** What liquidjs binds `this` to in filters (its `FilterImpl` type is not exported). */
interface FilterThis {
  context: Context;
}

/**
 * `{{ amount | money: "CNY" }}` → "¥1,299.00" (formatted for the render locale, see
 * the `locale` render global). Amounts are major units (yuan, dollars), not cents.
 */
function money(this: FilterThis, amount: unknown, currency: unknown = 'CNY'): string {
  const value = typeof amount === 'string' && amount.trim() !== '' ? Number(amount) : toValue(amount);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`money expects a number, got ${JSON.stringify(amount)}`);
  }
  const locale = (this.context.globals as { locale?: unknown }).locale;
  return currencyFormat(typeof locale === 'string' ? locale : 'en-US', String(currency)).format(value);
}

/** Building an Intl.NumberFormat costs far more than formatting with one (~40% of a render of the golden template). */
const currencyFormats = new Map<string, Intl.NumberFormat>();
const CURRENCY_FORMAT_CACHE_SIZE = 256;

function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}`;
  let format = currencyFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    if (currencyFormats.size >= CURRENCY_FORMAT_CACHE_SIZE) currencyFormats.clear();
    currencyFormats.set(key, format);
  }
  return format;
}

function createEngine(mode: OutputEscapeMode): Liquid {
  const escape = escapers[mode];
  const engine = new Liquid({
    strictVariables: true,
    strictFilters: true,
    // `{% if optional %}` and `| default:` work on variables the caller left out.
    lenientIf: true,
    ownPropertyOnly: true,
    // An empty in-memory store: no lookup can reach the file system.
    templates: {},
    relativeReference: false,
    // Deterministic dates; templates pass a zone explicitly: `date: "%H:%M", "Asia/Shanghai"`.
    timezoneOffset: 0,
    locale: 'en-US',
    parseLimit: LIQUID_LIMITS.parseLimitChars,
    renderLimit: LIQUID_LIMITS.renderLimitMs,
    memoryLimit: LIQUID_LIMITS.memoryLimitUnits,
    outputEscape: escape
      ? function (this: FilterThis, value: unknown) {
          const text = stringifyOutput(value);
          this.context.memoryLimit.use(text.length);
          return escape(text);
        }
      : undefined,
  });
  for (const tag of FILE_TAGS) {
    engine.registerTag(tag, {
      parse() {
        throw new ForbiddenTagError(tag);
      },
      render() {},
    });
  }
  engine.registerFilter('money', money);
  return engine;
}

const engines = new Map<OutputEscapeMode, Liquid>();

/** The shared engine for `mode`. */
export function liquidEngine(mode: OutputEscapeMode): Liquid {
  let engine = engines.get(mode);
  if (!engine) {
    engine = createEngine(mode);
    engines.set(mode, engine);
  }
  return engine;
}

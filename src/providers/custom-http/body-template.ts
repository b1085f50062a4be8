import type * as liquidjsModule from 'liquidjs';
import type { Liquid, Template } from 'liquidjs';
import { lazyRequire } from '../../lazy-require.ts';

/** Loaded with the first custom-http account's template: a process that has none does not hold Liquid. */
const liquidjs = lazyRequire<typeof liquidjsModule>('liquidjs');

/**
 * The Liquid body template of a custom-http account. Providers may not use src/templates,
 * so this is its own small engine, locked down the same way: strict variables and filters,
 * no file system (an empty in-memory store, no include/render/layout), bounded parse, time
 * and memory. Every `{{ output }}` is escaped for the body's format, decided when the
 * template is parsed: JSON-string escaping (a title with `"` cannot end the string it sits
 * in), or URL-encoding for form bodies. `| raw` does not exist here; `| json` as the last
 * filter writes the value as a JSON literal (`{{ metadata | json }}` → `{"team":"ops"}`).
 */

export type BodyFormat = 'json' | 'form' | 'text';

/** The format a content type's escaping follows, or undefined for one we cannot escape for (XML, multipart). */
export function bodyFormatOf(contentType: string): BodyFormat | undefined {
  const essence = contentType.split(';', 1)[0].trim().toLowerCase();
  if (essence === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(essence)) return 'json';
  if (essence === 'application/x-www-form-urlencoded') return 'form';
  if (essence === 'text/plain') return 'text';
  return undefined;
}

export const BODY_TEMPLATE_LIMITS = {
  /** Characters of template source accepted by one parse (the config field's maxLength too). */
  parseLimitChars: 20_000,
  /** Wall time of one render; the render runs on the worker's event loop. */
  renderLimitMs: 200,
  /** liquidjs allocation units (≈ characters and array items created while rendering). */
  memoryLimitUnits: 2_000_000,
} as const;

/** Where a template problem is, 1-based; absent for errors without a token (limits). */
export interface TemplatePosition {
  line: number;
  column: number;
}

export class BodyTemplateError extends Error {
  readonly position: TemplatePosition | undefined;
  constructor(reason: string, position: TemplatePosition | undefined) {
    super(position ? `line ${position.line}, column ${position.column}: ${reason}` : reason);
    this.name = 'BodyTemplateError';
    this.position = position;
  }
}

/** liquidjs output stringification: nil → '', arrays joined. */
function stringifyOutput(value: unknown): string {
  const plain = liquidjs().toValue(value);
  if (typeof plain === 'string') return plain;
  if (plain === null || plain === undefined) return '';
  if (Array.isArray(plain)) return plain.map(stringifyOutput).join('');
  return String(plain);
}

/** The inside of a JSON string literal, quotes excluded: the template writes them. */
const escapeJsonString = (text: string) => JSON.stringify(text).slice(1, -1);
/** Lone surrogates are replaced rather than failing encodeURIComponent. */
const escapeFormValue = (text: string) => encodeURIComponent(text.toWellFormed());

const escapers: Record<BodyFormat, ((text: string) => string) | undefined> = {
  json: escapeJsonString,
  form: escapeFormValue,
  text: undefined,
};

/** `JSON.stringify` with undefined as `null`, so `{{ missing | json }}` still leaves valid JSON. */
const jsonLiteral = (value: unknown) => JSON.stringify(liquidjs().toValue(value)) ?? 'null';

interface FilterThis {
  context: { memoryLimit: { use(count: number): void } };
}

function createEngine(format: BodyFormat): Liquid {
  const escape = escapers[format];
  const engine = new (liquidjs().Liquid)({
    strictVariables: true,
    strictFilters: true,
    lenientIf: true,
    ownPropertyOnly: true,
    // An empty in-memory store: no lookup can reach the file system.
    templates: {},
    relativeReference: false,
    timezoneOffset: 0,
    parseLimit: BODY_TEMPLATE_LIMITS.parseLimitChars,
    renderLimit: BODY_TEMPLATE_LIMITS.renderLimitMs,
    memoryLimit: BODY_TEMPLATE_LIMITS.memoryLimitUnits,
    outputEscape: escape
      ? function (this: FilterThis, value: unknown) {
          const text = stringifyOutput(value);
          this.context.memoryLimit.use(text.length);
          return escape(text);
        }
      : undefined,
  });
  for (const tag of ['include', 'render', 'layout']) {
    engine.registerTag(tag, {
      parse() {
        throw new Error(`the {% ${tag} %} tag is not allowed: a body template cannot load other templates or files`);
      },
      render() {},
    });
  }
  // `raw` would let a value out of its escaping (a quote ending the JSON string); there is no need for it.
  engine.unregisterFilter('raw');
  // In a JSON body a trailing `| json` is a complete JSON value and so safe unescaped; in a form it is URL-encoded like any value.
  engine.registerFilter('json', { handler: jsonLiteral, raw: format === 'json' });
  return engine;
}

const engines = new Map<BodyFormat, Liquid>();

function engineFor(format: BodyFormat): Liquid {
  let engine = engines.get(format);
  if (!engine) {
    engine = createEngine(format);
    engines.set(format, engine);
  }
  return engine;
}

function toTemplateError(error: unknown): BodyTemplateError {
  if (!(error instanceof Error)) return new BodyTemplateError(String(error), undefined);
  const { LiquidError } = liquidjs();
  const [line, column] = error instanceof LiquidError ? (error.token?.getPosition() ?? []) : [];
  const cause = error instanceof LiquidError && error.originalError ? error.originalError : error;
  // liquidjs appends ", line:2, col:4"; the position is reported once, in front.
  const reason = cause.message.replace(/, line:\d+, col:\d+$/, '');
  return new BodyTemplateError(reason, line !== undefined && column !== undefined ? { line, column } : undefined);
}

export interface CompiledBodyTemplate {
  /** Throws BodyTemplateError (a missing variable, a limit) naming the position. */
  render(scope: Record<string, unknown>): Promise<string>;
}

/** Parses once; throws BodyTemplateError with the line and column of a syntax error. */
export function compileBodyTemplate(source: string, format: BodyFormat): CompiledBodyTemplate {
  const engine = engineFor(format);
  let templates: Template[];
  try {
    templates = engine.parse(source);
  } catch (error) {
    throw toTemplateError(error);
  }
  return {
    async render(scope) {
      try {
        return String(await engine.render(templates, scope));
      } catch (error) {
        throw toTemplateError(error);
      }
    },
  };
}

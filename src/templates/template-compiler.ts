import type { Template } from 'liquidjs';
import { IM_OVERRIDE_CHANNELS } from '../channels/channel-catalog.ts';
import { liquidEngine, type OutputEscapeMode } from './liquid-engine.ts';
import type { BodyFormat, TemplateContent, TemplateVariant } from './template-content.ts';
import { templateError } from './template-errors.ts';
import { LruCache } from '../lru-cache.ts';

/**
 * Parses every Liquid field of a template version once — the default content and each
 * locale variant merged over it — and caches the result per caller-supplied key
 * (e.g. `templateId@version`), LRU-bounded. A key must always name the same content:
 * a new version needs a new key.
 */

/** Template content without its locale table: what one variant renders from. */
export type ResolvedContent = Omit<TemplateContent, 'locales'>;

export interface CompiledField {
  /** Where the source lives in the template content, for error messages (`body`, `locales.en.title`). */
  readonly path: string;
  readonly mode: OutputEscapeMode;
  readonly templates: Template[];
}

export interface CompiledVariant {
  /** The variant's locale tag; the template's `defaultLocale` for the default content. */
  readonly locale: string | undefined;
  readonly content: ResolvedContent;
  /** Keyed by the field path inside the resolved content, e.g. `channels.sms.params.code`. */
  readonly fields: ReadonlyMap<string, CompiledField>;
}

export interface CompiledTemplate {
  readonly templateCode: string;
  readonly defaultVariant: CompiledVariant;
  /** Keyed by the locale tag as written in the template. */
  readonly localeVariants: ReadonlyMap<string, CompiledVariant>;
}

/** Fields holding literal values (ids, codes, enums) rather than Liquid. */
const NOT_LIQUID = new Set([
  'bodyFormat',
  'defaultLocale',
  'channels.sms.templateCode',
  'channels.wechat.templateId',
  'channels.wechat.miniprogram.appId',
  'channels.miniprogram.templateId',
  'channels.miniprogram.state',
  'channels.miniprogram.lang',
  'channels.inbox.severity',
]);
const IM_MARKDOWN = new RegExp(`^channels\\.(?:${IM_OVERRIDE_CHANNELS.join('|')})\\.markdown$`);

/** How a field's `{{ output }}` values are escaped: by the syntax the field is written in. */
function escapeModeOf(path: string, bodyFormat: BodyFormat): OutputEscapeMode {
  if (path === 'body') return bodyFormat === 'markdown' ? 'markdown' : bodyFormat === 'html' ? 'html' : 'none';
  if (path === 'channels.email.html' || path === 'channels.wecom.textcard.description') return 'html';
  if (path === 'channels.inbox.body' || path === 'channels.wecom.markdown' || IM_MARKDOWN.test(path)) return 'markdown';
  return 'none';
}

export function compileTemplate(templateCode: string, content: TemplateContent): CompiledTemplate {
  const { locales = {}, ...base } = content;
  // The same source in the same mode is parsed once, however many variants share it.
  const parsed = new Map<string, Template[]>();

  const compileVariant = (resolved: ResolvedContent, locale: string | undefined, variant?: { tag: string; content: TemplateVariant }): CompiledVariant => {
    const fields = new Map<string, CompiledField>();
    for (const [segments, source] of stringLeaves(resolved, [])) {
      const key = segments.join('.');
      if (NOT_LIQUID.has(key)) continue;
      const mode = escapeModeOf(key, resolved.bodyFormat ?? 'markdown');
      const path = variant && valueAt(variant.content, segments) !== undefined ? `locales.${variant.tag}.${key}` : key;
      const cacheKey = `${mode}\u0000${source}`;
      let templates = parsed.get(cacheKey);
      if (!templates) {
        try {
          templates = liquidEngine(mode).parse(source);
        } catch (error) {
          throw templateError(error, { templateCode, field: path });
        }
        parsed.set(cacheKey, templates);
      }
      fields.set(key, { path, mode, templates });
    }
    return { locale, content: resolved, fields };
  };

  return {
    templateCode,
    defaultVariant: compileVariant(base, base.defaultLocale),
    localeVariants: new Map(
      Object.entries(locales).map(([tag, variant]) => [tag, compileVariant(deepMerge(base, variant), tag, { tag, content: variant })]),
    ),
  };
}

export interface TemplateCompiler {
  /** The compiled template for `cacheKey`, compiling on a miss. Without a key (inline content) nothing is cached. */
  compile(cacheKey: string | undefined, templateCode: string, content: TemplateContent): CompiledTemplate;
  /** Compilations performed (cache misses), for metrics and tests. */
  readonly compileCount: number;
  readonly size: number;
}

export interface TemplateCompilerOptions {
  /** Compiled templates kept; the least recently used is dropped beyond it. Default 500. */
  maxEntries?: number;
  compile?: (templateCode: string, content: TemplateContent) => CompiledTemplate;
}

export function createTemplateCompiler(options: TemplateCompilerOptions = {}): TemplateCompiler {
  const maxEntries = options.maxEntries ?? 500;
  const compile = options.compile ?? compileTemplate;
  const cache = new LruCache<string, CompiledTemplate>(maxEntries);
  let compileCount = 0;

  return {
    compile(cacheKey, templateCode, content) {
      const hit = cacheKey !== undefined ? cache.get(cacheKey) : undefined;
      if (hit) return hit;
      compileCount++;
      const compiled = compile(templateCode, content);
      if (cacheKey !== undefined) cache.set(cacheKey, compiled);
      return compiled;
    },
    get compileCount() {
      return compileCount;
    },
    get size() {
      return cache.size;
    },
  };
}

/** Array items are leaves by index: `channels.wecom.news.articles.0.title`. */
function* stringLeaves(value: unknown, path: string[]): Generator<[string[], string]> {
  if (typeof value === 'string') {
    yield [path, value];
  } else if (isPlainObject(value) || Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) yield* stringLeaves(child, [...path, key]);
  }
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isPlainObject(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A locale variant over the default content: objects merge key by key, other values replace. */
function deepMerge<Base extends object>(base: Base, override: object): Base {
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged as Base;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

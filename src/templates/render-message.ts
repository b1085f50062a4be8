import type { ChannelName } from '../channels/channel-catalog.ts';
import type { RenderedMessage } from '../providers/provider.ts';
import { renderChannelMessage, type MessageSource, type RenderedBody } from './channel-renderers.ts';
import { htmlToText, sanitizeHtmlFragment } from './html-sanitize.ts';
import { liquidEngine } from './liquid-engine.ts';
import { selectLocale } from './locale-select.ts';
import { parseMarkdown, plainTextDocument } from './markdown-document.ts';
import { createTemplateCompiler, type CompiledTemplate, type CompiledVariant, type TemplateCompiler } from './template-compiler.ts';
import type { TemplateContent, VariablesSchema } from './template-content.ts';
import { templateError } from './template-errors.ts';
import { checkVariables } from './variables-check.ts';

/**
 * The entry point for the API (accept-time validation, previews) and the worker
 * (rendering one delivery): data is checked against the declared variables, the
 * locale variant chosen, the cached compiled template rendered, and the result
 * formatted for the channel. Inline content goes through the same path
 * (`inlineTemplateContent`, no cache key).
 */
export interface RenderRequest {
  /** Identifies the template version in the compile cache, e.g. `${templateId}@${version}`; omit for inline content. */
  cacheKey?: string;
  /** Named in every error (the template's stable code, or e.g. "inline"). */
  templateCode: string;
  content: TemplateContent;
  variables?: VariablesSchema;
  data: Record<string, unknown>;
  channel: ChannelName;
  /** The receiver's locale (BCP 47, e.g. zh-CN). */
  locale?: string;
}

export interface RenderOptions {
  /** Defaults to one compiler shared by the process. */
  compiler?: TemplateCompiler;
  /**
   * When Liquid must stop (a `performance.now()` time): the render budget. Without it each
   * field has liquidjs' own per-render limit.
   */
  deadline?: number;
}

export const sharedTemplateCompiler: TemplateCompiler = createTemplateCompiler();

export function renderForChannel(request: RenderRequest, options: RenderOptions = {}): RenderedMessage {
  return messageSourceFor(request, options, (source) => renderChannelMessage(request.channel, source));
}

/**
 * Renders every requested channel once, so that a missing variable, a Liquid error or
 * an over-long SMS is refused when the message is accepted (422) rather than failing
 * in the worker. Returns the rendered messages (for previews).
 */
export function validateRender(
  request: Omit<RenderRequest, 'channel'> & { channels: readonly ChannelName[] },
  options: RenderOptions = {},
): Map<ChannelName, RenderedMessage> {
  return messageSourceFor(request, options, (source) => new Map(request.channels.map((channel) => [channel, renderChannelMessage(channel, source)])));
}

function messageSourceFor<Result>(
  request: Omit<RenderRequest, 'channel'>,
  options: RenderOptions,
  use: (source: MessageSource) => Result,
): Result {
  checkVariables(request.variables ?? [], request.data, request.templateCode);
  const compiler = options.compiler ?? sharedTemplateCompiler;
  const compiled = compiler.compile(request.cacheKey, request.templateCode, request.content);
  return use(createMessageSource(compiled, chooseVariant(compiled, request.locale), request.data, request.locale, options.deadline));
}

function chooseVariant(compiled: CompiledTemplate, locale: string | undefined): CompiledVariant {
  const tag = selectLocale({
    requested: locale,
    variants: [...compiled.localeVariants.keys()],
    defaultLocale: compiled.defaultVariant.locale,
  });
  return (tag !== undefined && compiled.localeVariants.get(tag)) || compiled.defaultVariant;
}

/** Renders fields on first use and keeps them, so several channels share one Liquid run per field. */
function createMessageSource(
  compiled: CompiledTemplate,
  variant: CompiledVariant,
  data: Record<string, unknown>,
  receiverLocale: string | undefined,
  deadline: number | undefined,
): MessageSource {
  const { templateCode } = compiled;
  const locale = variant.locale ?? receiverLocale;
  const globals = { locale };
  const renderedFields = new Map<string, string>();
  const bodies = new Map<string, RenderedBody>();

  const field = (path: string): string | undefined => {
    const compiledField = variant.fields.get(path);
    if (!compiledField) return undefined;
    let rendered = renderedFields.get(path);
    if (rendered === undefined) {
      try {
        // A copy per field: `{% increment %}` writes to the scope it is given, and fields must not see each other's writes.
        const renderLimit = deadline === undefined ? undefined : Math.max(0, deadline - performance.now());
        rendered = String(liquidEngine(compiledField.mode).renderSync(compiledField.templates, { ...data }, { globals, renderLimit }));
      } catch (error) {
        throw templateError(error, { templateCode, field: compiledField.path });
      }
      renderedFields.set(path, rendered);
    }
    return rendered;
  };

  const fieldMap = (path: string): Record<string, string> | undefined => {
    const prefix = `${path}.`;
    const keys = [...variant.fields.keys()].filter((key) => key.startsWith(prefix));
    return keys.length === 0 ? undefined : Object.fromEntries(keys.map((key) => [key.slice(prefix.length), field(key) ?? '']));
  };

  const defaultBody = (): RenderedBody => {
    const source = field('body') ?? '';
    switch (variant.content.bodyFormat ?? 'markdown') {
      case 'markdown':
        return { document: parseMarkdown(source) };
      case 'text':
        return { document: plainTextDocument(source) };
      case 'html': {
        const html = sanitizeHtmlFragment(source);
        return { document: plainTextDocument(htmlToText(html)), html };
      }
    }
  };

  const cachedBody = (key: string, build: () => RenderedBody): RenderedBody => {
    let rendered = bodies.get(key);
    if (!rendered) {
      rendered = build();
      bodies.set(key, rendered);
    }
    return rendered;
  };

  const body = (override?: { path: string; format: 'markdown' | 'text' }): RenderedBody => {
    const overrideSource = override && field(override.path);
    if (!override || overrideSource === undefined) return cachedBody('body', defaultBody);
    return cachedBody(override.path, () => ({
      document: override.format === 'markdown' ? parseMarkdown(overrideSource) : plainTextDocument(overrideSource),
    }));
  };

  return { templateCode, locale, content: variant.content, field, fieldMap, body };
}

import { HeraldError, unprocessable, type ErrorKind } from '../errors.ts';
import type { ChannelName } from '../channels/channel-catalog.ts';
import type { RenderedMessage } from '../providers/provider.ts';
import { validateRender } from './render-message.ts';
import type { CompiledTemplate, TemplateCompiler } from './template-compiler.ts';
import type { TemplateContent, VariablesSchema } from './template-content.ts';

/**
 * One unit of work for a render thread: a template and the variable sets to render it
 * with. Everything here crosses a thread boundary, so it is plain data (structured clone).
 */

/** What a render thread posts once it can take tasks. */
export const THREAD_READY = 'ready';

/** The template to render. Its content travels with every task; threads cache the compiled form by `cacheKey`. */
export interface TemplateRef {
  /** Identifies the template version in the compile cache; omit for content that changes (drafts). */
  cacheKey?: string;
  templateCode: string;
  content: TemplateContent;
  variables?: VariablesSchema;
}

export interface RenderItem {
  data: Record<string, unknown>;
  channels: readonly ChannelName[];
  locale?: string;
}

export interface RenderTask {
  template: TemplateRef;
  items: RenderItem[];
  /**
   * `shared`: the items share `budgetMs` and the task stops at the first failure (accept-time
   * checks, previews). `each`: every item has `budgetMs` of its own and its own result, and
   * the task stops taking new items once `budgetMs` has passed (deliveries at send time).
   */
  budget: 'shared' | 'each';
  budgetMs: number;
  /** Answer with the rendered messages, or only whether each item rendered. */
  output: boolean;
}

/** A HeraldError as it crosses the thread boundary. */
export interface TransferredError {
  message: string;
  herald: { kind: ErrorKind; code: string; details: Record<string, unknown> };
}

export type ItemResult =
  | { ok: true; rendered?: Array<[ChannelName, RenderedMessage]> }
  | { ok: false; error: TransferredError; overBudget: boolean };

export interface RenderTaskResult {
  /** In item order; shorter than the task's items when an `each` task stopped at its budget. */
  results: ItemResult[];
  elapsedMs: number;
  /** The template does not parse: nothing was rendered. */
  parseError?: TransferredError;
}

/**
 * Runs a task in the current thread: the body of a render thread, and directly callable in
 * tests. The template is parsed (or found in the compile cache) first, also when there are
 * no items: that is how saved drafts are checked.
 */
export function executeRenderTask(task: RenderTask, compiler: TemplateCompiler): RenderTaskResult {
  const started = performance.now();
  const { cacheKey, templateCode, content } = task.template;
  let compiled: CompiledTemplate;
  try {
    compiled = compiler.compile(cacheKey, templateCode, content);
  } catch (error) {
    return { results: [], elapsedMs: performance.now() - started, parseError: transferError(error, templateCode) };
  }
  // Content without a cache key (drafts) is parsed once per task, not once per item.
  const parsed: TemplateCompiler = { compile: () => compiled, compileCount: 0, size: 0 };
  const results: ItemResult[] = [];
  for (const item of task.items) {
    const itemStarted = performance.now();
    if (task.budget === 'each' && results.length > 0 && itemStarted - started >= task.budgetMs) break;
    const deadline = (task.budget === 'shared' ? started : itemStarted) + task.budgetMs;
    try {
      const rendered = validateRender({ ...task.template, ...item }, { compiler: parsed, deadline });
      // Formatting for channels is not interruptible; finishing past the deadline is over budget all the same.
      if (performance.now() > deadline) results.push({ ok: false, error: transferError(new Error('over budget'), task.template.templateCode), overBudget: true });
      else results.push(task.output ? { ok: true, rendered: [...rendered] } : { ok: true });
    } catch (error) {
      results.push({ ok: false, error: transferError(error, task.template.templateCode), overBudget: performance.now() >= deadline });
    }
    if (task.budget === 'shared' && !results.at(-1)!.ok) break;
  }
  return { results, elapsedMs: performance.now() - started };
}

/** Liquid errors are HeraldErrors already; anything else came from formatting what the template produced (e.g. Markdown nested too deep). */
function transferError(error: unknown, templateCode: string): TransferredError {
  const herald =
    error instanceof HeraldError
      ? error
      : unprocessable('TEMPLATE_RENDER_ERROR', `Template "${templateCode}" produced content that could not be formatted: ${error instanceof Error ? error.message : String(error)}`, { templateCode });
  return { message: herald.message, herald: { kind: herald.kind, code: herald.code, details: herald.details } };
}

export function receiveError(error: TransferredError): HeraldError {
  return new HeraldError(error.herald.kind, error.herald.code, error.message, error.herald.details);
}

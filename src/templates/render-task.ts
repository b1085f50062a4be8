import { HeraldError, unprocessable, type ErrorKind } from '../errors.ts';
import type { ChannelName } from '../channels/channel-catalog.ts';
import type { RenderedMessage } from '../providers/provider.ts';
import type { TemplateContent, VariablesSchema } from './template-content.ts';

/**
 * What the event loop and a render thread say to each other: a task (a template and the
 * variable sets to render it with) and its result. Everything here crosses a thread
 * boundary, so it is plain data (structured clone). Kept free of the rendering code, so the
 * event loop's process does not load it.
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

/** Liquid errors are HeraldErrors already; anything else came from formatting what the template produced (e.g. Markdown nested too deep). */
export function transferError(error: unknown, templateCode: string): TransferredError {
  const herald =
    error instanceof HeraldError
      ? error
      : unprocessable('TEMPLATE_RENDER_ERROR', `Template "${templateCode}" produced content that could not be formatted: ${error instanceof Error ? error.message : String(error)}`, { templateCode });
  return { message: herald.message, herald: { kind: herald.kind, code: herald.code, details: herald.details } };
}

export function receiveError(error: TransferredError): HeraldError {
  return new HeraldError(error.herald.kind, error.herald.code, error.message, error.herald.details);
}

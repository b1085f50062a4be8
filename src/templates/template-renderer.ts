import { unprocessable, type HeraldError } from '../errors.ts';
import type { ChannelName } from '../channels/channel-catalog.ts';
import type { RenderedMessage } from '../providers/provider.ts';
import { RenderThreadLostError, type RenderPool } from './render-pool.ts';
import { receiveError, type ItemResult, type RenderItem, type RenderTask, type RenderTaskResult, type TemplateRef } from './render-task.ts';

/**
 * Rendering untrusted templates within a budget, on the render threads: the entry point
 * for the API (accept-time checks, previews, publishing) and the worker (deliveries).
 * Items go to the threads in chunks sized to take about CHUNK_TARGET_MS, so a thousand
 * receivers of one message cost a few thread round trips, and other apps get their turn
 * between chunks. Nothing here loads the rendering code: only the threads do.
 */

export interface TemplateRendererOptions {
  pool: RenderPool;
  /** Render time all the items of one request may use together. */
  requestBudgetMs: number;
  /** Render time of one delivery. */
  deliveryBudgetMs: number;
}

export type RenderedChannels = Map<ChannelName, RenderedMessage>;

export interface TemplateRenderer {
  /**
   * Renders every item within one request budget and throws the first failure (a 422
   * HeraldError; RENDER_BUDGET_EXCEEDED when the budget runs out). With `output: false`
   * only checks, and answers empty maps.
   */
  renderAll(template: TemplateRef, items: RenderItem[], options: { queueKey: string; output: boolean }): Promise<RenderedChannels[]>;
  /** Renders deliveries, each within its own budget: every item gets its rendering or its error. */
  renderEach(template: TemplateRef, items: RenderItem[], queueKey: string): Promise<Array<RenderedChannels | Error>>;
  /** Parses the template (a saved draft), within a request budget; throws its Liquid error. */
  parse(template: TemplateRef, queueKey: string): Promise<void>;
}

type RenderBudgetScope = 'request' | 'delivery';

/** Rendering ran out of its time budget: cooperatively stopped by Liquid, or its thread terminated. */
function renderBudgetExceeded(templateCode: string, scope: RenderBudgetScope, budgetMs: number): HeraldError {
  const advice =
    scope === 'request'
      ? 'Send fewer receivers with their own data per request, or make the template cheaper to render (shorter loops, less data).'
      : 'Make the template cheaper to render (shorter loops, less data).';
  return unprocessable('RENDER_BUDGET_EXCEEDED', `Rendering template "${templateCode}" took longer than the ${budgetMs} ms a ${scope} may use. ${advice}`, {
    templateCode,
    budgetMs,
  });
}

/** A render thread ran out of memory: liquidjs' allocation limit did not catch it. */
function renderMemoryExceeded(templateCode: string): HeraldError {
  return unprocessable('TEMPLATE_LIMIT_EXCEEDED', `Template "${templateCode}" used more memory than a render may; render less data or shorter loops.`, { templateCode });
}

const FIRST_CHUNK_ITEMS = 4;
const CHUNK_TARGET_MS = 20;
const MAX_CHUNK_ITEMS = 1000;

function nextChunkSize(result: RenderTaskResult): number {
  const perItemMs = result.elapsedMs / Math.max(1, result.results.length);
  return Math.max(1, Math.min(MAX_CHUNK_ITEMS, Math.floor(CHUNK_TARGET_MS / Math.max(perItemMs, 0.001))));
}

export function createTemplateRenderer(options: TemplateRendererOptions): TemplateRenderer {
  const { pool } = options;

  function failure(template: TemplateRef, scope: RenderBudgetScope, budgetMs: number, result: Extract<ItemResult, { ok: false }>): Error {
    return result.overBudget ? renderBudgetExceeded(template.templateCode, scope, budgetMs) : receiveError(result.error);
  }

  function threadLoss(error: unknown, template: TemplateRef, scope: RenderBudgetScope, budgetMs: number): Error {
    if (!(error instanceof RenderThreadLostError) || error.reason === 'crashed') return error as Error;
    return error.reason === 'over-time' ? renderBudgetExceeded(template.templateCode, scope, budgetMs) : renderMemoryExceeded(template.templateCode);
  }

  return {
    async renderAll(template, items, { queueKey, output }) {
      const budgetMs = options.requestBudgetMs;
      const rendered: RenderedChannels[] = [];
      let remainingMs = budgetMs;
      let chunkSize = FIRST_CHUNK_ITEMS;
      while (rendered.length < items.length) {
        if (remainingMs <= 0) throw renderBudgetExceeded(template.templateCode, 'request', budgetMs);
        const task: RenderTask = { template, items: items.slice(rendered.length, rendered.length + chunkSize), budget: 'shared', budgetMs: remainingMs, output };
        let result: RenderTaskResult;
        try {
          result = await pool.run(task, queueKey, { continuation: rendered.length > 0, moreToCome: rendered.length + task.items.length < items.length });
        } catch (error) {
          throw threadLoss(error, template, 'request', budgetMs);
        }
        if (result.parseError) throw receiveError(result.parseError);
        for (const item of result.results) {
          if (!item.ok) throw failure(template, 'request', budgetMs, item);
          rendered.push(new Map(item.rendered));
        }
        remainingMs -= result.elapsedMs;
        chunkSize = nextChunkSize(result);
      }
      return rendered;
    },

    async renderEach(template, items, queueKey) {
      const budgetMs = options.deliveryBudgetMs;
      const results: Array<RenderedChannels | Error> = [];
      let chunkSize = FIRST_CHUNK_ITEMS;
      // After a thread was terminated, the items of its chunk go one by one, so only the culprit fails.
      let isolateUntil = 0;
      while (results.length < items.length) {
        const start = results.length;
        const chunk = items.slice(start, start + (start < isolateUntil ? 1 : chunkSize));
        let result: RenderTaskResult;
        try {
          result = await pool.run({ template, items: chunk, budget: 'each', budgetMs, output: true }, queueKey, { continuation: start > 0, moreToCome: start + chunk.length < items.length });
        } catch (error) {
          if (chunk.length > 1 && error instanceof RenderThreadLostError) {
            isolateUntil = start + chunk.length;
            continue;
          }
          results.push(threadLoss(error, template, 'delivery', budgetMs));
          continue;
        }
        if (result.parseError) return [...results, ...items.slice(start).map(() => receiveError(result.parseError!))];
        for (const item of result.results) results.push(item.ok ? new Map(item.rendered) : failure(template, 'delivery', budgetMs, item));
        chunkSize = nextChunkSize(result);
      }
      return results;
    },

    async parse(template, queueKey) {
      const budgetMs = options.requestBudgetMs;
      let result: RenderTaskResult;
      try {
        result = await pool.run({ template, items: [], budget: 'shared', budgetMs, output: false }, queueKey);
      } catch (error) {
        throw threadLoss(error, template, 'request', budgetMs);
      }
      if (result.parseError) throw receiveError(result.parseError);
    },
  };
}

import { parentPort } from 'node:worker_threads';
import { CHANNEL_CATALOG, CHANNELS } from '../channels/channel-catalog.ts';
import { validateRender } from './render-message.ts';
import { THREAD_READY, transferError, type ItemResult, type RenderTask, type RenderTaskResult } from './render-task.ts';
import { createTemplateCompiler, type CompiledTemplate, type TemplateCompiler } from './template-compiler.ts';

/**
 * A render thread (started by render-pool.ts): runs one task at a time and answers with
 * its result. Before it says it is ready it renders a small template for every channel,
 * so that loading the formatters (juice, sanitize-html) and warming up is never charged
 * to the first tenant's render budget.
 */

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

// Every channel that renders from Herald's own content (vendor-template channels need overrides).
const WARM_UP_CHANNELS = CHANNELS.filter((channel) => !CHANNEL_CATALOG[channel].vendorTemplatesOnly);

const port = parentPort;
if (port) {
  const compiler = createTemplateCompiler();
  for (const bodyFormat of ['markdown', 'html'] as const) {
    executeRenderTask(
      {
        template: { templateCode: 'warm-up', content: { title: '{{ a }}', body: '<p>**{{ a }}** {% for i in (1..3) %}{{ i | money }}{% endfor %}</p>', bodyFormat } },
        items: [{ data: { a: 'x' }, channels: WARM_UP_CHANNELS }],
        budget: 'shared',
        budgetMs: 60_000,
        output: true,
      },
      compiler,
    );
  }
  port.on('message', (task: RenderTask) => port.postMessage(executeRenderTask(task, compiler)));
  port.postMessage(THREAD_READY);
}

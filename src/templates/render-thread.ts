import { parentPort } from 'node:worker_threads';
import type { ChannelName } from '../channels/channel-catalog.ts';
import { executeRenderTask, THREAD_READY, type RenderTask } from './render-task.ts';
import { createTemplateCompiler } from './template-compiler.ts';

/**
 * A render thread (started by render-pool.ts): runs one task at a time and answers with
 * its result. Before it says it is ready it renders a small template for every channel,
 * so that loading the formatters (juice, sanitize-html) and warming up is never charged
 * to the first tenant's render budget.
 */

const WARM_UP_CHANNELS: ChannelName[] = ['email', 'inbox', 'sms', 'webhook', 'dingtalk', 'wecom', 'feishu', 'slack', 'telegram', 'discord'];

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

import { pino } from 'pino';
import type { ChannelName } from '../src/channels/channel-catalog.ts';
import { orderPaidContent, orderPaidData, orderPaidVariables } from '../src/templates/golden/order-paid-template.ts';
import { liquidEngine } from '../src/templates/liquid-engine.ts';
import { renderForChannel } from '../src/templates/render-message.ts';
import { createRenderPool } from '../src/templates/render-pool.ts';
import type { RenderItem, TemplateRef } from '../src/templates/render-task.ts';
import { createTemplateCompiler } from '../src/templates/template-compiler.ts';
import { createTemplateRenderer } from '../src/templates/template-renderer.ts';
import { compared, type ScenarioContext, type ScenarioResult } from './scenario-kit.ts';

/** The channels a worker renders for, round robin. */
const CHANNELS: ChannelName[] = ['email', 'webhook', 'dingtalk', 'wecom', 'feishu', 'slack', 'telegram', 'discord', 'sms', 'inbox'];
const ITEMS_PER_ORDER = 5;
const WARMUP_FRACTION = 0.1;
/** Deliveries of one message the worker hands to the render threads together (one claimed batch). */
const DELIVERIES_PER_GROUP = 100;

/** The golden order-paid template's data with a different order each time and a longer item loop. */
function orderData(index: number): Record<string, unknown> {
  const items = Array.from({ length: ITEMS_PER_ORDER }, (_, k) => ({ name: `Item ${k} of order ${index}`, quantity: 1 + (k % 3), price: 10 + k * 7.5 }));
  return { ...orderPaidData, order: { ...orderPaidData.order, id: `A-${index}`, items } };
}

function rendersPerSecond(renders: number, renderOne: (index: number) => unknown): number {
  for (let index = 0; index < Math.ceil(renders * WARMUP_FRACTION); index++) renderOne(index);
  const started = performance.now();
  for (let index = 0; index < renders; index++) renderOne(index);
  return renders / ((performance.now() - started) / 1000);
}

/** The same renders as Herald runs them: on a render thread, grouped per message, and one at a time. */
async function poolRendersPerSecond(renders: number): Promise<{ grouped: number; oneAtATime: number }> {
  const pool = createRenderPool({ threads: 1, logger: pino({ level: 'silent' }) });
  try {
    const renderer = createTemplateRenderer({ pool, requestBudgetMs: 60_000, deliveryBudgetMs: 60_000 });
    const template: TemplateRef = { cacheKey: 'bench/order.paid@1', templateCode: 'order.paid', content: orderPaidContent, variables: orderPaidVariables };
    const item = (index: number): RenderItem => ({ data: orderData(index), channels: [CHANNELS[index % CHANNELS.length]] });
    const check = (results: Awaited<ReturnType<typeof renderer.renderEach>>) => {
      const failure = results.find((result) => result instanceof Error);
      if (failure) throw failure;
    };
    check(await renderer.renderEach(template, Array.from({ length: DELIVERIES_PER_GROUP }, (_, index) => item(index)), 'bench'));
    let started = performance.now();
    for (let first = 0; first < renders; first += DELIVERIES_PER_GROUP) {
      const group = Array.from({ length: Math.min(DELIVERIES_PER_GROUP, renders - first) }, (_, k) => item(first + k));
      check(await renderer.renderEach(template, group, 'bench'));
    }
    const grouped = renders / ((performance.now() - started) / 1000);
    const single = Math.ceil(renders / 10);
    started = performance.now();
    for (let index = 0; index < single; index++) check(await renderer.renderEach(template, [item(index)], 'bench'));
    return { grouped, oneAtATime: single / ((performance.now() - started) / 1000) };
  } finally {
    await pool.close();
  }
}

/**
 * Scenario 6: the golden "order paid" template (a Liquid loop, filters, Markdown) rendered
 * for one channel after another, as workers do per delivery, from a warm compile cache.
 * Baseline: the Liquid run of the body alone (same engine and data, no per-channel formatting),
 * so the ratio is the share of time left after formatting for channels. Then the same renders
 * through a render thread, as Herald runs them, grouped per message and one at a time.
 */
export async function runTemplateRenderScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { renders } = context.scale.templateRender;
  const compiler = createTemplateCompiler();
  const render = (index: number, channel: ChannelName) =>
    renderForChannel(
      { cacheKey: 'bench/order.paid@1', templateCode: 'order.paid', content: orderPaidContent, variables: orderPaidVariables, data: orderData(index), channel },
      { compiler },
    );
  context.log(`template-render: ${renders} renders over ${CHANNELS.length} channels`);
  const heraldPerSecond = rendersPerSecond(renders, (index) => render(index, CHANNELS[index % CHANNELS.length]));
  const perChannel = Object.fromEntries(CHANNELS.map((channel) => [channel, rendersPerSecond(Math.ceil(renders / CHANNELS.length), (index) => render(index, channel))]));

  const engine = liquidEngine('markdown');
  const parsedBody = engine.parse(orderPaidContent.body);
  const liquidPerSecond = rendersPerSecond(renders, (index) => engine.renderSync(parsedBody, orderData(index)));

  context.log(`template-render: ${renders} renders on a render thread`);
  const pool = await poolRendersPerSecond(renders);

  const sample = render(1, 'webhook');
  if (!sample.text.includes('Item 4 of order 1')) throw new Error(`the rendered template lacks its loop output: ${sample.text.slice(0, 300)}`);
  return {
    scenario: 'template-render',
    dialect: 'none',
    figures: [
      compared('renders/s (channels round robin)', heraldPerSecond, '/s', 'Liquid body only', liquidPerSecond),
      compared(`renders/s on a render thread, ${DELIVERIES_PER_GROUP} per message`, pool.grouped, '/s', 'in process', heraldPerSecond),
      compared('renders/s on a render thread, one at a time', pool.oneAtATime, '/s', 'in process', heraldPerSecond),
    ],
    details: {
      renders,
      channels: CHANNELS,
      itemsPerOrder: ITEMS_PER_ORDER,
      rendersPerSecondByChannel: perChannel,
      liquidBodyOnlyPerSecond: liquidPerSecond,
      renderThreadPerSecond: { grouped: pool.grouped, oneAtATime: pool.oneAtATime, deliveriesPerGroup: DELIVERIES_PER_GROUP },
    },
  };
}

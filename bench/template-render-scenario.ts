import type { ChannelName } from '../src/channels/channel-catalog.ts';
import { orderPaidContent, orderPaidData, orderPaidVariables } from '../src/templates/golden/order-paid-template.ts';
import { liquidEngine } from '../src/templates/liquid-engine.ts';
import { renderForChannel } from '../src/templates/render-message.ts';
import { createTemplateCompiler } from '../src/templates/template-compiler.ts';
import { compared, type ScenarioContext, type ScenarioResult } from './scenario-kit.ts';

/** The channels a worker renders for, round robin. */
const CHANNELS: ChannelName[] = ['email', 'webhook', 'dingtalk', 'wecom', 'feishu', 'slack', 'telegram', 'discord', 'sms', 'inbox'];
const ITEMS_PER_ORDER = 5;
const WARMUP_FRACTION = 0.1;

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

/**
 * Scenario 6: the golden "order paid" template (a Liquid loop, filters, Markdown) rendered
 * for one channel after another, as workers do per delivery, from a warm compile cache.
 * Baseline: the Liquid run of the body alone (same engine and data, no per-channel formatting),
 * so the ratio is the share of time left after formatting for channels.
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

  const sample = render(1, 'webhook');
  if (!sample.text.includes('Item 4 of order 1')) throw new Error(`the rendered template lacks its loop output: ${sample.text.slice(0, 300)}`);
  return {
    scenario: 'template-render',
    dialect: 'none',
    figures: [compared('renders/s (channels round robin)', heraldPerSecond, '/s', 'Liquid body only', liquidPerSecond)],
    details: { renders, channels: CHANNELS, itemsPerOrder: ITEMS_PER_ORDER, rendersPerSecondByChannel: perChannel, liquidBodyOnlyPerSecond: liquidPerSecond },
  };
}

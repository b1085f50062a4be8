import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, test } from 'node:test';
import { pino } from 'pino';
import { HeraldError } from '../errors.ts';
import { createRenderPool, type RenderPool } from './render-pool.ts';
import type { RenderItem, TemplateRef } from './render-task.ts';
import { createTemplateRenderer, type TemplateRenderer } from './template-renderer.ts';

const logger = pino({ level: 'silent' });

const template = (body: string, code = 'test'): TemplateRef => ({ templateCode: code, content: { title: 'Hi {{ who }}', body, bodyFormat: 'text' } });
const greeting = template('Hello {{ who }}', 'greeting');
/** Liquid checks its render limit on every loop turn: stopped cooperatively at the budget. */
const runaway = template('{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}x{% endfor %}{% endfor %}{% endfor %}', 'runaway');
/** One filter call Liquid cannot interrupt: only terminating the thread stops it. */
const unstoppable = template('{% if big %}{{ big | sort | first }}{% endif %}{{ who }}', 'unstoppable');
const bigList = Array.from({ length: 500_000 }, (_, i) => `k${(i * 7919) % 500_009}`);
const item = (data: Record<string, unknown>): RenderItem => ({ data, channels: ['webhook'] });

async function rejection(promise: Promise<unknown>): Promise<HeraldError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof HeraldError, `expected a HeraldError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('rendering on threads within a budget', () => {
  let pool: RenderPool;
  afterEach(() => pool.close());
  const renderer = (budgets: { requestBudgetMs?: number; deliveryBudgetMs?: number } = {}, killGraceMs?: number): TemplateRenderer => {
    pool = createRenderPool({ threads: 1, logger, killGraceMs });
    return createTemplateRenderer({ pool, requestBudgetMs: 5000, deliveryBudgetMs: 1000, ...budgets });
  };

  test('renders every item, in order, across chunks', async () => {
    const items = Array.from({ length: 50 }, (_, i) => item({ who: `r${i}` }));
    const rendered = await renderer().renderAll(greeting, items, { queueKey: 'app', output: true });
    assert.deepEqual(rendered.map((channels) => channels.get('webhook')?.text), items.map((_, i) => `Hello r${i}`));
    assert.equal(pool.threadsStarted, 1);
  });

  test('a runaway loop is stopped at the request budget with RENDER_BUDGET_EXCEEDED, and the event loop never waits for it', async () => {
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const render = renderer({ requestBudgetMs: 1000 });
    await render.renderAll(greeting, [item({ who: 'warm' })], { queueKey: 'app', output: false });
    delay.enable();
    const started = performance.now();
    const error = await rejection(render.renderAll(runaway, [item({ who: 'x' })], { queueKey: 'app', output: false }));
    const tookMs = performance.now() - started;
    delay.disable();
    assert.equal(error.code, 'RENDER_BUDGET_EXCEEDED');
    assert.match(error.message, /"runaway" took longer than the 1000 ms a request may use\. Send fewer receivers .* or make the template cheaper/);
    assert.ok(tookMs >= 1000 && tookMs < 10_000, `stopped after ${tookMs} ms`);
    // In process, the render would have held the event loop for the whole second (bounded relative to
    // it: on a machine busy with other work every wait is longer).
    assert.ok(delay.max / 1e6 < tookMs / 4, `the event loop waited ${delay.max / 1e6} ms of ${tookMs} ms`);
    assert.equal(pool.threadsStarted, 1, 'stopped by Liquid, not by terminating the thread');
  });

  test('the budget is for all items of a request together, not per item', async () => {
    const loop = template('{% for i in (1..n) %}{{ who }}{{ i }} {% endfor %}', 'loop');
    const render = renderer({ requestBudgetMs: 300 });
    await render.renderAll(greeting, [item({ who: 'warm' })], { queueKey: 'app', output: false });
    const one = performance.now();
    await render.renderAll(loop, [item({ who: 'a', n: 300 })], { queueKey: 'app', output: false });
    assert.ok(performance.now() - one < 300, 'one receiver alone fits the budget');
    const many = Array.from({ length: 1000 }, (_, i) => item({ who: `r${i}`, n: 300 }));
    assert.equal((await rejection(render.renderAll(loop, many, { queueKey: 'app', output: false }))).code, 'RENDER_BUDGET_EXCEEDED');
  });

  test('a render Liquid cannot interrupt gets its thread terminated and replaced', async () => {
    const render = renderer({ requestBudgetMs: 50 }, 50);
    const error = await rejection(render.renderAll(unstoppable, [item({ who: 'x', big: bigList })], { queueKey: 'app', output: false }));
    assert.equal(error.code, 'RENDER_BUDGET_EXCEEDED');
    assert.equal(pool.threadsStarted, 2, 'a replacement thread was started');
    const [after] = await render.renderAll(greeting, [item({ who: 'next' })], { queueKey: 'app', output: true });
    assert.equal(after.get('webhook')?.text, 'Hello next', 'the replacement renders');
  });

  test('deliveries have a budget each: only the over-budget one fails, also when its thread had to be terminated', async () => {
    const render = renderer({ deliveryBudgetMs: 50 }, 50);
    const loop = template('{% for a in (1..n) %}{% for b in (1..n) %}{{ b }}{% endfor %}{% endfor %}{{ who }}', 'loop');
    const cooperative = await render.renderEach(loop, [item({ who: 'a', n: 1 }), item({ who: 'b', n: 10_000 }), item({ who: 'c', n: 1 })], 'app');
    assert.deepEqual(cooperative.map((r) => (r instanceof HeraldError ? r.code : r instanceof Map ? r.get('webhook')?.text : r)), ['1a', 'RENDER_BUDGET_EXCEEDED', '1c']);
    assert.match((cooperative[1] as Error).message, /the 50 ms a delivery may use\. Make the template cheaper/);

    const killed = await render.renderEach(unstoppable, [item({ who: 'a' }), item({ who: 'b', big: bigList }), item({ who: 'c' })], 'app');
    assert.deepEqual(killed.map((r) => (r instanceof HeraldError ? r.code : r instanceof Map ? r.get('webhook')?.text : r)), ['a', 'RENDER_BUDGET_EXCEEDED', 'c']);
    assert.ok(pool.threadsStarted >= 2);
  });

  test('apps take turns: one app with a backlog does not hold up another', async () => {
    const render = renderer({ requestBudgetMs: 100 });
    await render.renderAll(greeting, [item({ who: 'warm' })], { queueKey: 'busy', output: false });
    const finished: string[] = [];
    const track = (name: string, promise: Promise<unknown>) => promise.then(
      () => finished.push(name),
      () => finished.push(name),
    );
    const busy = Array.from({ length: 5 }, (_, k) => track(`busy${k}`, render.renderAll(runaway, [item({ who: 'x' })], { queueKey: 'busy', output: false })));
    const quiet = track('quiet', render.renderAll(greeting, [item({ who: 'q' })], { queueKey: 'quiet', output: false }));
    await Promise.all([...busy, quiet]);
    assert.ok(finished.indexOf('quiet') <= 2, `quiet finished as number ${finished.indexOf('quiet') + 1}: ${finished.join(', ')}`);
  });

  test("an app's requests finish one after another, not all together at the end", async () => {
    const render = renderer();
    await render.renderAll(greeting, [item({ who: 'warm' })], { queueKey: 'app', output: false });
    const loop = template('{% for i in (1..n) %}{{ who }}{{ i }} {% endfor %}', 'loop');
    const started = performance.now();
    // Each request is many chunks of ~20 ms: interleaved chunk by chunk, all three would end together.
    const finishedAtMs = await Promise.all(
      [0, 1, 2].map(async (k) => {
        await render.renderAll(loop, Array.from({ length: 300 }, (_, i) => item({ who: `r${k}-${i}`, n: 200 })), { queueKey: 'app', output: false });
        return performance.now() - started;
      }),
    );
    // One after another the first ends near a third of the way, interleaved all end together (near 1): 0.75 leaves room for a busy machine.
    assert.ok(finishedAtMs[0] < 0.75 * finishedAtMs[2], `finished at ${finishedAtMs.map((ms) => Math.round(ms)).join(', ')} ms`);
  });

  test('errors other than the budget keep their code; closing fails what is queued', async () => {
    const render = renderer();
    const missing = await rejection(render.renderAll(template('{{ nope }}'), [item({ who: 'x' })], { queueKey: 'app', output: false }));
    assert.equal(missing.code, 'TEMPLATE_VARIABLE_MISSING');
    // Markdown nested deeper than the parser's recursion: a 422 naming the template, not a 500.
    const deep = { templateCode: 'deep', content: { title: 't', body: `${'>'.repeat(20_000)} x`, bodyFormat: 'markdown' as const } };
    const unformattable = await rejection(render.renderAll(deep, [item({})], { queueKey: 'app', output: false }));
    assert.equal(unformattable.code, 'TEMPLATE_RENDER_ERROR');
    assert.match(unformattable.message, /Template "deep" produced content that could not be formatted/);
    const running = render.renderAll(runaway, [item({ who: 'x' })], { queueKey: 'app', output: false });
    const queued = render.renderAll(greeting, [item({ who: 'y' })], { queueKey: 'app', output: false });
    const settled = Promise.allSettled([running, queued]);
    await pool.close();
    for (const outcome of await settled) assert.match(String(outcome.status === 'rejected' && outcome.reason), /Herald is stopping/);
  });
});

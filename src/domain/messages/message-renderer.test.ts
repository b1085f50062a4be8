import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeraldContext } from '../../context/herald-context.ts';
import type { RenderItem, TemplateRef } from '../../templates/render-task.ts';
import type { TemplateRenderer } from '../../templates/template-renderer.ts';
import { createMessageRenderer } from './message-renderer.ts';

/** A renderer that records what the accept-time check asked the render threads for, and fails when told to. */
function recordingRenderer() {
  const calls: { template: TemplateRef; items: RenderItem[] }[] = [];
  let failNext = false;
  const renderer = {
    async renderAll(template: TemplateRef, items: RenderItem[]) {
      calls.push({ template, items });
      if (failNext) {
        failNext = false;
        throw new Error('render failed');
      }
      return items.map(() => new Map());
    },
  } as unknown as TemplateRenderer;
  return { renderer, calls, failOnce: () => (failNext = true) };
}

// Inline content reads nothing from the database, so the check needs none.
const context = { database: { db: undefined } } as unknown as HeraldContext;

describe('accept-time template check', () => {
  test('content without Liquid is checked once per channels and locale, whatever the data', async () => {
    const { renderer, calls } = recordingRenderer();
    const { gate } = createMessageRenderer(context, renderer);
    const content = { title: 'Disk full', body: 'db-1 is **full**' };
    await gate.check('app_1', undefined, content, ['webhook'], [{ host: 'db-1' }], undefined);
    await gate.check('app_1', undefined, content, ['webhook'], [{ host: 'db-2' }], undefined);
    assert.equal(calls.length, 1);
    await gate.check('app_1', undefined, content, ['webhook', 'email'], [{}], undefined);
    await gate.check('app_1', undefined, content, ['webhook'], [{}], 'zh-CN');
    await gate.check('app_1', undefined, { ...content, body: 'db-1 is empty' }, ['webhook'], [{}], undefined);
    assert.equal(calls.length, 4);
  });

  test('content with Liquid markup is checked with every data set', async () => {
    const { renderer, calls } = recordingRenderer();
    const { gate } = createMessageRenderer(context, renderer);
    for (const content of [{ body: 'Hi {{ name }}' }, { body: '{% if vip %}VIP{% endif %}' }, { title: '{{ host }}', body: 'static' }]) {
      await gate.check('app_1', undefined, content, ['webhook'], [{ name: 'a', vip: true, host: 'h' }], undefined);
      await gate.check('app_1', undefined, content, ['webhook'], [{ name: 'b', vip: false, host: 'h' }], undefined);
    }
    assert.equal(calls.length, 6);
    assert.deepEqual(calls[1]!.items[0]!.data, { name: 'b', vip: false, host: 'h' });
  });

  test('a failed check is not remembered: the same content is checked again', async () => {
    const { renderer, calls, failOnce } = recordingRenderer();
    const { gate } = createMessageRenderer(context, renderer);
    failOnce();
    await assert.rejects(gate.check('app_1', undefined, { body: 'static' }, ['sms'], [{}], undefined), /render failed/);
    await gate.check('app_1', undefined, { body: 'static' }, ['sms'], [{}], undefined);
    await gate.check('app_1', undefined, { body: 'static' }, ['sms'], [{}], undefined);
    assert.equal(calls.length, 2);
  });
});

import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { heraldError } from '../../test/support/herald-error.ts';
import { parseConfig } from './config.ts';

test('render threads and budgets: defaults, values, and a bad value named', () => {
  assert.deepEqual(parseConfig({}).render, { threads: Math.max(1, os.availableParallelism() - 1), requestBudgetMs: 5000, deliveryBudgetMs: 1000 });
  assert.deepEqual(
    parseConfig({ HERALD_RENDER_THREADS: '3', HERALD_RENDER_REQUEST_BUDGET_MS: '2500', HERALD_RENDER_DELIVERY_BUDGET_MS: '200' }).render,
    { threads: 3, requestBudgetMs: 2500, deliveryBudgetMs: 200 },
  );
  for (const [name, value, message] of [
    ['HERALD_RENDER_THREADS', '0', /HERALD_RENDER_THREADS: must be between 1 and 256, got 0/],
    ['HERALD_RENDER_THREADS', 'two', /HERALD_RENDER_THREADS: expected a whole number, got "two"/],
    ['HERALD_RENDER_REQUEST_BUDGET_MS', '5', /HERALD_RENDER_REQUEST_BUDGET_MS: must be between 10 and 600000/],
    ['HERALD_RENDER_DELIVERY_BUDGET_MS', '1.5', /HERALD_RENDER_DELIVERY_BUDGET_MS: expected a whole number/],
  ] as const) {
    const error = heraldError(() => parseConfig({ [name]: value }));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, message);
  }
});

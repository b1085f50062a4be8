import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { VariablesSchema } from './template-content.ts';
import { checkVariables, exampleData } from './variables-check.ts';
import { heraldError } from '../../test/support/herald-error.ts';

const variables: VariablesSchema = [
  { name: 'order', type: 'object', required: true, example: { id: 'A-1' } },
  { name: 'items', type: 'array', required: true, example: [] },
  { name: 'total', type: 'number' },
  { name: 'vip', type: 'boolean', example: false },
  { name: 'note', type: 'string' },
];


describe('checkVariables', () => {
  test('accepts data with every required variable and right types; extra and optional data are fine', () => {
    checkVariables(variables, { order: { id: 1 }, items: [1], total: 3.5, vip: true, extra: 'x' }, 'order.paid');
    checkVariables(variables, { order: {}, items: [], note: null }, 'order.paid');
  });

  test('a missing (or null) required variable is TEMPLATE_VARIABLE_MISSING naming it and the template', () => {
    const error = heraldError(() => checkVariables(variables, { items: null }, 'order.paid'));
    assert.equal(error.kind, 'unprocessable');
    assert.equal(error.code, 'TEMPLATE_VARIABLE_MISSING');
    assert.match(error.message, /"order\.paid" requires variables "order", "items"/);
    assert.deepEqual(error.details, { templateCode: 'order.paid', variable: 'order', missing: ['order', 'items'] });
  });

  test('a value of the wrong type is TEMPLATE_VARIABLE_INVALID', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ order: [], items: [] }, 'order', 'an array'],
      [{ order: {}, items: {} }, 'items', 'an object'],
      [{ order: {}, items: [], total: '3' }, 'total', 'a string'],
      [{ order: {}, items: [], total: Number.NaN }, 'total', 'a non-finite number'],
      [{ order: {}, items: [], vip: 'yes' }, 'vip', 'a string'],
      [{ order: {}, items: [], note: 5 }, 'note', 'a number'],
    ];
    for (const [data, variable, actual] of cases) {
      const error = heraldError(() => checkVariables(variables, data, 'order.paid'));
      assert.equal(error.code, 'TEMPLATE_VARIABLE_INVALID', variable);
      assert.equal(error.details.variable, variable);
      assert.equal(error.details.actual, actual);
      assert.match(error.message, new RegExp(`variable "${variable}"`));
    }
  });

  test('exampleData collects declared examples', () => {
    assert.deepEqual(exampleData(variables), { order: { id: 'A-1' }, items: [], vip: false });
  });
});

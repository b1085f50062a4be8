import { test } from 'node:test';
import assert from 'node:assert/strict';
import { problem } from './problem.ts';

test("an error's details add members but never replace the standard ones", () => {
  const body = problem(409, 'DELIVERY_NOT_RETRYABLE', 'Delivery d1 is sent', {
    type: 'x',
    title: 'x',
    status: 'sent',
    code: 'x',
    detail: 'x',
    instance: 'x',
    deliveryStatus: 'sent',
  });
  assert.deepEqual(body, {
    type: 'https://herald.dev/problems/delivery-not-retryable',
    title: 'Conflict',
    status: 409,
    code: 'DELIVERY_NOT_RETRYABLE',
    detail: 'Delivery d1 is sent',
    deliveryStatus: 'sent',
  });
});

import assert from 'node:assert/strict';
import { HeraldError } from '../../src/errors.ts';

/** Runs `action`, which must throw a HeraldError, and returns that error for further checks. */
export function heraldError(action: () => unknown): HeraldError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof HeraldError, `expected a HeraldError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

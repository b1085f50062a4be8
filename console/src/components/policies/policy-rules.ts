import type { FormItemRule } from 'element-plus';

/**
 * Validation rules of the policy forms' fields, checked by the message type form before it sends
 * (the same bounds as src/domain/message-types/message-type-policies.ts). `message` is the text to
 * show, given as a function so it follows the language.
 */
const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const clockTimeRule = (message: () => string): FormItemRule[] => [{ required: true, pattern: CLOCK_TIME, message, trigger: 'blur' }];

export const wholeNumberRule = (min: number, max: number, message: () => string): FormItemRule[] => [{ required: true, type: 'integer', min, max, message, trigger: 'change' }];

export const requiredRule = (message: () => string, type: 'string' | 'array' = 'string'): FormItemRule[] => [
  { required: true, type, ...(type === 'string' ? { whitespace: true } : { min: 1 }), message, trigger: type === 'string' ? 'blur' : 'change' },
];

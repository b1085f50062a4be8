import { unprocessable } from '../errors.ts';
import type { TemplateVariable, VariablesSchema } from './template-content.ts';

/**
 * Checks message data against a template's declared variables when the message is
 * accepted: a missing required variable is TEMPLATE_VARIABLE_MISSING, a value of the
 * wrong type TEMPLATE_VARIABLE_INVALID. Undeclared data is allowed (callers often send
 * more than one template uses); variables used but neither declared nor sent are caught
 * by the render itself (strict variables).
 */
export function checkVariables(variables: VariablesSchema, data: Record<string, unknown>, templateCode: string): void {
  const missing = variables.filter((variable) => variable.required && (data[variable.name] ?? null) === null).map((variable) => variable.name);
  if (missing.length > 0) {
    const list = missing.map((name) => `"${name}"`).join(', ');
    throw unprocessable(
      'TEMPLATE_VARIABLE_MISSING',
      `Template "${templateCode}" requires variable${missing.length > 1 ? 's' : ''} ${list}, missing from the message data.`,
      { templateCode, variable: missing[0], missing },
    );
  }
  for (const variable of variables) {
    const value = data[variable.name];
    if (value === undefined || value === null || hasType(value, variable.type)) continue;
    throw unprocessable(
      'TEMPLATE_VARIABLE_INVALID',
      `Template "${templateCode}" expects variable "${variable.name}" to be ${article(variable.type)}, got ${typeName(value)}.`,
      { templateCode, variable: variable.name, expected: variable.type, actual: typeName(value) },
    );
  }
}

/** Example data from the declared examples: for previews and the test render when a template is saved. */
export function exampleData(variables: VariablesSchema): Record<string, unknown> {
  return Object.fromEntries(variables.filter((variable) => variable.example !== undefined).map((variable) => [variable.name, variable.example]));
}

function hasType(value: unknown, type: TemplateVariable['type']): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a non-finite number';
  return article(typeof value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

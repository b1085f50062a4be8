import type { Completion } from '@codemirror/autocomplete';
import type { LiquidCompletionConfig } from '@codemirror/lang-liquid';

/** A variable the editor can complete: its name, and its example whose object keys complete after a dot. */
export interface CompletableVariable {
  name: string;
  type?: string;
  example?: unknown;
}

/** What Herald adds to Liquid (src/templates/liquid-engine.ts and render-message.ts); lang-liquid knows Liquid's own tags and filters. */
const HERALD_FILTERS: readonly Completion[] = [{ label: 'money', type: 'function', detail: 'amount | money: "CNY"', info: 'Formats an amount in major units for the render locale' }];
const RENDER_GLOBALS: readonly Completion[] = [{ label: 'locale', type: 'constant', detail: 'render global', info: 'The locale the message is rendered in' }];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The example under `path` (`customer.address` → example.customer.address), if it is an object. */
function exampleAt(variables: readonly CompletableVariable[], path: readonly string[]): Record<string, unknown> | undefined {
  let value: unknown = variables.find((variable) => variable.name === path[0])?.example;
  for (const key of path.slice(1)) value = isRecord(value) ? value[key] : undefined;
  return isRecord(value) ? value : undefined;
}

const exampleDetail = (example: unknown): string | undefined => {
  if (example === undefined || isRecord(example) || Array.isArray(example)) return undefined;
  const text = JSON.stringify(example);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};

/** lang-liquid's completion options for a template with these variables. */
export function liquidCompletions(variables: readonly CompletableVariable[]): LiquidCompletionConfig {
  return {
    variables: [
      ...variables.map((variable): Completion => ({ label: variable.name, type: 'variable', detail: variable.type || undefined, info: exampleDetail(variable.example) })),
      ...RENDER_GLOBALS.filter((global) => !variables.some((variable) => variable.name === global.label)),
    ],
    filters: HERALD_FILTERS,
    properties: (path) => Object.entries(exampleAt(variables, path) ?? {}).map(([key, value]): Completion => ({ label: key, type: 'property', info: exampleDetail(value) })),
  };
}

import { diffLines } from 'diff';

/**
 * Template content seen as its fields: every string in it, named by its dot path
 * (`channels.email.subject`, `locales.zh-CN.body`, `channels.wecom.news.articles.0.title`).
 * The editor shows one field per path, the version diff compares them path by path, and the
 * variables list reads the names the Liquid in them uses.
 */
export type TemplatePath = readonly (string | number)[];
export interface TemplateField {
  path: TemplatePath;
  key: string;
  value: string;
}

/**
 * Content strings that are not Liquid (src/templates/template-content.ts marks them "Not Liquid"):
 * vendor template ids, sign names, enums. The key alone decides, except inside parameter maps
 * (`params`, `data`), whose keys are the vendor's parameter names and whose values are all Liquid.
 */
const LITERAL_KEYS = new Set(['bodyFormat', 'defaultLocale', 'templateCode', 'signName', 'templateId', 'appId', 'state', 'lang', 'severity']);
const PARAMETER_MAPS = new Set(['params', 'data']);

export function isLiquidPath(path: TemplatePath): boolean {
  const key = path.at(-1);
  const parent = path.at(-2);
  return !(typeof key === 'string' && LITERAL_KEYS.has(key) && !(typeof parent === 'string' && PARAMETER_MAPS.has(parent)));
}

export const pathKey = (path: TemplatePath): string => path.join('.');

/** Every string in the value with its path, in document order. */
export function stringFields(value: unknown, path: TemplatePath = []): TemplateField[] {
  if (typeof value === 'string') return [{ path, key: pathKey(path), value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringFields(item, [...path, index]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringFields(item, [...path, key]));
  return [];
}

export function valueAt(root: unknown, path: TemplatePath): unknown {
  return path.reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), root);
}

/** Sets a value at the path, creating the objects on the way. */
export function setAt(root: Record<string, unknown>, path: TemplatePath, value: unknown): void {
  let node: Record<string | number, unknown> = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string | number, unknown>;
  }
  node[path.at(-1)!] = value;
}

/** Removes the value at the path, and the objects it leaves empty (an empty override would still be sent). */
export function removeAt(root: Record<string, unknown>, path: TemplatePath): void {
  const parents: Array<Record<string | number, unknown>> = [root];
  for (const key of path.slice(0, -1)) {
    const next = parents.at(-1)![key];
    if (!next || typeof next !== 'object') return;
    parents.push(next as Record<string | number, unknown>);
  }
  for (let depth = path.length - 1; depth >= 0; depth--) {
    const node = parents[depth]!;
    if (Array.isArray(node)) node.splice(Number(path[depth]), 1);
    else delete node[path[depth]!];
    if (depth === 0 || Object.keys(node).length > 0) return;
  }
}

/** A field path typed by a person: dot-separated names, numbers for list items. */
export function parsePath(text: string): TemplatePath | null {
  const parts = text.trim().split('.');
  if (parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) return null;
  return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

const OUTPUT = /\{\{-?\s*([A-Za-z_][A-Za-z0-9_]*)/g;
const CONDITION = /\{%-?\s*(?:if|elsif|unless|case)\s+([A-Za-z_][A-Za-z0-9_]*)/g;
const LOOP = /\{%-?\s*for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([A-Za-z_][A-Za-z0-9_]*)/g;
const ASSIGNED = /\{%-?\s*(?:assign|capture)\s+([A-Za-z_][A-Za-z0-9_]*)/g;
const LIQUID_NAMES = new Set(['forloop', 'tablerowloop', 'empty', 'blank', 'nil', 'null', 'true', 'false']);

/**
 * The top-level variable names the Liquid reads, in first-use order: outputs (`{{ order.id }}`),
 * conditions and loop collections. Names the template assigns itself (assign, capture, loop
 * variables) are not the caller's. A reading aid for the variables list, not a Liquid parser.
 */
export function usedVariables(texts: readonly string[]): string[] {
  const used: string[] = [];
  const own = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(ASSIGNED)) own.add(match[1]!);
    for (const match of text.matchAll(LOOP)) own.add(match[1]!);
    const reads = [
      ...[...text.matchAll(OUTPUT), ...text.matchAll(CONDITION)].map((match) => [match.index, match[1]!] as const),
      ...[...text.matchAll(LOOP)].map((match) => [match.index, match[2]!] as const),
    ];
    for (const [, name] of reads.sort(([a], [b]) => a - b)) if (!used.includes(name)) used.push(name);
  }
  return used.filter((name) => !own.has(name) && !LIQUID_NAMES.has(name));
}

/** What a version (or the draft) holds, as the diff compares it. */
export interface TemplateDefinitionView {
  defaultChannels: string[];
  variables: unknown[];
  content: Record<string, unknown>;
}

export interface DiffLine {
  kind: 'added' | 'removed' | 'same';
  text: string;
}
export interface FieldDiff {
  field: string;
  lines: DiffLine[];
}

/** Every value that is not an object or a list, with its path (numbers and booleans too: validForSeconds, mentions.all). */
function leafTexts(value: unknown, path: TemplatePath): Array<[string, string]> {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafTexts(item, [...path, index]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leafTexts(item, [...path, key]));
  return [[pathKey(path), typeof value === 'string' ? value : JSON.stringify(value)]];
}

/** The definition as named texts: each content value by its path; the variables and default channels as JSON. */
function definitionTexts(definition: TemplateDefinitionView): Map<string, string> {
  return new Map([
    ['defaultChannels', definition.defaultChannels.join(', ')],
    ['variables', JSON.stringify(definition.variables, null, 2)],
    ...leafTexts(definition.content, ['content']),
  ]);
}

/** The fields that differ between two definitions, each as a line diff from `from` to `to`. */
export function diffDefinitions(from: TemplateDefinitionView, to: TemplateDefinitionView): FieldDiff[] {
  const before = definitionTexts(from);
  const after = definitionTexts(to);
  const fields = [...new Set([...before.keys(), ...after.keys()])];
  return fields.flatMap((field) => {
    const old = before.get(field) ?? '';
    const next = after.get(field) ?? '';
    if (old === next) return [];
    const lines = diffLines(old, next).flatMap((change) => {
      const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
      return change.value.replace(/\n$/, '').split('\n').map((text) => ({ kind, text }) as DiffLine);
    });
    return [{ field, lines }];
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { exportOpenApi } from '../../console/scripts/export-openapi.ts';
import { CONSOLE_SECTIONS } from '../../src/http/routes/console-routes.ts';
import { operationsOf } from '../support/console-browser.ts';

/**
 * The web console calls Herald only through its typed client (`api.GET('/v1/...')`, console/src/api/client.ts),
 * so every call is written as a method and an OpenAPI path template: each must be an operation of
 * /openapi.json (the browser tests also check the requests actually made).
 */
const consoleSources = path.resolve(import.meta.dirname, '../../console/src');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return /\.(ts|vue)$/.test(entry.name) ? [full] : [];
  });
}

/** Every `api.METHOD('/path'` the console source writes, as "METHOD /path", and the sources that call the network some other way. */
function consoleCalls(): { calls: string[]; bypasses: string[] } {
  const calls: string[] = [];
  const bypasses: string[] = [];
  for (const file of sourceFiles(consoleSources)) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/\bapi\.(GET|POST|PUT|PATCH|DELETE)\(\s*'([^']+)'/g)) calls.push(`${match[1]} ${match[2]}`);
    if (/\b(fetch|axios|XMLHttpRequest)\s*\(/.test(source)) bypasses.push(path.relative(consoleSources, file));
  }
  return { calls, bypasses };
}

test('every API call in the console source is an operation of the OpenAPI document, and nothing calls fetch directly', async () => {
  const spec = (await exportOpenApi()) as { paths: Record<string, Record<string, unknown>> };
  const operations = new Set(operationsOf(spec).map((operation) => `${operation.method} ${operation.path}`));
  const { calls, bypasses } = consoleCalls();
  assert.deepEqual(bypasses, [], 'these call the network outside the typed client');
  assert.ok(calls.length >= 20, `only ${calls.length} API calls found`);
  assert.deepEqual(calls.filter((call) => !operations.has(call)), []);
});

// The console's response types are generated from these schemas (console/src/api/views.ts): a GET without one would
// leave the console to guess the shape again.
test('every GET the console calls declares its 200 response schema in the OpenAPI document', async () => {
  type Operation = { responses?: Record<string, { content?: Record<string, { schema?: { type?: string } }> }> };
  const spec = (await exportOpenApi()) as { paths: Record<string, Record<string, Operation>> };
  const reads = [...new Set(consoleCalls().calls.filter((call) => call.startsWith('GET ')))];
  assert.ok(reads.length >= 20, `only ${reads.length} GET calls found`);
  const undeclared = reads.filter((call) => {
    const schema = spec.paths[call.slice('GET '.length)]?.get?.responses?.['200']?.content?.['application/json']?.schema;
    return schema?.type !== 'object';
  });
  assert.deepEqual(undeclared, []);
});

test('Herald serves index.html for exactly the console router\'s sections', () => {
  const router = readFileSync(path.join(consoleSources, 'router.ts'), 'utf8');
  const sections = new Set([...router.matchAll(/\bpath: '\/?([a-z][a-z-]*)/g)].map((match) => match[1]));
  assert.ok(sections.size >= 5, [...sections].join());
  assert.deepEqual([...sections].sort(), [...CONSOLE_SECTIONS].sort());
});

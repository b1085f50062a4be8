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

test('every API call in the console source is an operation of the OpenAPI document, and nothing calls fetch directly', async () => {
  const spec = (await exportOpenApi()) as { paths: Record<string, Record<string, unknown>> };
  const operations = new Set(operationsOf(spec).map((operation) => `${operation.method} ${operation.path}`));
  const calls: string[] = [];
  for (const file of sourceFiles(consoleSources)) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/\bapi\.(GET|POST|PUT|PATCH|DELETE)\(\s*'([^']+)'/g)) calls.push(`${match[1]} ${match[2]}`);
    assert.doesNotMatch(source, /\b(fetch|axios|XMLHttpRequest)\s*\(/, `${path.relative(consoleSources, file)} calls the network outside the typed client`);
  }
  assert.ok(calls.length >= 20, `only ${calls.length} API calls found`);
  assert.deepEqual(calls.filter((call) => !operations.has(call)), []);
});

test('Herald serves index.html for exactly the console router\'s sections', () => {
  const router = readFileSync(path.join(consoleSources, 'router.ts'), 'utf8');
  const sections = new Set([...router.matchAll(/\bpath: '\/?([a-z][a-z-]*)/g)].map((match) => match[1]));
  assert.ok(sections.size >= 5, [...sections].join());
  assert.deepEqual([...sections].sort(), [...CONSOLE_SECTIONS].sort());
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { cruise, extractDepcruiseOptions, extractTSConfig } from './support/dependency-cruiser.ts';

const root = path.resolve(import.meta.dirname, '..');

test('src/ keeps the architecture rules of .dependency-cruiser.cjs (layers, peers, no cycles, no test or dev-only imports)', async () => {
  // dependency-cruiser resolves paths from the working directory.
  process.chdir(root);
  const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
  const result = await cruise(['src'], options, undefined, { tsConfig: extractTSConfig('./tsconfig.json') });
  if (typeof result.output === 'string') throw new Error('expected a cruise result, got a report');
  const { summary, modules } = result.output;
  // The rules hold only if the TypeScript sources were read at all, type-only imports included.
  assert.ok(summary.totalCruised > 100, `only ${summary.totalCruised} modules cruised`);
  const typeOnly = modules.flatMap((module) => module.dependencies).filter((dependency) => dependency.dependencyTypes.includes('type-only'));
  assert.ok(typeOnly.length > 50, 'type-only imports were not seen');
  const violations = summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}${violation.cycle ? ` (cycle ${violation.cycle.map((step) => step.name).join(' -> ')})` : ''}`);
  assert.deepEqual(violations, []);
});

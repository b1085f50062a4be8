import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { configFields } from '../src/config/config.ts';
import { SKIP_REASONS } from '../src/domain/messages/skip-reasons.ts';

const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../README.md'), 'utf8');

test('the README documents every configuration variable with its default', () => {
  for (const field of Object.values(configFields)) {
    assert.ok(readme.includes(`| \`${field.name}\` | ${field.defaultText} |`), `README is missing ${field.name} (default ${field.defaultText})`);
  }
});

test('the README quick start is the two commands', () => {
  assert.ok(readme.includes('npm install && npm start'));
  assert.ok(readme.includes('npm test'));
});

test('every JSON example in the README parses, and Markdown bodies say format markdown', () => {
  const bodies = [...readme.matchAll(/-d '(\{.*?\})'/g)].map((match) => JSON.parse(match[1]!));
  assert.ok(bodies.length >= 2);
  for (const body of bodies) {
    const content = body.content as { body?: string; format?: string } | undefined;
    if (content?.body && /\*\*|__|\[.+\]\(/.test(content.body)) assert.equal(content.format, 'markdown', content.body);
  }
});

test('the README lists every skip reason with its meaning', () => {
  for (const [code, meaning] of Object.entries(SKIP_REASONS)) {
    assert.ok(readme.includes(`| \`${code}\` | ${meaning} |`), `README is missing skip reason ${code}`);
  }
});

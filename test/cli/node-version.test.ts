import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
// @ts-expect-error plain JavaScript without types: it has to run on the old Node it refuses
import { unsupportedNodeMessage } from '../../bin/node-version.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/herald.js');

test('an unsupported Node gets one line naming the required version and how to get it', () => {
  for (const version of ['20.20.2', 'v18.0.0', '22.11.0']) {
    const message: string = unsupportedNodeMessage(version);
    assert.ok(message, version);
    assert.doesNotMatch(message, /\n/);
    assert.match(message, />= 22\.12/);
    assert.match(message, /npm start/);
    assert.match(message, new RegExp(`v${version.replace(/^v/, '').replaceAll('.', '\\.')}`));
  }
  for (const version of ['22.12.0', '23.0.0', '24.21.0', 'v25.1.0']) assert.equal(unsupportedNodeMessage(version), undefined, version);
});

test('bin/herald.js runs the CLI on a supported Node', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'help'], { env: { PATH: process.env.PATH } });
  assert.match(stdout, /^Usage: herald <command>/);
});

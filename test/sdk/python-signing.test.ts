import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { createAppWithKey, createTestHerald, type TestHerald } from '../support/test-herald.ts';

const run = promisify(execFile);
const DOC = path.resolve(import.meta.dirname, '../../docs/sdk.md');

/** A python3 that has botocore: the one on PATH, else Debian's (python3-botocore, which .ci/run installs). */
function pythonWithBotocore(): string | undefined {
  return ['python3', '/usr/bin/python3'].find((python) => {
    try {
      execFileSync(python, ['-c', 'import botocore'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

const python = pythonWithBotocore();

describe('the Python signing example of docs/sdk.md', () => {
  let herald: TestHerald;
  before(async () => {
    if (!python) return;
    herald = await createTestHerald('sqlite');
    await herald.start();
  });
  after(() => herald?.close());

  test('signs with botocore SigV4Auth, reads whoami and sends a message', { skip: python ? false : 'no python3 with botocore here: apt-get install python3-botocore (.ci/run does)' }, async () => {
    const example = /### Python \(botocore\)[\s\S]*?```python\n([\s\S]*?)```/.exec(fs.readFileSync(DOC, 'utf8'))?.[1];
    assert.ok(example, 'docs/sdk.md has the Python example');
    const app = await createAppWithKey(herald);
    await herald.services.channelAccounts.create(app.appId, { type: 'inbox', name: 'inbox', config: {} });
    const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'herald-py-')), 'example.py');
    fs.writeFileSync(script, example);
    const url = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
    const { stdout } = await run(python!, [script], { env: { ...process.env, HERALD_URL: url, HERALD_ACCESS_KEY: app.accessKeyId, HERALD_SECRET_KEY: app.secretAccessKey } });
    const [whoami, sent] = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    assert.equal(whoami!.appId, app.appId);
    const message = await herald.services.messageQuery.get(app.appId, sent!.messageId!);
    assert.equal(message.id, sent!.messageId);
    fs.rmSync(path.dirname(script), { recursive: true, force: true });
  });
});

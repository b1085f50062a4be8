import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { computeWebhookSignature, signWebhookRequest } from '../../src/security/webhook-signature.ts';
import { verifySubscriberHash } from '../../src/security/subscriber-credentials.ts';
import { HeraldSignatureError, subscriberHash, verifyHeraldSignature } from '../../sdk/src/index.ts';
import { API_TYPES_FILE, generateApiTypes } from '../../sdk/scripts/generate-api-types.ts';
import { createAppWithKey, createTestHerald, type TestHerald } from '../support/test-herald.ts';

const run = promisify(execFile);
const SDK_DIR = path.resolve(import.meta.dirname, '../../sdk');
const TSC = path.resolve(import.meta.dirname, '../../node_modules/typescript/bin/tsc');

describe('the SDK package', () => {
  test('its committed API types are what /openapi.json generates (run node sdk/scripts/generate-api-types.ts after a schema change)', async () => {
    const generated = await generateApiTypes();
    assert.ok(generated.includes('"/v1/messages/batch"'));
    assert.equal(fs.readFileSync(API_TYPES_FILE, 'utf8'), generated, 'sdk/src/api-types.ts is stale: run node sdk/scripts/generate-api-types.ts');
  });

  describe('compiled to JavaScript, used by plain JS on the oldest Node it supports', () => {
    let herald: TestHerald;
    let outDir: string;
    before(async () => {
      herald = await createTestHerald('sqlite');
      await herald.start();
      outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-sdk-'));
      await run(process.execPath, [TSC, '-p', path.join(SDK_DIR, 'tsconfig.json'), '--outDir', path.join(outDir, 'dist')]);
      fs.writeFileSync(path.join(outDir, 'package.json'), fs.readFileSync(path.join(SDK_DIR, 'package.json')));
    });
    after(async () => {
      await herald.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    });

    test('imports the compiled package and calls Herald (Node 20, no type stripping)', async (t) => {
      const node20 = ['/usr/bin/node', '/bin/node'].find((candidate) => fs.existsSync(candidate));
      const node = node20 ?? process.execPath;
      const { stdout: version } = await run(node, ['--version']);
      if (!version.startsWith('v20.')) t.diagnostic(`ran on ${version.trim()}: no Node 20 at /usr/bin/node`);
      assert.ok(fs.existsSync(path.join(outDir, 'dist/index.d.ts')), 'declarations are shipped');
      const app = await createAppWithKey(herald);
      const consumer = path.join(outDir, 'consumer.mjs');
      fs.writeFileSync(
        consumer,
        `import { HeraldClient, HeraldApiError } from ${JSON.stringify(path.join(outDir, 'dist/index.js'))};
const client = new HeraldClient({ url: process.env.HERALD_URL, accessKeyId: process.env.AK, secretAccessKey: process.env.SK });
const me = await client.whoami();
const refused = await client.getMessage('msg_missing').catch((error) => error instanceof HeraldApiError && error.code);
console.log(JSON.stringify({ appId: me.appId, refused }));`,
      );
      const url = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
      const { stdout } = await run(node, [consumer], { env: { PATH: process.env.PATH, HERALD_URL: url, AK: app.accessKeyId, SK: app.secretAccessKey } });
      assert.deepEqual(JSON.parse(stdout), { appId: app.appId, refused: 'MESSAGE_NOT_FOUND' });
    });
  });

  test('verifyHeraldSignature accepts what Herald signs (callbacks, webhook deliveries) and names what is wrong', () => {
    const nowMs = Date.UTC(2026, 0, 5, 9);
    const body = JSON.stringify({ event: 'message.completed', id: 'msg_1' });
    const headers = signWebhookRequest('cb-secret', body, nowMs);
    verifyHeraldSignature({ secret: 'cb-secret', rawBody: body, headers, nowMs });
    verifyHeraldSignature({ secret: 'cb-secret', rawBody: Buffer.from(body), headers: new Headers(headers), nowMs: nowMs + 299_000 });
    const rotating = { ...headers, 'X-Herald-Signature': `v1=${'0'.repeat(64)}, ${headers['X-Herald-Signature']}` };
    verifyHeraldSignature({ secret: 'cb-secret', rawBody: body, headers: rotating, nowMs });
    const failure = (input: Parameters<typeof verifyHeraldSignature>[0]) => {
      try {
        verifyHeraldSignature(input);
        return 'accepted';
      } catch (error) {
        assert.ok(error instanceof HeraldSignatureError);
        return error.code;
      }
    };
    assert.equal(failure({ secret: 'other', rawBody: body, headers, nowMs }), 'SIGNATURE_INVALID');
    assert.equal(failure({ secret: 'cb-secret', rawBody: `${body} `, headers, nowMs }), 'SIGNATURE_INVALID');
    assert.equal(failure({ secret: 'cb-secret', rawBody: body, headers, nowMs: nowMs + 301_000 }), 'SIGNATURE_EXPIRED');
    assert.equal(failure({ secret: 'cb-secret', rawBody: body, headers: { 'x-herald-timestamp': headers['X-Herald-Timestamp'] }, nowMs }), 'SIGNATURE_MISSING');
    assert.equal(computeWebhookSignature('cb-secret', nowMs / 1000, body), headers['X-Herald-Signature']!.slice(3));
  });

  test('subscriberHash is the hash the inbox API accepts', () => {
    const hash = subscriberHash('inbox-secret', 'u1');
    verifySubscriberHash('inbox-secret', 'u1', hash);
    assert.throws(() => verifySubscriberHash('inbox-secret', 'u2', hash), /INBOX_HASH_INVALID|does not match/);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import http from 'node:http';
import aws4 from 'aws4';
import { consoleSession, createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

const run = promisify(execFile);

function requestWithAws4(port: number, credentials: AppCredentials, options: { method: string; path: string; body?: string }) {
  const signed = aws4.sign(
    {
      host: `127.0.0.1:${port}`,
      method: options.method,
      path: options.path,
      body: options.body,
      service: 'herald',
      region: 'cn-north-1',
      headers: options.body ? { 'content-type': 'application/json' } : {},
    },
    { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
  );
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method: options.method, path: options.path, headers: signed.headers as http.OutgoingHttpHeaders }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

for (const dialect of testDialects) {
  describe(`SigV4 authentication on ${dialect}`, () => {
    let herald: TestHerald;
    let credentials: AppCredentials;
    let port: number;

    before(async () => {
      herald = await createTestHerald(dialect, { env: { PORT: '0', HOST: '127.0.0.1' } });
      await herald.start();
      port = (herald.server!.server.address() as { port: number }).port;
      credentials = await createAppWithKey(herald, 'orders');
    });
    after(() => herald.close());

    test('whoami answers the calling app and key for an in-process signed request', async () => {
      const response = await signedInject(herald, credentials, { method: 'GET', url: '/v1/whoami' });
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json(), { kind: 'app', appId: credentials.appId, appName: 'orders', accessKeyId: credentials.accessKeyId });
    });

    test('curl --aws-sigv4 is accepted, with a query string and with a JSON body', async () => {
      const common = ['-s', '--aws-sigv4', 'aws:amz:cn-north-1:herald', '--user', `${credentials.accessKeyId}:${credentials.secretAccessKey}`];
      const get = await run('curl', [...common, `http://127.0.0.1:${port}/v1/whoami?b=2&a=hello%20world&time=2026-01-01T00:00:00Z`]);
      assert.equal(JSON.parse(get.stdout).accessKeyId, credentials.accessKeyId, get.stdout);
      const post = await run('curl', [...common, '-X', 'GET', '-H', 'content-type: application/json', `http://127.0.0.1:${port}/v1/apps/orders`]);
      assert.equal(JSON.parse(post.stdout).name, 'orders', post.stdout);
    });

    test('the aws4 package is accepted', async () => {
      const response = await requestWithAws4(port, credentials, { method: 'GET', path: '/v1/whoami?x=1&y=a%3Ab' });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.appId, credentials.appId);
    });

    test('a replayed signature is refused', async () => {
      const nowMs = Date.now();
      const first = await signedInject(herald, credentials, { method: 'GET', url: '/v1/whoami', nowMs, headers: { 'x-herald-nonce': 'fixed' } });
      assert.equal(first.statusCode, 200);
      const again = await signedInject(herald, credentials, { method: 'GET', url: '/v1/whoami', nowMs, headers: { 'x-herald-nonce': 'fixed' } });
      assert.equal(again.statusCode, 401);
      assert.equal(again.json().code, 'SIGNATURE_REPLAYED');
    });

    test('the same signature sent many times at once is accepted exactly once, while fresh ones beside it all pass', async () => {
      const nowMs = Date.now();
      const replays = Array.from({ length: 8 }, () => signedInject(herald, credentials, { method: 'GET', url: '/v1/whoami', nowMs, headers: { 'x-herald-nonce': 'burst' } }));
      const fresh = Array.from({ length: 8 }, (_, index) => signedInject(herald, credentials, { method: 'GET', url: '/v1/whoami', nowMs, headers: { 'x-herald-nonce': `fresh-${index}` } }));
      const replayed = await Promise.all(replays);
      assert.deepEqual(replayed.map((response) => response.statusCode).sort(), [200, 401, 401, 401, 401, 401, 401, 401]);
      assert.ok(replayed.filter((response) => response.statusCode === 401).every((response) => response.json().code === 'SIGNATURE_REPLAYED'));
      assert.deepEqual((await Promise.all(fresh)).map((response) => response.statusCode), Array(8).fill(200));
    });

    test('tampered body, wrong secret, old date and unknown key each get their code', async () => {
      const body = JSON.stringify({ name: 'x' });
      const signed = aws4.sign(
        { host: 'localhost:80', method: 'POST', path: '/v1/apps', body, service: 'herald', region: 'cn-north-1', headers: { 'content-type': 'application/json' } },
        credentials,
      );
      const tampered = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: signed.headers as Record<string, string>, payload: JSON.stringify({ name: 'y' }) });
      assert.equal(tampered.statusCode, 401);
      assert.equal(tampered.json().code, 'SIGNATURE_MISMATCH');

      const wrongSecret = await signedInject(herald, { ...credentials, secretAccessKey: 'not-the-secret' }, { method: 'GET', url: '/v1/whoami' });
      assert.equal(wrongSecret.json().code, 'SIGNATURE_MISMATCH');
      assert.equal(wrongSecret.statusCode, 401);

      const old = await signedInject(herald, credentials, { method: 'GET', url: '/v1/whoami', nowMs: Date.now() - 6 * 60_000 });
      assert.equal(old.statusCode, 401);
      assert.equal(old.json().code, 'SIGNATURE_EXPIRED');
      assert.equal(old.headers['content-type'], 'application/problem+json; charset=utf-8');

      const unknown = await signedInject(herald, { accessKeyId: 'HKAAAAAAAAAAAAAAAAAA', secretAccessKey: 'x' }, { method: 'GET', url: '/v1/whoami' });
      assert.equal(unknown.statusCode, 401);
      assert.equal(unknown.json().code, 'ACCESS_KEY_UNKNOWN');

      const missing = await herald.server!.inject({ method: 'GET', url: '/v1/whoami' });
      assert.equal(missing.statusCode, 401);
      assert.equal(missing.json().code, 'AUTH_MISSING');
    });

    test('a revoked key and a key of a disabled app get ACCESS_KEY_DISABLED', async () => {
      const revoked = await createAppWithKey(herald, 'revoked-app');
      await herald.services.keys.revoke(revoked.accessKeyId);
      const response = await signedInject(herald, revoked, { method: 'GET', url: '/v1/whoami' });
      assert.equal(response.statusCode, 403);
      assert.equal(response.json().code, 'ACCESS_KEY_DISABLED');

      const disabled = await createAppWithKey(herald, 'disabled-app');
      assert.equal((await signedInject(herald, disabled, { method: 'GET', url: '/v1/whoami' })).statusCode, 200);
      await herald.services.apps.update(disabled.appId, { status: 'disabled' });
      const afterDisable = await signedInject(herald, disabled, { method: 'GET', url: '/v1/whoami' });
      assert.equal(afterDisable.statusCode, 403);
      assert.equal(afterDisable.json().code, 'ACCESS_KEY_DISABLED');
    });

    test('no malformed Authorization or date header produces a 5xx', async () => {
      const weird = [
        '',
        'AWS4-HMAC-SHA256',
        'AWS4-HMAC-SHA256 Credential=',
        'AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=zz',
        `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/cn/herald/aws4_request, SignedHeaders=, Signature=00`,
        'Basic dXNlcjpwYXNz',
        'Bearer abc',
        'AWS4-HMAC-SHA256 Credential=\u0000\u00ff/x, SignedHeaders=host;x-amz-date, Signature=' + 'a'.repeat(64),
        'AWS4-HMAC-SHA256 ' + 'Credential=x,'.repeat(2000),
        `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/cn-north-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`,
      ];
      for (const authorization of weird) {
        for (const date of [undefined, 'yesterday', '20260101T000000Z', '99999999T999999Z']) {
          const headers: Record<string, string> = { authorization };
          if (date) headers['x-amz-date'] = date;
          const response = await herald.server!.inject({ method: 'GET', url: '/v1/whoami', headers });
          assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${authorization} / ${date} → ${response.statusCode} ${response.body}`);
          assert.match(response.json().code, /^[A-Z_]+$/);
        }
      }
    });

    test('the secret never appears in logs or later responses, and is stored encrypted', async () => {
      const app = await herald.services.apps.create({ name: 'secretive' });
      const session = await consoleSession(herald, 'owner');
      const created = await herald.server!.inject({ method: 'POST', url: `/v1/apps/${app.id}/keys`, headers: session });
      assert.equal(created.statusCode, 201);
      const { accessKeyId, secretAccessKey } = created.json();
      assert.equal(typeof secretAccessKey, 'string');
      const listed = await herald.server!.inject({ method: 'GET', url: `/v1/apps/${app.id}/keys`, headers: session });
      assert.equal(listed.statusCode, 200);
      assert.ok(!listed.body.includes(secretAccessKey));
      assert.equal(listed.json().items[0].accessKeyId, accessKeyId);
      const use = await signedInject(herald, { accessKeyId, secretAccessKey }, { method: 'GET', url: '/v1/whoami' });
      assert.equal(use.statusCode, 200);
      assert.ok(!use.body.includes(secretAccessKey));
      const row = await herald.context.database.db.selectFrom('access_keys').selectAll().where('id', '=', accessKeyId).executeTakeFirstOrThrow();
      assert.ok(!row.secret_enc.includes(secretAccessKey));
      assert.match(row.secret_enc, /^v1\./);
      assert.ok(!herald.logs.text.includes(secretAccessKey), 'secret found in logs');
      assert.ok(herald.logs.text.includes(accessKeyId) || herald.logs.text.length > 0);
    });

    test('at most two active keys per app; revoking frees a slot', async () => {
      const app = await herald.services.apps.create({ name: 'rotating' });
      const first = await herald.services.keys.create(app.id);
      await herald.services.keys.create(app.id);
      await assert.rejects(herald.services.keys.create(app.id), { code: 'ACCESS_KEY_LIMIT' });
      await herald.services.keys.revoke(first.accessKeyId);
      const third = await herald.services.keys.create(app.id);
      assert.equal(third.status, 'active');
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createTestHerald, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

/**
 * The web console on Herald's port (src/http/routes/console-routes.ts), over a console directory
 * made here: index.html for console paths (history-mode routing) but never for the API's and other
 * servers' paths, hashed assets cached for a year, index.html never, and a 503 page until it is built.
 */
const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="app"></div></body></html>';
const SCRIPT = `console.log(${JSON.stringify('herald '.repeat(400))});`;

for (const dialect of testDialects) {
  describe(`web console routes on ${dialect}`, () => {
    let herald: TestHerald;
    let unbuilt: TestHerald;
    let directory: string;

    before(async () => {
      directory = mkdtempSync(path.join(os.tmpdir(), 'herald-console-'));
      mkdirSync(path.join(directory, 'assets'));
      writeFileSync(path.join(directory, 'index.html'), INDEX);
      writeFileSync(path.join(directory, 'assets/index-AbC123.js'), SCRIPT);
      herald = await createTestHerald(dialect, { env: { HERALD_CONSOLE_DIR: directory } });
      unbuilt = await createTestHerald(dialect, { env: { HERALD_CONSOLE_DIR: path.join(directory, 'missing') } });
    });
    after(async () => {
      await herald.close();
      await unbuilt.close();
      rmSync(directory, { recursive: true, force: true });
    });

    test('/ and console paths answer index.html, never cached, with a Content-Security-Policy', async () => {
      for (const url of ['/', '/messages', '/messages/msg_01abc', '/templates/order.paid', '/channel-accounts?x=1', '/setup']) {
        const response = await herald.server!.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 200, url);
        assert.equal(response.body, INDEX, url);
        assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
        assert.equal(response.headers['cache-control'], 'no-cache');
        assert.match(String(response.headers['content-security-policy']), /script-src 'self'.*frame-ancestors 'none'/);
      }
    });

    test('hashed assets are cached for a year, gzipped when accepted, revalidated by ETag', async () => {
      const plain = await herald.server!.inject({ method: 'GET', url: '/assets/index-AbC123.js' });
      assert.equal(plain.statusCode, 200);
      assert.equal(plain.body, SCRIPT);
      assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
      assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
      const gzipped = await herald.server!.inject({ method: 'GET', url: '/assets/index-AbC123.js', headers: { 'accept-encoding': 'gzip, br' } });
      assert.equal(gzipped.headers['content-encoding'], 'gzip');
      assert.ok(gzipped.rawPayload.length < SCRIPT.length / 10);
      assert.equal(gunzipSync(gzipped.rawPayload).toString('utf8'), SCRIPT);
      const again = await herald.server!.inject({ method: 'GET', url: '/assets/index-AbC123.js', headers: { 'if-none-match': String(plain.headers.etag) } });
      assert.equal(again.statusCode, 304);
    });

    test('a missing asset, a bad asset name and the API, docs and other servers\' paths are not the console', async () => {
      const notFound = ['/assets/missing-1.js', '/assets/..%2Findex.html', '/assets/.hidden', '/v1/nothing-here', '/V1/whoami', '//v1/whoami', '/v1;x/whoami', '/%2Fv1/whoami', '/inbox/v1/nothing', '/widget/other.js', '/receipts', '/Docs', '/metrics/x', '/messages/', '/messages//x', '/unknown-page', `/${'a'.repeat(300)}`];
      for (const url of notFound) {
        const response = await herald.server!.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 404, `${url}: ${response.body.slice(0, 200)}`);
        assert.equal(response.json().code, 'ROUTE_NOT_FOUND', url);
      }
      // The routes that exist keep answering as themselves.
      assert.equal((await herald.server!.inject({ method: 'GET', url: '/healthz' })).json().status, 'ok');
      assert.equal((await herald.server!.inject({ method: 'GET', url: '/auth/setup' })).json().setupOpen, true);
      assert.equal((await herald.server!.inject({ method: 'GET', url: '/v1/whoami' })).statusCode, 401);
      assert.equal((await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).statusCode, 200);
      assert.equal((await herald.server!.inject({ method: 'POST', url: '/messages' })).statusCode, 404);
    });

    test('until the console is built, its paths answer 503 with a page that says what to run; the API works', async () => {
      for (const url of ['/', '/messages']) {
        const response = await unbuilt.server!.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 503, url);
        assert.equal(response.headers['retry-after'], '60');
        assert.match(response.body, /npm run console:build/);
      }
      assert.equal((await unbuilt.server!.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      assert.equal((await unbuilt.server!.inject({ method: 'GET', url: '/assets/index-AbC123.js' })).statusCode, 404);
    });
  });
}

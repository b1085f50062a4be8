import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createTestHerald, type TestHerald } from '../support/test-herald.ts';

const source = readFileSync(new URL('../../src/widget/herald-inbox.js', import.meta.url));

// The route reads one file and touches no database, so one dialect says all there is to say.
describe('GET /widget/herald-inbox.js', () => {
  let herald: TestHerald;
  before(async () => {
    herald = await createTestHerald('sqlite');
  });
  after(() => herald.close());

  test('serves the widget as public, cacheable JavaScript without authentication', async () => {
    const response = await herald.server!.inject({ method: 'GET', url: '/widget/herald-inbox.js' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(response.headers['cache-control'], 'public, max-age=300');
    assert.equal(response.headers['access-control-allow-origin'], '*');
    assert.equal(response.headers['content-encoding'], undefined);
    assert.match(String(response.headers.etag), /^"[A-Za-z0-9_-]+"$/);
    assert.deepEqual(response.rawPayload, source);
  });

  test('gzips for clients that accept it, and not for those that refuse it', async () => {
    const gzipped = await herald.server!.inject({ method: 'GET', url: '/widget/herald-inbox.js', headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.equal(gzipped.headers.vary, 'Accept-Encoding');
    assert.ok(gzipped.rawPayload.length < source.length / 2, `${gzipped.rawPayload.length} bytes gzipped of ${source.length}`);
    assert.deepEqual(gunzipSync(gzipped.rawPayload), source);
    const refused = await herald.server!.inject({ method: 'GET', url: '/widget/herald-inbox.js', headers: { 'accept-encoding': 'gzip;q=0, identity' } });
    assert.equal(refused.headers['content-encoding'], undefined);
    assert.deepEqual(refused.rawPayload, source);
  });

  test('answers 304 to a matching If-None-Match', async () => {
    const first = await herald.server!.inject({ method: 'GET', url: '/widget/herald-inbox.js' });
    const again = await herald.server!.inject({ method: 'GET', url: '/widget/herald-inbox.js', headers: { 'if-none-match': `W/${first.headers.etag}` } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);
    const stale = await herald.server!.inject({ method: 'GET', url: '/widget/herald-inbox.js', headers: { 'if-none-match': '"other"' } });
    assert.equal(stale.statusCode, 200);
  });

  test('is not part of the API description', async () => {
    const openapi = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
    assert.equal(openapi.paths['/widget/herald-inbox.js'], undefined);
  });
});

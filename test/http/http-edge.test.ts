import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleSession, createTestHerald, type ConsoleSession, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

for (const dialect of testDialects) {
  describe(`HTTP edge on ${dialect}`, () => {
    let herald: TestHerald;
    let session: ConsoleSession;
    before(async () => {
      herald = await createTestHerald(dialect, { env: { HERALD_BODY_LIMIT_BYTES: '2048' } });
      session = await consoleSession(herald, 'owner');
    });
    after(() => herald.close());

    test('health and readiness', async () => {
      assert.equal((await herald.server!.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      const ready = await herald.server!.inject({ method: 'GET', url: '/readyz' });
      assert.deepEqual(ready.json(), { status: 'ready', database: dialect, workerLagSeconds: 0, liveWorkers: 0 });
    });

    test('a body over the limit gets 413 problem+json', async () => {
      const response = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: { ...session, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x', description: 'y'.repeat(4000) }) });
      assert.equal(response.statusCode, 413);
      assert.equal(response.json().code, 'BODY_TOO_LARGE');
      assert.match(response.json().detail, /2048/);
    });

    test('malformed JSON, unknown fields and wrong types are 400 with a code and the field', async () => {
      const broken = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: { ...session, 'content-type': 'application/json' }, payload: '{"name": ' });
      assert.equal(broken.statusCode, 400);
      assert.equal(broken.json().code, 'INVALID_JSON');
      const unknown = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: session, payload: { name: 'ok-name', colour: 'red' } });
      assert.equal(unknown.statusCode, 400);
      assert.equal(unknown.json().code, 'VALIDATION_FAILED');
      assert.match(unknown.json().detail, /colour/);
      const wrongType = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: session, payload: { name: 42 } });
      assert.equal(wrongType.statusCode, 400);
      assert.equal(wrongType.json().field, 'body.name');
      const missing = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: session, payload: {} });
      assert.match(missing.json().detail, /name/);
      const text = await herald.server!.inject({ method: 'POST', url: '/v1/apps', headers: { ...session, 'content-type': 'text/plain' }, payload: 'hello' });
      assert.equal(text.statusCode, 415);
      assert.equal(text.json().code, 'UNSUPPORTED_MEDIA_TYPE');
    });

    test('unknown routes are 404 problem+json; request ids are echoed', async () => {
      const response = await herald.server!.inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': 'trace-123' } });
      assert.equal(response.statusCode, 404);
      assert.equal(response.json().code, 'ROUTE_NOT_FOUND');
      assert.equal(response.headers['x-request-id'], 'trace-123');
      assert.ok(herald.logs.text.includes('trace-123'));
    });

    test('OpenAPI 3.1 document and docs page', async () => {
      const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
      assert.equal(spec.openapi, '3.1.0');
      assert.ok(spec.paths['/v1/whoami']);
      assert.ok(spec.paths['/v1/apps'].post.requestBody);
      // Query strings and headers only filter, page and qualify: none is required, least of all one with a default.
      // The one exception: the inbox API names its app in ?app= (a CORS preflight carries nothing else).
      for (const [path, operations] of Object.entries<Record<string, { parameters?: Array<{ in: string; name: string; required?: boolean }> }>>(spec.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          for (const parameter of operation.parameters ?? []) {
            if (path.startsWith('/inbox/v1/') && parameter.in === 'query' && parameter.name === 'app') assert.ok(parameter.required, `${method.toUpperCase()} ${path}: app`);
            else if (parameter.in === 'query' || parameter.in === 'header') assert.ok(!parameter.required, `${method.toUpperCase()} ${path}: ${parameter.in} parameter ${parameter.name} is marked required`);
          }
        }
      }
      const docs = await herald.server!.inject({ method: 'GET', url: '/docs/' });
      assert.equal(docs.statusCode, 200);
      assert.match(docs.body, /swagger/i);
    });
  });
}

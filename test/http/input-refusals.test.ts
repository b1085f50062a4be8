import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

/** Input that JSON.parse or the router would let through but Herald cannot keep faithfully: refused alike on every dialect. */
for (const dialect of testDialects) {
  describe(`input refusals on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    const call = (request: Parameters<typeof signedInject>[2]) => signedInject(herald, app, request);
    const counts = async () => {
      const { db } = herald.context.database;
      const count = async (table: 'messages' | 'deliveries' | 'subscribers') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      return { messages: await count('messages'), deliveries: await count('deliveries'), subscribers: await count('subscribers') };
    };
    const assertProblem = (response: { statusCode: number; headers: Record<string, unknown>; body: string; json(): any }, status: number, code: string) => {
      assert.equal(response.statusCode, status, response.body);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8', response.body);
      assert.equal(response.json().code, code, response.body);
    };

    before(async () => {
      herald = await createTestHerald(dialect);
      app = await createAppWithKey(herald, 'shop');
      const account = await call({ method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook', secret: 's' } } });
      assert.equal(account.statusCode, 201, account.body);
    });
    after(() => herald.close());

    test('data nested 5,000 levels deep is a 400 JSON_TOO_DEEP (it was a 500 from hashing an idempotent request)', async () => {
      const before = await counts();
      const payload = `{"to":[{"channelAccount":"hooks"}],"content":{"body":"x"},"idempotencyKey":"deep-1","data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
      const response = await call({ method: 'POST', url: '/v1/messages', payload });
      assertProblem(response, 400, 'JSON_TOO_DEEP');
      assert.match(response.json().detail, /64 levels/);
      const atLimit = `{"to":[{"channelAccount":"hooks"}],"content":{"body":"x"},"idempotencyKey":"deep-2","data":${'{"a":'.repeat(62)}1${'}'.repeat(62)}}`;
      assert.equal((await call({ method: 'POST', url: '/v1/messages', payload: atLimit })).statusCode, 202, 'nesting at the limit is accepted');
      assert.equal((await counts()).messages, before.messages + 1);
    });

    test('a body that is not UTF-8, or escapes a lone surrogate, is a 400 INVALID_UTF8 and nothing is stored', async () => {
      const before = await counts();
      const payload = Buffer.concat([Buffer.from('{"to":[{"channelAccount":"hooks"}],"content":{"body":"caf'), Buffer.from([0xe9]), Buffer.from('"}}')]);
      assertProblem(await call({ method: 'POST', url: '/v1/messages', payload }), 400, 'INVALID_UTF8');
      const loneSurrogate = await call({ method: 'POST', url: '/v1/subscribers', body: { externalId: 'u-lone', name: 'broken \ud800' } });
      assertProblem(loneSurrogate, 400, 'INVALID_UTF8');
      assert.equal(loneSurrogate.json().field, 'body.name');
      assert.deepEqual(await counts(), before);
    });

    test('a NUL in any body string or key is a 400 NUL_CHARACTER naming the field, and nothing is stored', async () => {
      const before = await counts();
      const inContent = await call({ method: 'POST', url: '/v1/messages', body: { to: [{ channelAccount: 'hooks' }], content: { body: 'a\u0000b' } } });
      assertProblem(inContent, 400, 'NUL_CHARACTER');
      assert.equal(inContent.json().field, 'body.content.body');
      const inDataKey = await call({ method: 'POST', url: '/v1/messages', body: { to: [{ channelAccount: 'hooks' }], content: { body: 'x' }, data: { 'k\u0000': 1 } } });
      assertProblem(inDataKey, 400, 'NUL_CHARACTER');
      const inSubscriber = await call({ method: 'POST', url: '/v1/subscribers', body: { externalId: 'u1', name: 'Ada\u0000', data: { note: '\u0000' } } });
      assertProblem(inSubscriber, 400, 'NUL_CHARACTER');
      assert.deepEqual(await counts(), before);
    });

    test('a NUL in the path or the query string is a 400 NUL_CHARACTER (it was a 500 on PostgreSQL)', async () => {
      const inPath = await call({ method: 'GET', url: '/v1/subscribers/a%00b' });
      assertProblem(inPath, 400, 'NUL_CHARACTER');
      assert.equal(inPath.json().field, 'path');
      const inQuery = await call({ method: 'GET', url: '/v1/messages?receiver=a%00b' });
      assertProblem(inQuery, 400, 'NUL_CHARACTER');
      assert.equal(inQuery.json().field, 'querystring');
      assertProblem(await call({ method: 'DELETE', url: '/v1/channel-accounts/hooks%00' }), 400, 'NUL_CHARACTER');
      assert.equal((await call({ method: 'GET', url: '/v1/channel-accounts/hooks' })).statusCode, 200);
    });

    test('a cursor that no page gave is a 400 INVALID_CURSOR on every list, not the first page', async () => {
      const template = await call({ method: 'POST', url: '/v1/templates', body: { code: 'paged', content: { body: 'x' }, publish: true } });
      assert.equal(template.statusCode, 201, template.body);
      for (const url of ['/v1/messages?cursor=garbage', '/v1/messages?cursor=', '/v1/subscribers?cursor=garbage', `/v1/subscribers?cursor=msg_${'0'.repeat(26)}`, '/v1/templates?cursor=Not%20A%20Code', '/v1/templates/paged/versions?cursor=0']) {
        const response = await call({ method: 'GET', url });
        assertProblem(response, 400, 'INVALID_CURSOR');
        assert.equal(response.json().field, 'cursor', url);
      }
      assertProblem(await call({ method: 'GET', url: '/v1/channel-accounts?cursor=x' }), 400, 'VALIDATION_FAILED');
      for (const url of [`/v1/messages?cursor=msg_${'z'.repeat(26)}`, `/v1/subscribers?cursor=sub_${'0'.repeat(26)}`, '/v1/templates?cursor=a', '/v1/templates/paged/versions?cursor=2']) {
        assert.equal((await call({ method: 'GET', url })).statusCode, 200, url);
      }
    });

    test('template version numbers past a 32-bit integer are a 400 (they were a 500 on PostgreSQL)', async () => {
      const template = await call({ method: 'POST', url: '/v1/templates', body: { code: 'versioned', content: { body: 'x' }, publish: true } });
      assert.equal(template.statusCode, 201, template.body);
      for (const request of [
        { method: 'GET', url: '/v1/templates/versioned/versions/2147483648' },
        { method: 'GET', url: '/v1/templates/versioned/versions/-99999999999' },
        { method: 'GET', url: '/v1/templates/versioned/versions?cursor=99999999999' },
        { method: 'POST', url: '/v1/templates/versioned/preview', body: { version: 2 ** 40 } },
        { method: 'POST', url: '/v1/templates/versioned/test-send', body: { to: [{ channelAccount: 'hooks' }], version: 2 ** 40 } },
      ]) {
        const response = await call(request);
        assertProblem(response, 400, 'VALIDATION_FAILED');
        assert.match(response.json().field, /version|cursor/);
      }
      assert.equal((await call({ method: 'GET', url: '/v1/templates/versioned/versions/2147483647' })).statusCode, 404);
    });

    test("the router's own refusals are problems too: broken percent-encoding, an over-long path parameter", async () => {
      const badEncoding = await call({ method: 'GET', url: '/v1/subscribers/%zz' });
      assertProblem(badEncoding, 400, 'INVALID_URL');
      assert.equal(badEncoding.json().instance, '/v1/subscribers/%zz');
      assertProblem(await call({ method: 'GET', url: '/v1/subscribers/%C3%28' }), 400, 'INVALID_URL');
      assertProblem(await call({ method: 'GET', url: `/v1/subscribers/${'x'.repeat(300)}` }), 414, 'URI_TOO_LONG');
      assertProblem(await call({ method: 'GET', url: `/v1/subscribers/${'x'.repeat(200)}` }), 400, 'VALIDATION_FAILED');
    });

    test('the longest external id (128 characters) is reachable by path', async () => {
      const externalId = `${'ü'.repeat(64)}${'x'.repeat(64)}`;
      assert.equal((await call({ method: 'POST', url: '/v1/subscribers', body: { externalId } })).statusCode, 201);
      const read = await call({ method: 'GET', url: `/v1/subscribers/${encodeURIComponent(externalId)}` });
      assert.equal(read.statusCode, 200, read.body);
      assert.equal(read.json().externalId, externalId);
    });

    test("what Node's HTTP parser refuses is answered as a problem on the socket", async () => {
      const address = await herald.server!.listen({ port: 0, host: '127.0.0.1' });
      const port = Number(new URL(address).port);
      const rawExchange = (request: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1', () => socket.end(request));
          let answer = '';
          socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
          socket.on('close', () => resolve(answer));
          socket.on('error', reject);
        });
      const parse = (answer: string) => {
        const [head = '', body = ''] = answer.split('\r\n\r\n');
        return { statusLine: head.split('\r\n')[0], contentType: /content-type: ([^\r]+)/i.exec(head)?.[1], problem: JSON.parse(body) };
      };
      const tooLarge = parse(await rawExchange(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      assert.equal(tooLarge.statusLine, 'HTTP/1.1 431 Request Header Fields Too Large');
      assert.equal(tooLarge.contentType, 'application/problem+json; charset=utf-8');
      assert.equal(tooLarge.problem.code, 'HEADERS_TOO_LARGE');
      const malformed = parse(await rawExchange('NOT HTTP AT ALL\r\n\r\n'));
      assert.equal(malformed.statusLine, 'HTTP/1.1 400 Bad Request');
      assert.equal(malformed.problem.code, 'MALFORMED_REQUEST');
    });
  });
}

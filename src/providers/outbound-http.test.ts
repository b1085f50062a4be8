import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { assertOutboundUrlAllowed } from '../security/ssrf-guard.ts';
import { startLoopbackHttpServer, type LoopbackHttpServer } from './conformance/loopback-http-server.ts';
import { assertOutcomeKind, findClosedPort } from './conformance/provider-test-support.ts';
import { buildProviderUrl, createOutboundDispatcher, sendHttpRequest, type HostResolver, type OutboundDispatcherOptions } from './outbound-http.ts';

describe('outbound HTTP dispatcher', () => {
  let server: LoopbackHttpServer;
  const seen: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

  before(async () => {
    server = await startLoopbackHttpServer((request, _body, response) => {
      seen.push({ url: request.url ?? '', headers: request.headers });
      const path = request.url ?? '';
      if (path === '/hang') return;
      if (path === '/reset') return void request.socket.destroy();
      if (path === '/redirect') return void response.writeHead(302, { location: `${server.origin}/ok` }).end();
      if (path === '/large') return void response.end('x'.repeat(1024 * 1024));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  after(() => server.close());

  /** Sends one GET with a dispatcher built for this call, closed afterwards. */
  async function get(url: string, options: Partial<OutboundDispatcherOptions> = {}, signal = new AbortController().signal) {
    const http = createOutboundDispatcher({
      policy: { allowLoopback: true, allowPrivateNetworks: false },
      connectTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      ...options,
    });
    try {
      return await sendHttpRequest(new URL(url), { method: 'GET', headers: {} }, { http, signal });
    } finally {
      await http.destroy();
    }
  }

  const strictPolicy = { allowLoopback: false, allowPrivateNetworks: false };
  const resolveTo =
    (...addresses: string[]): HostResolver =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  test('reaches a loopback server when the policy allows loopback', async () => {
    const { response } = await get(`${server.origin}/ok`);
    assert.equal(response?.statusCode, 200);
    assert.equal(response?.body, '{"ok":true}');
    assert.equal(seen.at(-1)?.headers['user-agent'], 'Herald');
  });

  test('refuses loopback IP literals, IPv4 and IPv6, before connecting', async () => {
    const requestsBefore = seen.length;
    for (const url of [`${server.origin}/ok`, `http://[::1]:${server.port}/ok`, `http://[::ffff:127.0.0.1]:${server.port}/ok`]) {
      const { outcome } = await get(url, { policy: strictPolicy });
      assertOutcomeKind(outcome!, 'failed');
      assert.equal(outcome.code, 'OUTBOUND_ADDRESS_BLOCKED', url);
      assert.match(outcome.message, /loopback/);
    }
    assert.equal(seen.length, requestsBefore);
  });

  test('refuses a host name that resolves to loopback (localhost via the system resolver)', async () => {
    const { outcome } = await get(`http://localhost:${server.port}/ok`, { policy: strictPolicy });
    assertOutcomeKind(outcome!, 'failed');
    assert.equal(outcome.code, 'OUTBOUND_ADDRESS_BLOCKED');
  });

  test('checks the address DNS returns at connect time, so rebinding to 127.0.0.1 is refused', async () => {
    const url = `http://hooks.rebind.test:${server.port}/ok`;
    // The URL looks public and passes config validation...
    assertOutboundUrlAllowed(url, strictPolicy);
    // ...but the name resolves to loopback when the connection is made.
    const { outcome } = await get(url, { policy: strictPolicy, resolveHost: resolveTo('127.0.0.1') });
    assertOutcomeKind(outcome!, 'failed');
    assert.equal(outcome.code, 'OUTBOUND_ADDRESS_BLOCKED');
    assert.match(outcome.message, /hooks\.rebind\.test.*127\.0\.0\.1/);
  });

  test('connects to the resolved address it checked', async () => {
    const { response } = await get(`http://hooks.rebind.test:${server.port}/ok`, { resolveHost: resolveTo('127.0.0.1') });
    assert.equal(response?.statusCode, 200);
    assert.equal(seen.at(-1)?.headers.host, `hooks.rebind.test:${server.port}`);
  });

  test('refuses a name when any of its addresses is blocked', async () => {
    const { outcome } = await get(`http://mixed.test:${server.port}/ok`, { resolveHost: resolveTo('127.0.0.1', '10.1.2.3') });
    assertOutcomeKind(outcome!, 'failed');
    assert.equal(outcome.code, 'OUTBOUND_ADDRESS_BLOCKED');
    assert.match(outcome.message, /10\.1\.2\.3.*private/);
  });

  test('a response that does not come in time is retry TIMEOUT', async () => {
    const { outcome } = await get(`${server.origin}/hang`, { requestTimeoutMs: 200 });
    assertOutcomeKind(outcome!, 'retry');
    assert.equal(outcome.code, 'TIMEOUT');
  });

  test('an aborted send is retry ABORTED, a timed-out signal is retry TIMEOUT', async () => {
    const controller = new AbortController();
    const pending = get(`${server.origin}/hang`, {}, controller.signal);
    controller.abort();
    const aborted = (await pending).outcome!;
    assertOutcomeKind(aborted, 'retry');
    assert.equal(aborted.code, 'ABORTED');

    const timedOut = (await get(`${server.origin}/hang`, {}, AbortSignal.timeout(100))).outcome!;
    assertOutcomeKind(timedOut, 'retry');
    assert.equal(timedOut.code, 'TIMEOUT');
  });

  test('a refused connection is retry CONNECTION_REFUSED, a reset one retry CONNECTION_ERROR', async () => {
    const refused = (await get(`http://127.0.0.1:${await findClosedPort()}/`)).outcome!;
    assertOutcomeKind(refused, 'retry');
    assert.equal(refused.code, 'CONNECTION_REFUSED');

    const reset = (await get(`${server.origin}/reset`)).outcome!;
    assertOutcomeKind(reset, 'retry');
    assert.equal(reset.code, 'CONNECTION_ERROR');
  });

  test('does not follow redirects', async () => {
    const requestsBefore = seen.length;
    const { response } = await get(`${server.origin}/redirect`);
    assert.equal(response?.statusCode, 302);
    assert.equal(seen.length, requestsBefore + 1);
  });

  test('cuts a huge response body off instead of buffering it all', async () => {
    const { response } = await get(`${server.origin}/large`);
    assert.equal(response?.body.length, 256 * 1024);
  });
});

describe('buildProviderUrl', () => {
  test('joins a base URL, with or without a path prefix or trailing slash, and a path', () => {
    assert.equal(buildProviderUrl('https://oapi.dingtalk.com', 'robot/send').href, 'https://oapi.dingtalk.com/robot/send');
    assert.equal(buildProviderUrl('https://gw.example.com/dt/', '/robot/send').href, 'https://gw.example.com/dt/robot/send');
  });

  test('encodes query parameters once', () => {
    assert.equal(
      buildProviderUrl('https://x.example.com/api', 'send', { sign: 'a+b/c=', note: 'x y' }).search,
      '?sign=a%2Bb%2Fc%3D&note=x+y',
    );
  });
});

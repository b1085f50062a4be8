import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../../clock.ts';
import { createOutboundDispatcher, type HostResolver } from '../outbound-http.ts';
import type { ProviderContext, SendOutcome, SendRequest, SenderEnvironment, TokenCache } from '../provider.ts';

/** What provider tests share: a guarded dispatcher, contexts, a sample request, outcome checks. */

export interface TestProviderEnvironment {
  /** A context like the worker builds for one send: the shared dispatcher, a fresh signal unless given. */
  context(overrides?: Partial<ProviderContext>): ProviderContext;
  close(): Promise<void>;
}

export interface TestProviderEnvironmentOptions {
  allowLoopback?: boolean;
  requestTimeoutMs?: number;
  clock?: Clock;
  resolveHost?: HostResolver;
}

export function memoryTokenCache(): TokenCache {
  const tokens = new Map<string, string>();
  return {
    async get(key, fetchToken) {
      const cached = tokens.get(key);
      if (cached !== undefined) return cached;
      const { token } = await fetchToken();
      tokens.set(key, token);
      return token;
    },
    async invalidate(key) {
      tokens.delete(key);
    },
  };
}

export function createTestProviderEnvironment(options: TestProviderEnvironmentOptions = {}): TestProviderEnvironment {
  const http = createOutboundDispatcher({
    policy: { allowLoopback: options.allowLoopback ?? true, allowPrivateNetworks: false },
    connectTimeoutMs: 2000,
    requestTimeoutMs: options.requestTimeoutMs ?? 5000,
    resolveHost: options.resolveHost,
  });
  const tokens = memoryTokenCache();
  const clock = options.clock ?? systemClock;
  return {
    context: (overrides = {}) => ({ http, tokens, clock, signal: new AbortController().signal, ...overrides }),
    close: () => http.close(),
  };
}

/** What `createSender` needs in tests: loopback allowed unless a test says otherwise. */
export function testSenderEnvironment(allowLoopback = true): SenderEnvironment {
  return { outboundPolicy: { allowLoopback, allowPrivateNetworks: false }, connectTimeoutMs: 2000 };
}

export function sampleSendRequest(overrides: Partial<SendRequest> = {}): SendRequest {
  return {
    deliveryId: 'dlv_01JH0000000000000000000001',
    messageId: 'msg_01JH0000000000000000000001',
    appId: 'app_test',
    dedupKey: 'msg_01JH0000000000000000000001:rcv_1:test',
    attempt: 1,
    address: null,
    content: {
      title: 'Deploy finished',
      summary: 'herald v1.2.3 is live',
      text: 'herald v1.2.3 is live on production.',
      markdown: '**herald v1.2.3** is live on production.',
      html: '<p><strong>herald v1.2.3</strong> is live on production.</p>',
      url: 'https://example.com/deploys/123',
    },
    metadata: { team: 'platform' },
    ...overrides,
  };
}

/** A loopback port with nothing listening on it, for "connection refused". */
export async function findClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Asserts the outcome is well formed and of the expected kind, and narrows it. */
export function assertOutcomeKind<K extends SendOutcome['kind']>(
  outcome: SendOutcome,
  kind: K,
): asserts outcome is Extract<SendOutcome, { kind: K }> {
  assert.equal(outcome.kind, kind, `expected a "${kind}" outcome, got ${JSON.stringify(outcome)}`);
  if (outcome.kind === 'sent') return;
  assert.equal(typeof outcome.code, 'string');
  assert.ok(outcome.code.length > 0, 'the outcome code is not empty');
  assert.equal(typeof outcome.message, 'string');
  if ('retryAfterMs' in outcome && outcome.retryAfterMs !== undefined) {
    assert.ok(Number.isFinite(outcome.retryAfterMs) && outcome.retryAfterMs >= 0, 'retryAfterMs is a non-negative number');
  }
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * A webhook receiver for tests. When given a secret it checks the signature with its own
 * HMAC code (not Herald's signing module), so a bug there cannot hide itself.
 */

export type WebhookTestServerMode = 'normal' | 'transient-error' | 'rate-limited' | 'bad-request' | 'hang';

export interface ReceivedWebhook {
  /** Path and query as requested. */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: unknown;
}

export interface WebhookTestServer {
  readonly url: string;
  readonly port: number;
  /** Every request, accepted or not. */
  readonly requestCount: number;
  /** Requests that passed the signature and JSON checks. */
  readonly received: readonly ReceivedWebhook[];
  /** Why requests were refused with 400/401. */
  readonly rejections: readonly string[];
  /** `transient-error` 500, `rate-limited` 429 + Retry-After, `bad-request` 400, `hang` never answers. */
  setMode(mode: WebhookTestServerMode): void;
  close(): Promise<void>;
}

export interface WebhookTestServerOptions {
  /** Require a valid `X-Herald-Signature` made with this secret. */
  secret?: string;
  clock?: Clock;
  toleranceSeconds?: number;
  retryAfterSeconds?: number;
}

function signatureProblem(headers: IncomingHttpHeaders, rawBody: string, secret: string, nowMs: number, toleranceSeconds: number): string | undefined {
  const timestamp = headers['x-herald-timestamp'];
  const signature = headers['x-herald-signature'];
  if (typeof timestamp !== 'string' || typeof signature !== 'string') return 'signature headers missing';
  if (!(Math.abs(nowMs / 1000 - Number(timestamp)) <= toleranceSeconds)) return `timestamp ${timestamp} outside tolerance`;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest();
  const given = Buffer.from(signature.replace(/^v1=/, ''), 'hex');
  if (!signature.startsWith('v1=') || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return 'signature mismatch';
  }
  return undefined;
}

export async function startWebhookTestServer(options: WebhookTestServerOptions = {}): Promise<WebhookTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: WebhookTestServerMode = 'normal';
  let requestCount = 0;
  const received: ReceivedWebhook[] = [];
  const rejections: string[] = [];

  const reject = (response: ServerResponse, status: number, reason: string) => {
    rejections.push(reason);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: reason }));
  };

  const server = await startLoopbackHttpServer((request, rawBodyBytes, response) => {
    requestCount++;
    const rawBody = rawBodyBytes.toString('utf8');

    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(500).end('internal error');
    if (mode === 'rate-limited') {
      return void response.writeHead(429, { 'retry-after': String(options.retryAfterSeconds ?? 7) }).end('slow down');
    }
    if (mode === 'bad-request') return reject(response, 400, 'rejected by test server');

    if (request.method !== 'POST') return reject(response, 405, `method ${request.method}`);
    if (request.headers['content-type'] !== 'application/json') return reject(response, 415, 'content-type is not application/json');
    if (options.secret !== undefined) {
      const problem = signatureProblem(request.headers, rawBody, options.secret, clock.now(), options.toleranceSeconds ?? 300);
      if (problem) return reject(response, 401, problem);
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return reject(response, 400, 'body is not JSON');
    }
    received.push({ url: request.url ?? '', headers: request.headers, rawBody, body });
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `wh_${received.length}` }));
  });

  return {
    url: `${server.origin}/hooks/herald`,
    port: server.port,
    get requestCount() {
      return requestCount;
    },
    received,
    rejections,
    setMode(next) {
      mode = next;
    },
    close: () => server.close(),
  };
}

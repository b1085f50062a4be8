import type { ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';
import { slackPayloadProblem } from '../conformance/slack-message-shapes.ts';

/**
 * Plays a Slack incoming webhook for tests (`POST /services/<team>/<bot>/<token>`): JSON
 * `{text, blocks}` checked as Slack documents it, the text `ok` on success, plain-text errors
 * with their 4xx status otherwise, and 429 + Retry-After beyond one message a second.
 */

export type SlackWebhookTestServerMode = 'normal' | 'transient-error' | 'archived' | 'hang';

export interface SlackWebhookTestServer {
  readonly baseUrl: string;
  readonly port: number;
  /** The webhook URL the server accepts. */
  readonly webhookUrl: string;
  readonly requestCount: number;
  readonly received: readonly Record<string, any>[];
  /** `transient-error`: 500 HTML; `archived`: 410 `channel_is_archived`; `hang`: no answer. */
  setMode(mode: SlackWebhookTestServerMode): void;
  close(): Promise<void>;
}

export interface SlackWebhookTestServerOptions {
  /** The path after /services/, e.g. T000/B000/XXXX. */
  path: string;
  clock?: Clock;
  /** Answer 429 beyond this many messages per second, as Slack does. */
  throttlePerSecond?: number;
}

export async function startSlackWebhookTestServer(options: SlackWebhookTestServerOptions): Promise<SlackWebhookTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: SlackWebhookTestServerMode = 'normal';
  let requestCount = 0;
  const received: Record<string, any>[] = [];
  const acceptedAtMs: number[] = [];
  const answer = (response: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) =>
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(500, { 'content-type': 'text/html' }).end('<html>Internal Server Error</html>');
    if (request.method !== 'POST' || request.url !== `/services/${options.path}`) return answer(response, 403, 'invalid_token');
    if (mode === 'archived') return answer(response, 410, 'channel_is_archived');
    if (!String(request.headers['content-type']).startsWith('application/json')) return answer(response, 400, 'invalid_payload');
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return answer(response, 400, 'invalid_payload');
    }
    const problem = slackPayloadProblem(payload);
    if (problem) return answer(response, 400, problem);
    if (options.throttlePerSecond !== undefined) {
      const inWindow = acceptedAtMs.filter((atMs) => atMs > clock.now() - 1000).length;
      if (inWindow >= options.throttlePerSecond) return answer(response, 429, 'rate_limited', { 'retry-after': '1' });
    }
    acceptedAtMs.push(clock.now());
    received.push(payload as Record<string, any>);
    answer(response, 200, 'ok');
  });

  return {
    baseUrl: server.origin,
    port: server.port,
    webhookUrl: `${server.origin}/services/${options.path}`,
    get requestCount() {
      return requestCount;
    },
    received,
    setMode(next) {
      mode = next;
    },
    close: () => server.close(),
  };
}

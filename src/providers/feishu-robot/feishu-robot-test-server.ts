import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { feishuObjectMessageProblem, isObject } from '../conformance/feishu-message-shapes.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * Plays the Feishu custom bot API (`POST /open-apis/bot/v2/hook/{token}`) for tests, as
 * documented: checks the token, recomputes the signature carried in the body with its own
 * code (timestamp in seconds, at most an hour off), checks the msg_type / content shapes and
 * the 20 KB body limit, the keyword rule, and can throttle (11232). Every answer is HTTP 200
 * with a `code`, like the bot.
 */

export type FeishuRobotTestServerMode = 'normal' | 'transient-error' | 'hang' | 'legacy-answer' | 'ip-not-allowed';

export interface ReceivedFeishuRobotMessage {
  token: string;
  body: Record<string, any>;
}

export interface FeishuRobotTestServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly requestCount: number;
  /** Messages the server accepted (code 0). */
  readonly received: readonly ReceivedFeishuRobotMessage[];
  /**
   * `transient-error`: HTTP 503 page; `hang`: no answer; `legacy-answer`: success in the old
   * `{"StatusCode":0,"StatusMessage":"success"}` form; `ip-not-allowed`: 19022.
   */
  setMode(mode: FeishuRobotTestServerMode): void;
  close(): Promise<void>;
}

export interface FeishuRobotTestServerOptions {
  webhookToken: string;
  /** When set, every request must carry a valid timestamp and sign in its body. */
  secret?: string;
  /** 自定义关键词: a message must contain one of them. */
  keywords?: readonly string[];
  clock?: Clock;
  /** Answer 11232 beyond any of these windows (Feishu: 5 per 1 s and 100 per 60 s). */
  throttle?: ReadonlyArray<{ count: number; perSeconds: number }>;
}

const MAX_TIMESTAMP_SKEW_SECONDS = 60 * 60;
const MAX_BODY_BYTES = 20 * 1024;
const SIGNATURE_FIELDS = new Set(['timestamp', 'sign']);

export async function startFeishuRobotTestServer(options: FeishuRobotTestServerOptions): Promise<FeishuRobotTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: FeishuRobotTestServerMode = 'normal';
  let requestCount = 0;
  const received: ReceivedFeishuRobotMessage[] = [];
  const acceptedAtMs: number[] = [];

  const answer = (response: ServerResponse, code: number, msg: string) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code, data: {}, msg }));

  const signatureProblem = (body: Record<string, any>): string | undefined => {
    if (options.secret === undefined) return undefined;
    const { timestamp, sign } = body;
    if (typeof timestamp !== 'string' || typeof sign !== 'string') return 'timestamp and sign (strings) are required';
    if (!/^\d+$/.test(timestamp) || Math.abs(Math.floor(clock.now() / 1000) - Number(timestamp)) > MAX_TIMESTAMP_SKEW_SECONDS) {
      return 'timestamp is not within one hour from current time';
    }
    const expected = createHmac('sha256', timestamp + '\n' + options.secret).digest('base64');
    return sign === expected ? undefined : 'sign match fail';
  };

  const throttled = () =>
    (options.throttle ?? []).some(({ count, perSeconds }) => {
      const windowStartMs = clock.now() - perSeconds * 1000;
      return acceptedAtMs.filter((atMs) => atMs > windowStartMs).length >= count;
    });

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;

    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(503, { 'content-type': 'text/html' }).end('<html>Service Unavailable</html>');

    const url = new URL(request.url ?? '/', 'http://feishu.test');
    const match = /^\/open-apis\/bot\/v2\/hook\/([^/]+)$/.exec(url.pathname);
    if (request.method !== 'POST' || !match) return void response.writeHead(404).end();
    const token = decodeURIComponent(match[1]);
    if (token !== options.webhookToken) return answer(response, 19001, 'param invalid: incoming webhook access token invalid');
    if (mode === 'ip-not-allowed') return answer(response, 19022, 'Ip Not Allowed');
    if (!String(request.headers['content-type']).startsWith('application/json')) return answer(response, 9499, 'Bad Request: content-type');
    if (rawBody.length > MAX_BODY_BYTES) return answer(response, 9499, 'Bad Request: request body exceeds 20 KB');

    let body: Record<string, any>;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return answer(response, 9499, 'Bad Request: body is not JSON');
    }
    if (!isObject(body)) return answer(response, 9499, 'Bad Request: body is not an object');
    const problem = signatureProblem(body);
    if (problem) return answer(response, 19021, `sign match fail or timestamp is not within one hour from current time: ${problem}`);
    const shapeProblem = feishuObjectMessageProblem(body, SIGNATURE_FIELDS);
    if (shapeProblem) return answer(response, 9499, `Bad Request: ${shapeProblem}`);
    if (options.keywords && !options.keywords.some((keyword) => JSON.stringify(body.content ?? body.card).includes(keyword))) {
      return answer(response, 19024, 'Key Words Not Found');
    }
    if (throttled()) return answer(response, 11232, 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]');

    acceptedAtMs.push(clock.now());
    received.push({ token, body });
    if (mode === 'legacy-answer') {
      return void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Extra: null, StatusCode: 0, StatusMessage: 'success' }));
    }
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ StatusCode: 0, StatusMessage: 'success', code: 0, data: {}, msg: 'success' }));
  });

  return {
    baseUrl: server.origin,
    port: server.port,
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

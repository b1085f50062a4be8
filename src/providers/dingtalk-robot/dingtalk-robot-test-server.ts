import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * Plays the DingTalk robot API (`POST /robot/send`) for tests, as documented: checks the
 * token, recomputes the 加签 signature with its own code, validates the message shape and
 * can throttle at 20 messages a minute. Rejections answer HTTP 200 with an errcode, like DingTalk.
 */

export type DingtalkRobotTestServerMode = 'normal' | 'transient-error' | 'invalid-json' | 'hang';

export interface ReceivedDingtalkMessage {
  query: URLSearchParams;
  body: Record<string, any>;
}

export interface DingtalkRobotTestServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly requestCount: number;
  /** Messages the server accepted (errcode 0). */
  readonly received: readonly ReceivedDingtalkMessage[];
  /** `transient-error`: HTTP 502 HTML page; `invalid-json`: HTTP 200 that is not JSON; `hang`: no answer. */
  setMode(mode: DingtalkRobotTestServerMode): void;
  close(): Promise<void>;
}

export interface DingtalkRobotTestServerOptions {
  accessToken: string;
  /** When set, every request must carry a valid timestamp and sign. */
  secret?: string;
  clock?: Clock;
  /** Answer 130101 beyond this many accepted messages per window, as DingTalk does (20 per 60 s). */
  throttle?: { count: number; perSeconds: number };
}

const MAX_TIMESTAMP_SKEW_MS = 60 * 60_000;

const isString = (value: unknown) => typeof value === 'string' && value.length > 0;
const isStringArray = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');

function bodyProblem(body: Record<string, any>): string | undefined {
  if (body.msgtype === 'text') {
    if (!isString(body.text?.content)) return 'text.content is required';
  } else if (body.msgtype === 'markdown') {
    if (!isString(body.markdown?.title) || !isString(body.markdown?.text)) return 'markdown.title and markdown.text are required';
  } else {
    return `unsupported msgtype ${JSON.stringify(body.msgtype)}`;
  }
  const { at } = body;
  if (at !== undefined) {
    if (typeof at !== 'object' || at === null) return 'at must be an object';
    if (at.atMobiles !== undefined && !isStringArray(at.atMobiles)) return 'at.atMobiles must be a string array';
    if (at.atUserIds !== undefined && !isStringArray(at.atUserIds)) return 'at.atUserIds must be a string array';
    if (at.isAtAll !== undefined && typeof at.isAtAll !== 'boolean') return 'at.isAtAll must be a boolean';
  }
  return undefined;
}

export async function startDingtalkRobotTestServer(options: DingtalkRobotTestServerOptions): Promise<DingtalkRobotTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: DingtalkRobotTestServerMode = 'normal';
  let requestCount = 0;
  const received: ReceivedDingtalkMessage[] = [];
  const acceptedAtMs: number[] = [];

  const answer = (response: ServerResponse, errcode: number, errmsg: string) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode, errmsg }));

  const signatureProblem = (query: URLSearchParams): string | undefined => {
    const secret = options.secret;
    if (secret === undefined) return undefined;
    const timestamp = query.get('timestamp');
    const sign = query.get('sign');
    if (!timestamp || !sign) return 'timestamp and sign are required';
    if (!/^\d+$/.test(timestamp) || Math.abs(clock.now() - Number(timestamp)) > MAX_TIMESTAMP_SKEW_MS) {
      return 'timestamp is more than 1 hour off';
    }
    const expected = createHmac('sha256', secret).update(timestamp + '\n' + secret, 'utf8').digest('base64');
    return sign === expected ? undefined : 'sign not match';
  };

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;

    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    if (mode === 'invalid-json') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');

    const url = new URL(request.url ?? '/', 'http://robot.test');
    if (request.method !== 'POST' || url.pathname !== '/robot/send') return void response.writeHead(404).end();
    if (url.searchParams.get('access_token') !== options.accessToken) return answer(response, 300005, 'token is not exist');
    const problem = signatureProblem(url.searchParams);
    if (problem) return answer(response, 310000, `sign not match, ${problem}`);
    if (!String(request.headers['content-type']).startsWith('application/json')) return answer(response, 40035, 'content-type must be application/json');

    let body: Record<string, any>;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return answer(response, 40035, 'body is not JSON');
    }
    const shapeProblem = bodyProblem(body);
    if (shapeProblem) return answer(response, 40035, `缺少参数: ${shapeProblem}`);

    if (options.throttle) {
      const windowStartMs = clock.now() - options.throttle.perSeconds * 1000;
      const inWindow = acceptedAtMs.filter((atMs) => atMs > windowStartMs).length;
      if (inWindow >= options.throttle.count) return answer(response, 130101, 'send too fast, exceed 20 times per minute');
    }
    acceptedAtMs.push(clock.now());
    received.push({ query: url.searchParams, body });
    answer(response, 0, 'ok');
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

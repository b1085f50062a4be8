import type { ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * Plays the WeCom group robot API (`POST /cgi-bin/webhook/send?key=..`) for tests, as
 * documented: checks the key, parses the body strictly per msgtype (text ≤ 2048 bytes,
 * markdown ≤ 4096 bytes, news 1–8 articles) and can throttle at 20 messages a minute.
 * Rejections answer HTTP 200 with an errcode, like WeCom.
 */

export type WecomRobotTestServerMode = 'normal' | 'transient-error' | 'invalid-json' | 'busy' | 'hang';

export interface ReceivedWecomRobotMessage {
  body: Record<string, any>;
}

export interface WecomRobotTestServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly requestCount: number;
  /** Messages the server accepted (errcode 0). */
  readonly received: readonly ReceivedWecomRobotMessage[];
  /** `transient-error`: HTTP 502 page; `invalid-json`: HTTP 200 that is not JSON; `busy`: errcode -1; `hang`: no answer. */
  setMode(mode: WecomRobotTestServerMode): void;
  close(): Promise<void>;
}

export interface WecomRobotTestServerOptions {
  key: string;
  clock?: Clock;
  /** Answer 45009 beyond this many accepted messages per window (WeCom: 20 per 60 s). */
  throttle?: { count: number; perSeconds: number };
}

const TEXT_MAX_BYTES = 2048;
const MARKDOWN_MAX_BYTES = 4096;
const MAX_ARTICLES = 8;

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isStringList = (value: unknown) => value === undefined || (Array.isArray(value) && value.every(isText));
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const onlyKeys = (value: Record<string, unknown>, allowed: string[]) => Object.keys(value).every((key) => allowed.includes(key));

/** The errcode 40058 problem with the body, or undefined when WeCom would accept it. */
function bodyProblem(body: Record<string, any>): string | undefined {
  switch (body.msgtype) {
    case 'text': {
      const { text } = body;
      if (!onlyKeys(body, ['msgtype', 'text']) || typeof text !== 'object' || text === null) return 'text is required';
      if (!onlyKeys(text, ['content', 'mentioned_list', 'mentioned_mobile_list'])) return 'unknown field in text';
      if (!isText(text.content)) return 'text.content is required';
      if (bytes(text.content) > TEXT_MAX_BYTES) return 'content exceed max length 2048';
      if (!isStringList(text.mentioned_list) || !isStringList(text.mentioned_mobile_list)) return 'mentioned lists must be string arrays';
      return undefined;
    }
    case 'markdown': {
      const { markdown } = body;
      if (!onlyKeys(body, ['msgtype', 'markdown']) || typeof markdown !== 'object' || markdown === null) return 'markdown is required';
      if (!onlyKeys(markdown, ['content']) || !isText(markdown.content)) return 'markdown.content is required';
      if (bytes(markdown.content) > MARKDOWN_MAX_BYTES) return 'markdown.content exceed max length 4096';
      return undefined;
    }
    case 'news': {
      const articles = body.news?.articles;
      if (!onlyKeys(body, ['msgtype', 'news']) || !Array.isArray(articles)) return 'news.articles is required';
      if (articles.length < 1 || articles.length > MAX_ARTICLES) return 'news.articles must hold 1 to 8 articles';
      for (const article of articles) {
        if (typeof article !== 'object' || article === null || !onlyKeys(article, ['title', 'description', 'url', 'picurl'])) return 'invalid article';
        if (!isText(article.title) || !isText(article.url)) return 'article title and url are required';
        if (article.description !== undefined && typeof article.description !== 'string') return 'article description must be a string';
        if (article.picurl !== undefined && !isText(article.picurl)) return 'article picurl must be a string';
      }
      return undefined;
    }
    default:
      return `invalid msgtype ${JSON.stringify(body.msgtype)}`;
  }
}

export async function startWecomRobotTestServer(options: WecomRobotTestServerOptions): Promise<WecomRobotTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: WecomRobotTestServerMode = 'normal';
  let requestCount = 0;
  const received: ReceivedWecomRobotMessage[] = [];
  const acceptedAtMs: number[] = [];

  const answer = (response: ServerResponse, errcode: number, errmsg: string) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errcode, errmsg }));

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    if (mode === 'invalid-json') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    if (mode === 'busy') return answer(response, -1, 'system busy');

    const url = new URL(request.url ?? '/', 'http://robot.test');
    if (request.method !== 'POST' || url.pathname !== '/cgi-bin/webhook/send') return void response.writeHead(404).end();
    if (url.searchParams.get('key') !== options.key) return answer(response, 93000, 'invalid webhook url, hint: [1700000000_1], from ip: 127.0.0.1');
    if (!String(request.headers['content-type']).startsWith('application/json')) return answer(response, 40058, 'invalid Request Parameter, content-type');

    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return answer(response, 40058, 'invalid Request Parameter, body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return answer(response, 40058, 'invalid Request Parameter');
    const problem = bodyProblem(body as Record<string, any>);
    if (problem) return answer(response, 40058, `invalid Request Parameter, ${problem}`);

    if (options.throttle) {
      const windowStartMs = clock.now() - options.throttle.perSeconds * 1000;
      if (acceptedAtMs.filter((atMs) => atMs > windowStartMs).length >= options.throttle.count) {
        return answer(response, 45009, 'api freq out of limit');
      }
    }
    acceptedAtMs.push(clock.now());
    received.push({ body: body as Record<string, any> });
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

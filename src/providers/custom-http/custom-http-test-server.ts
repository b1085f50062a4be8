import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * A company's own IM API, the kind custom-http accounts call. Its "documentation":
 * - `POST /api/v1/messages` (or the method the server is started with), `Authorization: Bearer <token>`,
 *   `Content-Type: application/json`, body exactly `{"to":string,"text":string}` plus optional
 *   `"title":string` and `"extra":object`; `POST /api/v1/messages/form` takes `to`, `text`
 *   (and `title`) form-encoded.
 * - Answers HTTP 200 `{"code":0,"msg":"ok","data":{"msgId":"im_<n>"}}`; an unknown user is HTTP 200
 *   `{"code":40013,"msg":"unknown user"}`; a malformed request HTTP 400; a bad token HTTP 401.
 * - An `Idempotency-Key` seen before answers the first message's id again without sending twice.
 */

export type CustomHttpTestServerMode =
  | 'normal'
  | 'transient-error'
  | 'hang'
  /** 429 with Retry-After. */
  | 'rate-limited'
  /** 202 Accepted with the usual JSON: queued, not yet sent. */
  | 'accepted'
  /** 200 with an HTML page, as a misconfigured proxy answers. */
  | 'html-answer';

export interface ReceivedImRequest {
  method: string;
  /** Path and query as requested. */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed body: the JSON object, or the form fields. */
  body: Record<string, unknown>;
}

export interface DeliveredImMessage {
  msgId: string;
  to: string;
  text: string;
  title?: string;
}

export interface CustomHttpTestServer {
  readonly origin: string;
  readonly port: number;
  /** The JSON endpoint. */
  readonly url: string;
  readonly formUrl: string;
  readonly requestCount: number;
  /** Requests that passed the checks (unknown users included). */
  readonly received: readonly ReceivedImRequest[];
  /** Messages delivered to a known user, each once. */
  readonly delivered: readonly DeliveredImMessage[];
  /** Why requests were refused with 4xx. */
  readonly rejections: readonly string[];
  setMode(mode: CustomHttpTestServerMode): void;
  close(): Promise<void>;
}

export interface CustomHttpTestServerOptions {
  token: string;
  users: readonly string[];
  /** The method the JSON endpoint takes; POST unless told. */
  method?: 'POST' | 'PUT' | 'PATCH';
  /** Retry-After in `rate-limited` mode, verbatim (delay-seconds or an HTTP date). */
  retryAfter?: string;
}

const JSON_FIELDS = new Set(['to', 'text', 'title', 'extra']);
const FORM_FIELDS = new Set(['to', 'text', 'title']);

const mediaType = (headers: IncomingHttpHeaders) => String(headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();

/** The request body as the API defines it, or why it is not. */
function parseJsonBody(rawBody: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(rawBody);
  } catch {
    return 'body is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'body is not a JSON object';
  const body = value as Record<string, unknown>;
  const unknown = Object.keys(body).find((key) => !JSON_FIELDS.has(key));
  if (unknown !== undefined) return `unknown field ${unknown}`;
  if (body.title !== undefined && typeof body.title !== 'string') return 'title is not a string';
  if (body.extra !== undefined && (typeof body.extra !== 'object' || body.extra === null || Array.isArray(body.extra))) return 'extra is not an object';
  return body;
}

function parseFormBody(rawBody: string): Record<string, unknown> | string {
  const fields = new URLSearchParams(rawBody);
  const body: Record<string, unknown> = {};
  for (const [name, value] of fields) {
    if (!FORM_FIELDS.has(name)) return `unknown field ${name}`;
    if (Object.hasOwn(body, name)) return `field ${name} given twice`;
    body[name] = value;
  }
  return body;
}

export async function startCustomHttpTestServer(options: CustomHttpTestServerOptions): Promise<CustomHttpTestServer> {
  let mode: CustomHttpTestServerMode = 'normal';
  let requestCount = 0;
  const received: ReceivedImRequest[] = [];
  const delivered: DeliveredImMessage[] = [];
  const rejections: string[] = [];
  const byIdempotencyKey = new Map<string, string>();
  const users = new Set(options.users);
  const jsonMethod = options.method ?? 'POST';

  const answer = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const reject = (response: ServerResponse, status: number, reason: string) => {
    rejections.push(reason);
    answer(response, status, { code: status, msg: reason });
  };

  const handle = (request: IncomingMessage, rawBody: string, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const isForm = path === '/api/v1/messages/form';
    if (path !== '/api/v1/messages' && !isForm) return reject(response, 404, `no route ${path}`);
    const expectedMethod = isForm ? 'POST' : jsonMethod;
    if (request.method !== expectedMethod) return reject(response, 405, `method ${request.method}`);
    if (request.headers.authorization !== `Bearer ${options.token}`) return reject(response, 401, 'bad token');
    const expectedType = isForm ? 'application/x-www-form-urlencoded' : 'application/json';
    if (mediaType(request.headers) !== expectedType) return reject(response, 415, `content-type ${request.headers['content-type']}`);
    const body = isForm ? parseFormBody(rawBody) : parseJsonBody(rawBody);
    if (typeof body === 'string') return reject(response, 400, body);
    if (typeof body.to !== 'string' || body.to === '') return reject(response, 400, 'to is required');
    if (typeof body.text !== 'string' || body.text === '') return reject(response, 400, 'text is required');
    received.push({ method: request.method, url: request.url ?? '', headers: request.headers, rawBody, body });

    if (!users.has(body.to)) return answer(response, 200, { code: 40013, msg: 'unknown user' });
    const key = request.headers['idempotency-key'];
    let msgId = typeof key === 'string' ? byIdempotencyKey.get(key) : undefined;
    if (msgId === undefined) {
      msgId = `im_${delivered.length + 1}`;
      delivered.push({ msgId, to: body.to, text: body.text, ...(typeof body.title === 'string' ? { title: body.title } : {}) });
      if (typeof key === 'string') byIdempotencyKey.set(key, msgId);
    }
    answer(response, mode === 'accepted' ? 202 : 200, { code: 0, msg: 'ok', data: { msgId } });
  };

  const server = await startLoopbackHttpServer((request, rawBodyBytes, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(500).end('internal error');
    if (mode === 'rate-limited') {
      return void response
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': options.retryAfter ?? '7' })
        .end(JSON.stringify({ code: 429, msg: 'too many requests' }));
    }
    if (mode === 'html-answer') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>gateway</body></html>');
    handle(request, rawBodyBytes.toString('utf8'), response);
  });

  return {
    origin: server.origin,
    port: server.port,
    url: `${server.origin}/api/v1/messages`,
    formUrl: `${server.origin}/api/v1/messages/form`,
    get requestCount() {
      return requestCount;
    },
    received,
    delivered,
    rejections,
    setMode(next) {
      mode = next;
    },
    close: () => server.close(),
  };
}

import { randomUUID } from 'node:crypto';
import type { paths } from './api-types.ts';
import { HeraldApiError, HeraldNetworkError } from './herald-api-error.ts';
import { signRequest, uriEncode } from './sigv4-signer.ts';

/** Methods of a path in the generated API types. */
type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
/** The JSON body a route takes, from the OpenAPI document. */
export type RequestBody<P extends keyof paths, M extends Method> = Operation<P, M> extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;
/** The query parameters a route takes, from the OpenAPI document. */
export type QueryOf<P extends keyof paths, M extends Method> = Operation<P, M> extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;
/** The answer of a route whose OpenAPI document declares one, else `unknown`. */
export type ResponseOf<P extends keyof paths, M extends Method> = Operation<P, M> extends { responses: infer Responses }
  ? { [Status in keyof Responses]: Responses[Status] extends { content: { 'application/json': infer Body } } ? Body : never }[keyof Responses] extends infer Body
    ? [Body] extends [never] ? unknown : Body
    : unknown
  : unknown;

export type SendRequest = RequestBody<'/v1/messages', 'post'>;
export type BatchSendRequest = RequestBody<'/v1/messages/batch', 'post'>;
export type MessageQuery = QueryOf<'/v1/messages', 'get'>;

/** What a send answers (202), and whether it was a replay. */
export type AcceptedMessage = ResponseOf<'/v1/messages', 'post'> & {
  /** True when Herald answered an earlier request with the same idempotency key (header Idempotent-Replayed). */
  replayed: boolean;
};
/** A message with its deliveries and event trail (GET /v1/messages/{id}). */
export type MessageView = ResponseOf<'/v1/messages/{id}', 'get'>;
/** A page of messages (GET /v1/messages): summaries, without deliveries and trail. */
export type MessagePage = ResponseOf<'/v1/messages', 'get'>;

export interface HeraldClientOptions {
  /** Herald's base URL, e.g. https://herald.example.com */
  url: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Any region is accepted; default cn-north-1. */
  region?: string;
  /** Retries after the first attempt of a retryable request. Default 4. */
  maxRetries?: number;
  /** First retry delay without Retry-After; doubles per retry, with jitter. Default 250 ms. */
  retryBaseDelayMs?: number;
  /** Longest wait between retries, Retry-After included. Default 30 s. */
  maxRetryDelayMs?: number;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  /** For tests and custom agents. Default: the global fetch. */
  fetch?: typeof fetch;
  /** For tests: how to wait between retries. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Default Date.now. */
  now?: () => number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Makes a POST safe to retry: Herald answers a repeat with the first answer. Sends get a random one by default. */
  idempotencyKey?: string;
}

export interface HeraldResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** POST routes that accept an Idempotency-Key; the client adds one so that retrying them never sends twice. */
const SEND_PATHS = new Set(['/v1/messages', '/v1/messages/batch']);

/**
 * A signed client for Herald's `/v1` API. Network errors, 5xx answers and 429 are retried (429 and
 * 503 after their Retry-After) when repeating the request cannot do a thing twice: idempotent
 * methods, and requests carrying an idempotency key — which every send gets.
 */
export class HeraldClient {
  readonly #options: Required<Omit<HeraldClientOptions, 'fetch' | 'sleep' | 'now'>> & Pick<HeraldClientOptions, 'fetch' | 'sleep' | 'now'>;
  readonly #base: URL;

  constructor(options: HeraldClientOptions) {
    if (!options.url || !options.accessKeyId || !options.secretAccessKey) throw new TypeError('HeraldClient needs url, accessKeyId and secretAccessKey');
    this.#base = new URL(options.url);
    // Options given as undefined take the defaults too.
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as HeraldClientOptions;
    this.#options = { region: 'cn-north-1', maxRetries: 4, retryBaseDelayMs: 250, maxRetryDelayMs: 30_000, timeoutMs: 30_000, ...given };
  }

  /** Any `/v1` route: signs, sends, retries what is safe to retry, and throws HeraldApiError for a 4xx/5xx answer. */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<HeraldResponse<T>> {
    const upper = method.toUpperCase();
    const url = new URL(path, this.#base);
    // Encoded here (RFC 3986), so the signed query is exactly the one sent.
    const query = Object.entries(options.query ?? {}).filter(([, value]) => value !== undefined);
    url.search = query.map(([name, value]) => `${uriEncode(name)}=${uriEncode(String(value))}`).join('&');
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers };
    const bodyKey = (options.body as { idempotencyKey?: unknown } | undefined)?.idempotencyKey;
    const idempotencyKey = options.idempotencyKey ?? (upper === 'POST' && SEND_PATHS.has(url.pathname) && bodyKey === undefined ? randomUUID() : undefined);
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    const retryable = IDEMPOTENT_METHODS.has(upper) || idempotencyKey !== undefined || typeof bodyKey === 'string';

    const { fetch: fetchImpl = globalThis.fetch, sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)), now = Date.now } = this.#options;
    for (let attempt = 0; ; attempt++) {
      const canRetry = retryable && attempt < this.#options.maxRetries;
      // Signed anew per attempt: a fresh date and nonce, since Herald refuses a signature seen before.
      const signed = signRequest({ method: upper, url, headers, body, accessKeyId: this.#options.accessKeyId, secretAccessKey: this.#options.secretAccessKey, region: this.#options.region, nowMs: now() });
      let response: Response;
      try {
        response = await fetchImpl(url, { method: upper, headers: signed, body, signal: AbortSignal.timeout(this.#options.timeoutMs) });
      } catch (error) {
        if (!canRetry) throw new HeraldNetworkError(`${upper} ${url.pathname} got no answer after ${attempt + 1} attempt(s): ${describe(error)}`, attempt + 1, error);
        await sleep(this.#backoff(attempt));
        continue;
      }
      const text = await response.text().catch(() => '');
      const parsed = parseJson(text);
      if (response.ok) return { status: response.status, headers: response.headers, body: parsed as T };
      const retryAfter = retryAfterSeconds(response.headers.get('retry-after'), now());
      if (canRetry && (response.status >= 500 || response.status === 429)) {
        await sleep(retryAfter !== undefined ? Math.min(retryAfter * 1000, this.#options.maxRetryDelayMs) : this.#backoff(attempt));
        continue;
      }
      throw HeraldApiError.fromAnswer(response.status, parsed ?? text, retryAfter);
    }
  }

  #backoff(attempt: number): number {
    const ceiling = Math.min(this.#options.retryBaseDelayMs * 2 ** attempt, this.#options.maxRetryDelayMs);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** The calling app and access key: a quick check of the credentials. */
  async whoami(): Promise<{ appId: string; appName?: string; accessKeyId: string; [field: string]: unknown }> {
    return (await this.request<{ appId: string; accessKeyId: string }>('GET', '/v1/whoami')).body;
  }

  /** POST /v1/messages; retried safely under `idempotencyKey` (random unless given). */
  async send(body: SendRequest, options: { idempotencyKey?: string } = {}): Promise<AcceptedMessage> {
    return accepted(await this.request<Omit<AcceptedMessage, 'replayed'>>('POST', '/v1/messages', { body, idempotencyKey: options.idempotencyKey }));
  }

  /** POST /v1/messages/batch: one message to ≤ 1,000 receivers, each with its own data. */
  async sendBatch(body: BatchSendRequest, options: { idempotencyKey?: string } = {}): Promise<AcceptedMessage> {
    return accepted(await this.request<Omit<AcceptedMessage, 'replayed'>>('POST', '/v1/messages/batch', { body, idempotencyKey: options.idempotencyKey }));
  }

  /** A message with its deliveries and event trail. */
  async getMessage<T = MessageView>(id: string): Promise<T> {
    return (await this.request<T>('GET', `/v1/messages/${uriEncode(id)}`)).body;
  }

  /** Newest first; pass `nextCursor` back as `cursor` for the next page. */
  async listMessages(query: MessageQuery = {}): Promise<MessagePage> {
    return (await this.request<MessagePage>('GET', '/v1/messages', { query })).body;
  }

  async cancelMessage(id: string): Promise<ResponseOf<'/v1/messages/{id}/cancel', 'post'>> {
    return (await this.request<ResponseOf<'/v1/messages/{id}/cancel', 'post'>>('POST', `/v1/messages/${uriEncode(id)}/cancel`)).body;
  }
}

function accepted(response: HeraldResponse<Omit<AcceptedMessage, 'replayed'>>): AcceptedMessage {
  return { ...response.body, replayed: response.headers.get('idempotent-replayed') === 'true' };
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After as seconds: a number of seconds or an HTTP date. */
function retryAfterSeconds(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

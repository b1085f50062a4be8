import type { ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * Plays Discord's Execute Webhook (`POST /api/webhooks/{id}/{token}`) for tests: checks the
 * webhook id and token, the query, the JSON body field by field against Discord's limits
 * (content ≤ 2,000, ≤ 10 embeds, embed title ≤ 256, description ≤ 4,096, all embeds
 * ≤ 6,000 characters), works out which mentions would ping, and throttles like a webhook
 * bucket with a 429 `{"retry_after": <seconds, float>}` plus the rate limit headers.
 */

export interface AcceptedDiscordMessage {
  id: string;
  query: URLSearchParams;
  body: Record<string, any>;
  /** What the message would ping: `everyone` (also @here), role and user ids. Empty when allowed_mentions forbids it. */
  pinged: string[];
}

export type DiscordTestServerMode = 'normal' | 'transient-error' | 'server-error' | 'invalid-json' | 'hang';

export interface DiscordWebhookTestServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly requestCount: number;
  readonly accepted: readonly AcceptedDiscordMessage[];
  /** `transient-error`: a 502 HTML page from the edge; `server-error`: Discord's own 500 JSON. */
  setMode(mode: DiscordTestServerMode): void;
  close(): Promise<void>;
}

export interface DiscordWebhookTestServerOptions {
  webhookId: string;
  webhookToken: string;
  /** Threads of the webhook's channel that `thread_id` may name. */
  threadIds?: readonly string[];
  clock?: Clock;
  /** The webhook bucket: beyond `count` messages per `perSeconds`, 429. */
  throttle?: { count: number; perSeconds: number };
}

const MAX_CONTENT_CHARS = 2_000;
const MAX_EMBEDS = 10;
const MAX_EMBED_TITLE_CHARS = 256;
const MAX_EMBED_DESCRIPTION_CHARS = 4_096;
const MAX_EMBED_TOTAL_CHARS = 6_000;
const BODY_FIELDS = new Set(['content', 'embeds', 'username', 'avatar_url', 'allowed_mentions']);
const EMBED_FIELDS = new Set(['title', 'description', 'url', 'color', 'timestamp']);
const MENTION_TYPES = new Set(['users', 'roles', 'everyone']);

const chars = (text: string) => [...text].length;
const isHttpUrl = (value: unknown) => {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** Discord's 50035 "Invalid Form Body" names each bad field; one is enough here. */
function formProblem(body: Record<string, any>): { field: string; message: string } | undefined {
  const unknown = Object.keys(body).find((field) => !BODY_FIELDS.has(field));
  if (unknown) return { field: unknown, message: 'Unknown field' };
  if (body.content !== undefined && (typeof body.content !== 'string' || chars(body.content) > MAX_CONTENT_CHARS)) {
    return { field: 'content', message: `Must be ${MAX_CONTENT_CHARS} or fewer in length.` };
  }
  if (body.username !== undefined && (typeof body.username !== 'string' || chars(body.username) < 1 || chars(body.username) > 80 || /clyde|discord/i.test(body.username))) {
    return { field: 'username', message: 'Username cannot contain "clyde" or "discord" and must be 1-80 characters' };
  }
  if (body.avatar_url !== undefined && !isHttpUrl(body.avatar_url)) return { field: 'avatar_url', message: 'Not a well formed URL.' };
  const mentions = body.allowed_mentions;
  if (mentions !== undefined) {
    const parse = mentions?.parse;
    const wellFormed = typeof mentions === 'object' && mentions !== null && Object.keys(mentions).every((key) => ['parse', 'users', 'roles', 'replied_user'].includes(key));
    if (!wellFormed || (parse !== undefined && (!Array.isArray(parse) || !parse.every((type: unknown) => MENTION_TYPES.has(type as string))))) {
      return { field: 'allowed_mentions', message: 'Invalid allowed mentions' };
    }
  }
  if (body.embeds !== undefined) {
    if (!Array.isArray(body.embeds) || body.embeds.length > MAX_EMBEDS) return { field: 'embeds', message: `Must be ${MAX_EMBEDS} or fewer in length.` };
    let total = 0;
    for (const [index, embed] of body.embeds.entries()) {
      const field = `embeds.${index}`;
      if (typeof embed !== 'object' || embed === null || Array.isArray(embed)) return { field, message: 'Must be an object' };
      const unknownEmbedField = Object.keys(embed).find((key) => !EMBED_FIELDS.has(key));
      if (unknownEmbedField) return { field: `${field}.${unknownEmbedField}`, message: 'Unknown field' };
      if (embed.title !== undefined && (typeof embed.title !== 'string' || chars(embed.title) > MAX_EMBED_TITLE_CHARS)) return { field: `${field}.title`, message: 'Must be 256 or fewer in length.' };
      if (embed.description !== undefined && (typeof embed.description !== 'string' || chars(embed.description) > MAX_EMBED_DESCRIPTION_CHARS)) {
        return { field: `${field}.description`, message: 'Must be 4096 or fewer in length.' };
      }
      if (embed.url !== undefined && !isHttpUrl(embed.url)) return { field: `${field}.url`, message: 'Not a well formed URL.' };
      total += chars(embed.title ?? '') + chars(embed.description ?? '');
    }
    if (total > MAX_EMBED_TOTAL_CHARS) return { field: 'embeds', message: `Embed size exceeds maximum size of ${MAX_EMBED_TOTAL_CHARS}` };
  }
  return undefined;
}

/** Who the content pings under `allowed_mentions` (absent: everything it mentions). */
function pingsOf(body: Record<string, any>): string[] {
  const content = typeof body.content === 'string' ? body.content : '';
  const allowed: string[] = body.allowed_mentions?.parse ?? ['users', 'roles', 'everyone'];
  const pings: string[] = [];
  if (allowed.includes('everyone') && /@(everyone|here)/.test(content)) pings.push('everyone');
  if (allowed.includes('roles')) pings.push(...[...content.matchAll(/<@&(\d+)>/g)].map((match) => `role:${match[1]}`));
  if (allowed.includes('users')) pings.push(...[...content.matchAll(/<@!?(\d+)>/g)].map((match) => `user:${match[1]}`));
  return pings;
}

export async function startDiscordWebhookTestServer(options: DiscordWebhookTestServerOptions): Promise<DiscordWebhookTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: DiscordTestServerMode = 'normal';
  let requestCount = 0;
  let nextId = 1_300_000_000_000_000_000n;
  const accepted: AcceptedDiscordMessage[] = [];
  const acceptedAtMs: number[] = [];

  const reply = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  };

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
    if (mode === 'server-error') return reply(response, 500, { message: '500: Internal Server Error', code: 0 });
    if (mode === 'invalid-json') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');

    const url = new URL(request.url ?? '/', 'http://discord.test');
    const match = /^\/api\/webhooks\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!match) return reply(response, 404, { message: '404: Not Found', code: 0 });
    if (match[1] !== options.webhookId) return reply(response, 404, { message: 'Unknown Webhook', code: 10015 });
    if (match[2] !== options.webhookToken) return reply(response, 401, { message: 'Invalid Webhook Token', code: 50027 });
    if (request.method !== 'POST') return reply(response, 405, { message: '405: Method Not Allowed', code: 0 });
    const unknownParam = [...url.searchParams.keys()].find((name) => name !== 'wait' && name !== 'thread_id');
    if (unknownParam || !['true', null].includes(url.searchParams.get('wait'))) {
      return reply(response, 400, { message: 'Invalid Form Body', code: 50035, errors: { [unknownParam ?? 'wait']: { _errors: [{ code: 'BASE_TYPE_BAD', message: 'Invalid query' }] } } });
    }
    const threadId = url.searchParams.get('thread_id');
    if (threadId !== null && !(options.threadIds ?? []).includes(threadId)) return reply(response, 400, { message: 'Unknown Channel', code: 10003 });
    if (!String(request.headers['content-type']).startsWith('application/json')) return reply(response, 400, { message: 'Cannot send an empty message', code: 50006 });

    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return reply(response, 400, { message: 'The request body contains invalid JSON.', code: 50109 });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return reply(response, 400, { message: 'Invalid Form Body', code: 50035, errors: {} });
    const message = body as Record<string, any>;
    const problem = formProblem(message);
    if (problem) {
      return reply(response, 400, { message: 'Invalid Form Body', code: 50035, errors: { [problem.field]: { _errors: [{ code: 'BASE_TYPE_BAD', message: problem.message }] } } });
    }
    const hasContent = typeof message.content === 'string' && message.content.trim() !== '';
    if (!hasContent && (message.embeds ?? []).length === 0) return reply(response, 400, { message: 'Cannot send an empty message', code: 50006 });

    if (options.throttle) {
      const windowMs = options.throttle.perSeconds * 1000;
      const recent = acceptedAtMs.filter((atMs) => atMs > clock.now() - windowMs);
      if (recent.length >= options.throttle.count) {
        const resetAfterSeconds = (recent[0] + windowMs - clock.now()) / 1000;
        return reply(
          response,
          429,
          { message: 'You are being rate limited.', retry_after: resetAfterSeconds, global: false },
          {
            'retry-after': String(Math.ceil(resetAfterSeconds)),
            'x-ratelimit-limit': String(options.throttle.count),
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset-after': resetAfterSeconds.toFixed(3),
            'x-ratelimit-scope': 'shared',
          },
        );
      }
    }

    const id = String(nextId++);
    acceptedAtMs.push(clock.now());
    accepted.push({ id, query: url.searchParams, body: message, pinged: pingsOf(message) });
    if (url.searchParams.get('wait') !== 'true') return void response.writeHead(204).end();
    reply(response, 200, {
      id,
      type: 0,
      channel_id: threadId ?? '1100000000000000001',
      content: message.content ?? '',
      embeds: message.embeds ?? [],
      author: { id: options.webhookId, username: message.username ?? 'Captain Hook', bot: true },
      webhook_id: options.webhookId,
      timestamp: new Date(clock.now()).toISOString(),
    });
  });

  return {
    baseUrl: server.origin,
    port: server.port,
    get requestCount() {
      return requestCount;
    },
    accepted,
    setMode(next) {
      mode = next;
    },
    close: () => server.close(),
  };
}

import type { ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';
import { slackPayloadProblem } from '../conformance/slack-message-shapes.ts';

/**
 * Plays Slack's Web API for tests: `POST /api/chat.postMessage` and `/api/chat.delete` with
 * `Authorization: Bearer xoxb-..` and a JSON body, answered as Slack does: HTTP 200 with
 * `{"ok":true,..}` or `{"ok":false,"error":..}`, and HTTP 429 `ratelimited` + Retry-After.
 * A user id is posted to the bot's DM with that user (a D.. channel).
 */

export type SlackBotTestServerMode = 'normal' | 'transient-error' | 'throttled' | 'hang';

export interface PostedSlackMessage {
  channel: string;
  ts: string;
  payload: Record<string, any>;
}

export interface SlackBotTestServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly requestCount: number;
  /** Messages posted and not deleted. */
  readonly messages: readonly PostedSlackMessage[];
  /** `transient-error`: 503 HTML; `throttled`: 429 ratelimited with Retry-After: 3; `hang`: no answer. */
  setMode(mode: SlackBotTestServerMode): void;
  close(): Promise<void>;
}

export interface SlackBotTestServerOptions {
  botToken: string;
  /** Channels the bot is a member of. */
  channels: readonly string[];
  archivedChannels?: readonly string[];
  /** Users of the workspace the bot can open a DM with. */
  users?: readonly string[];
  clock?: Clock;
}

const dmChannelOf = (userId: string) => `D${userId.slice(1)}`;

export async function startSlackBotTestServer(options: SlackBotTestServerOptions): Promise<SlackBotTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: SlackBotTestServerMode = 'normal';
  let requestCount = 0;
  let sequence = 0;
  const messages: PostedSlackMessage[] = [];
  const json = (response: ServerResponse, body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}) =>
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  const fail = (response: ServerResponse, error: string) => json(response, { ok: false, error });

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(503, { 'content-type': 'text/html' }).end('<html>Service Unavailable</html>');
    if (mode === 'throttled') return json(response, { ok: false, error: 'ratelimited' }, 429, { 'retry-after': '3' });
    if (request.method !== 'POST') return fail(response, 'method_not_supported_for_channel_type');
    const authorization = request.headers.authorization;
    if (authorization === undefined) return fail(response, 'not_authed');
    if (authorization !== `Bearer ${options.botToken}`) return fail(response, 'invalid_auth');
    if (!String(request.headers['content-type']).startsWith('application/json')) return fail(response, 'invalid_arguments');
    let body: Record<string, any>;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return fail(response, 'invalid_json');
    }

    if (request.url === '/api/chat.postMessage') {
      const { channel, ...payload } = body;
      if (typeof channel !== 'string' || channel === '') return fail(response, 'channel_not_found');
      const problem = slackPayloadProblem(payload);
      if (problem) return fail(response, problem);
      if (options.archivedChannels?.includes(channel)) return fail(response, 'is_archived');
      const target = options.users?.includes(channel) ? dmChannelOf(channel) : options.channels.includes(channel) ? channel : undefined;
      if (target === undefined) return fail(response, 'channel_not_found');
      const ts = `${Math.floor(clock.now() / 1000)}.${String(++sequence).padStart(6, '0')}`;
      messages.push({ channel: target, ts, payload });
      return json(response, { ok: true, channel: target, ts, message: { type: 'message', text: payload.text, ts } });
    }
    if (request.url === '/api/chat.delete') {
      const index = messages.findIndex((message) => message.channel === body.channel && message.ts === body.ts);
      if (index < 0) return fail(response, 'message_not_found');
      messages.splice(index, 1);
      return json(response, { ok: true, channel: body.channel, ts: body.ts });
    }
    return json(response, { ok: false, error: 'unknown_method' }, 404);
  });

  return {
    baseUrl: server.origin,
    port: server.port,
    get requestCount() {
      return requestCount;
    },
    messages,
    setMode(next) {
      mode = next;
    },
    close: () => server.close(),
  };
}

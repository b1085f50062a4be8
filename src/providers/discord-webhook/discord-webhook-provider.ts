import { Type, type Static } from 'typebox';
import { invalid } from '../../errors.ts';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import {
  describeHttpResponse,
  isSuccessStatus,
  outcomeFromHttpStatus,
  parseJsonObject,
  parseRetryAfterMs,
  unreadableResponseOutcome,
  type HttpResponseSummary,
} from '../outcome-classification.ts';
import { redactPathSecret } from '../path-secret-redaction.ts';
import type { ProviderDefinition, RenderedMessage, SendOutcome } from '../provider.ts';

/**
 * Discord channel webhook: one execute-webhook call per message, with `wait=true` so
 * Discord answers the created message (its id) instead of an empty 204. The webhook
 * token is part of the URL path, so it is kept out of every outcome message.
 */

export const DISCORD_DEFAULT_BASE_URL = 'https://discord.com';

export const discordWebhookConfigSchema = Type.Object(
  {
    webhookId: Type.String({ pattern: '^\\d{15,25}$', description: 'The webhook id: the number after /api/webhooks/ in the webhook URL' }),
    webhookToken: Type.String({ pattern: '^[A-Za-z0-9_-]{30,100}$', description: 'The webhook token: the last part of the webhook URL' }),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${DISCORD_DEFAULT_BASE_URL}` })),
    threadId: Type.Optional(Type.String({ pattern: '^\\d{15,25}$', description: 'Post into this thread of the webhook channel' })),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: "Overrides the webhook's name on these messages" })),
    avatarUrl: Type.Optional(Type.String({ minLength: 1, description: "Overrides the webhook's avatar (an https image URL)" })),
    embed: Type.Optional(
      Type.Boolean({ default: true, description: 'Add one embed under the message: the title (linked to the url) and the summary' }),
    ),
  },
  { additionalProperties: false },
);

export type DiscordWebhookConfig = Static<typeof discordWebhookConfigSchema>;

/** Discord's embed limits (Execute Webhook / embed object docs). */
const EMBED_TITLE_MAX_CHARS = 256;
const EMBED_DESCRIPTION_MAX_CHARS = 4_096;
const ELLIPSIS = '…';

/** `{base}/api/webhooks/{id}/{token}?wait=true[&thread_id=..]`. */
export function discordExecuteUrl(config: DiscordWebhookConfig): URL {
  const query: Record<string, string> = { wait: 'true' };
  if (config.threadId !== undefined) query.thread_id = config.threadId;
  return buildProviderUrl(config.baseUrl ?? DISCORD_DEFAULT_BASE_URL, `api/webhooks/${config.webhookId}/${config.webhookToken}`, query);
}

/** Cuts at a code point boundary, marking the cut. */
function cut(text: string, maxChars: number): string {
  const chars = [...text];
  return chars.length <= maxChars ? text : chars.slice(0, maxChars - 1).join('') + ELLIPSIS;
}

/**
 * The body: `content` is the Markdown (the discord channel limits it to Discord's 2,000
 * characters), shown in the chat and in push notifications; one embed carries the
 * title as a link to the url, with the summary — at most 256 + 4,096 characters, well
 * within the 6,000 of all embeds. `allowed_mentions: {parse: []}` always: user data in
 * the content must never ping @everyone, a role or a user.
 */
export function discordWebhookBody(config: DiscordWebhookConfig, content: RenderedMessage): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (content.markdown.trim() !== '') body.content = content.markdown;
  const title = content.title.trim();
  if ((config.embed ?? true) && title !== '') {
    const summary = content.summary?.trim();
    body.embeds = [
      {
        title: cut(title, EMBED_TITLE_MAX_CHARS),
        ...(content.url ? { url: content.url } : {}),
        ...(summary ? { description: cut(summary, EMBED_DESCRIPTION_MAX_CHARS) } : {}),
      },
    ];
  }
  if (config.username !== undefined) body.username = config.username;
  if (config.avatarUrl !== undefined) body.avatar_url = config.avatarUrl;
  body.allowed_mentions = { parse: [] };
  return body;
}

/**
 * Discord's answer: 2xx with the message object; 429 with `retry_after` (seconds, a float)
 * in the body, else the Retry-After header; 5xx transient; any other status with its
 * JSON `code` (10015 unknown webhook, 50027 invalid token, 50006 empty message, 50035
 * invalid form body) is permanent.
 */
function outcomeFromDiscordAnswer(response: HttpResponseSummary, nowMs: number): SendOutcome {
  const answer = parseJsonObject(response.body);
  if (isSuccessStatus(response.statusCode)) {
    if (typeof answer?.id !== 'string') return unreadableResponseOutcome(response);
    return { kind: 'sent', providerMessageId: answer.id };
  }
  if (response.statusCode === 429) {
    const retryAfterSeconds = typeof answer?.retry_after === 'number' && answer.retry_after >= 0 ? answer.retry_after : undefined;
    const retryAfterMs = retryAfterSeconds !== undefined ? Math.ceil(retryAfterSeconds * 1000) : parseRetryAfterMs(response.headers['retry-after'], nowMs);
    const scope = answer?.global === true ? ' (global limit)' : '';
    return { kind: 'rate_limited', code: 'DISCORD_429', message: `Discord 429${scope}: ${String(answer?.message ?? 'rate limited')}`, retryAfterMs };
  }
  if (typeof answer?.code !== 'number' || response.statusCode >= 500) return outcomeFromHttpStatus(response, nowMs);
  const details = answer.errors === undefined ? '' : ` ${JSON.stringify(answer.errors).slice(0, 300)}`;
  return { kind: 'failed', code: `DISCORD_${answer.code}`, message: `Discord ${answer.code}: ${String(answer.message ?? describeHttpResponse(response))}${details}` };
}

export const discordWebhookProvider: ProviderDefinition<DiscordWebhookConfig> = {
  type: 'discord-webhook',
  channel: 'discord',
  target: 'account',
  configSchema: discordWebhookConfigSchema,
  secretFields: ['webhookToken'],
  // The webhook bucket allows about 5 requests per 2 seconds (unverified; Discord announces its
  // buckets in X-RateLimit-* headers and answers 429 with retry_after beyond them).
  defaultFlowLimits: [{ count: 5, perSeconds: 2 }],

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? DISCORD_DEFAULT_BASE_URL, 'baseUrl');
    if (config.avatarUrl !== undefined) parseOutboundUrl(config.avatarUrl, 'avatarUrl');
    // Discord refuses these names (50035), which would fail every send.
    if (config.username !== undefined && /clyde|discord/i.test(config.username)) {
      throw invalid('DISCORD_USERNAME_INVALID', 'username: Discord does not allow "clyde" or "discord" in a webhook username', { field: 'username' });
    }
  },

  createSender({ config }) {
    return {
      async send(request, context) {
        const body = JSON.stringify(discordWebhookBody(config, request.content));
        const headers = { 'content-type': 'application/json' };
        const { response, outcome } = await sendHttpRequest(discordExecuteUrl(config), { method: 'POST', headers, body }, context);
        if (outcome) return redactPathSecret(outcome, config.webhookToken);
        return redactPathSecret(outcomeFromDiscordAnswer(response, context.clock.now()), config.webhookToken);
      },
    };
  },
};

import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import {
  isSuccessStatus,
  outcomeFromHttpStatus,
  parseJsonObject,
  parseRetryAfterMs,
  unreadableResponseOutcome,
  type HttpResponseSummary,
} from '../outcome-classification.ts';
import type { ProviderContext, ProviderDefinition, RecallOutcome, SendOutcome } from '../provider.ts';
import { outcomeFromSlackError, slackMessagePayload } from '../slack-message-content.ts';

/**
 * Slack app bot: `POST {base}/api/chat.postMessage` with the bot token, one call per channel
 * or user id (a user id posts in the bot's DM with that user). Slack answers HTTP 200 with
 * `{"ok":true,"channel","ts"}` or `{"ok":false,"error"}`; `channel:ts` is the message id and
 * recalls it through chat.delete.
 */

export const SLACK_DEFAULT_BASE_URL = 'https://slack.com';

export const slackBotConfigSchema = Type.Object(
  {
    botToken: Type.String({ pattern: '^xoxb-[A-Za-z0-9-]+$', description: 'Bot user OAuth token (xoxb-...) with the chat:write scope' }),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${SLACK_DEFAULT_BASE_URL}` })),
  },
  { additionalProperties: false },
);

export type SlackBotConfig = Static<typeof slackBotConfigSchema>;

/** Slack sets no time limit on a bot deleting its own messages; Herald offers recall for 30 days. */
const RECALL_WINDOW_SECONDS = 30 * 24 * 3600;

/** The Web API's answer: ok with its fields, or an outcome (transport, HTTP status, Slack error). */
type SlackApiAnswer = { ok: true; body: Record<string, unknown> } | { ok: false; outcome: SendOutcome };

function slackApiAnswer(response: HttpResponseSummary, nowMs: number): SlackApiAnswer {
  const retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], nowMs);
  const body = parseJsonObject(response.body);
  const error = typeof body?.error === 'string' ? body.error : undefined;
  // Web API throttling is HTTP 429 (`ratelimited`) with Retry-After.
  if (response.statusCode === 429) return { ok: false, outcome: outcomeFromSlackError(error ?? 'ratelimited', retryAfterMs) };
  if (!isSuccessStatus(response.statusCode)) return { ok: false, outcome: outcomeFromHttpStatus(response, nowMs) };
  if (body?.ok === true) return { ok: true, body };
  return { ok: false, outcome: error !== undefined && body?.ok === false ? outcomeFromSlackError(error, retryAfterMs) : unreadableResponseOutcome(response) };
}

export const slackMessageId = (channel: string, ts: string) => `${channel}:${ts}`;

function recallOutcomeOf(outcome: SendOutcome): RecallOutcome {
  switch (outcome.kind) {
    case 'sent':
      return { kind: 'recalled' };
    case 'failed':
      return { kind: 'failed', code: outcome.code, message: outcome.message };
    default:
      return { kind: 'retry', code: outcome.code, message: outcome.message, retryAfterMs: outcome.retryAfterMs };
  }
}

export const slackBotProvider: ProviderDefinition<SlackBotConfig> = {
  type: 'slack-bot',
  channel: 'slack',
  target: 'address',
  configSchema: slackBotConfigSchema,
  secretFields: ['botToken'],
  // No default flow limit: Slack's is 1 message per second per channel, not per token; its 429s say when to come back.
  recallWindowSeconds: RECALL_WINDOW_SECONDS,

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? SLACK_DEFAULT_BASE_URL, 'baseUrl');
  },

  createSender({ config }) {
    const baseUrl = config.baseUrl ?? SLACK_DEFAULT_BASE_URL;
    const headers = { authorization: `Bearer ${config.botToken}`, 'content-type': 'application/json; charset=utf-8' };

    async function call(method: string, body: Record<string, unknown>, context: ProviderContext): Promise<SlackApiAnswer> {
      const url = buildProviderUrl(baseUrl, `api/${method}`);
      const { response, outcome } = await sendHttpRequest(url, { method: 'POST', headers, body: JSON.stringify(body) }, context);
      return outcome ? { ok: false, outcome } : slackApiAnswer(response, context.clock.now());
    }

    return {
      async send(request, context) {
        if (!request.address) return { kind: 'failed', code: 'ADDRESS_MISSING', message: 'A Slack bot message needs a channel or user id (slackChannelId)' };
        const answer = await call('chat.postMessage', { channel: request.address, ...slackMessagePayload(request.content) }, context);
        if (!answer.ok) return answer.outcome;
        const { channel, ts } = answer.body;
        // A user id is answered with the DM channel the message landed in: that is what chat.delete needs.
        if (typeof channel !== 'string' || typeof ts !== 'string') return { kind: 'sent' };
        return { kind: 'sent', providerMessageId: slackMessageId(channel, ts) };
      },

      async recall(sent, context) {
        const separator = sent.providerMessageId.indexOf(':');
        if (separator <= 0) return { kind: 'failed', code: 'SLACK_MESSAGE_ID_INVALID', message: `Not a Slack channel:ts message id: ${sent.providerMessageId}` };
        const channel = sent.providerMessageId.slice(0, separator);
        const ts = sent.providerMessageId.slice(separator + 1);
        const answer = await call('chat.delete', { channel, ts }, context);
        return recallOutcomeOf(answer.ok ? { kind: 'sent' } : answer.outcome);
      },
    };
  },
};

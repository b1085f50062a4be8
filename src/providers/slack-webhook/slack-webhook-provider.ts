import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { sendHttpRequest, type OutboundRequest } from '../outbound-http.ts';
import {
  describeHttpResponse,
  isSuccessStatus,
  outcomeFromHttpStatus,
  parseRetryAfterMs,
  unreadableResponseOutcome,
  type HttpResponseSummary,
} from '../outcome-classification.ts';
import type { ProviderDefinition, SendOutcome } from '../provider.ts';
import { outcomeFromSlackError, slackMessagePayload } from '../slack-message-content.ts';

/**
 * Slack incoming webhook: one JSON POST of `{text, blocks}` to the webhook URL, which names
 * the workspace, app and channel and is itself the credential. Slack answers the text `ok`,
 * or a plain-text error (`invalid_payload`, `channel_not_found` ...) with a 4xx status.
 */

export const slackWebhookConfigSchema = Type.Object(
  {
    webhookUrl: Type.String({ minLength: 1, description: 'Incoming webhook URL (https://hooks.slack.com/services/T../B../..); the whole URL is the secret and reads back masked' }),
  },
  { additionalProperties: false },
);

export type SlackWebhookConfig = Static<typeof slackWebhookConfigSchema>;

/** Slack's error bodies are one snake_case word. */
const SLACK_ERROR_TEXT = /^[a-z][a-z0-9_]*$/;

export function outcomeFromSlackWebhookAnswer(response: HttpResponseSummary, nowMs: number): SendOutcome {
  const body = response.body.trim();
  if (isSuccessStatus(response.statusCode)) return body === 'ok' ? { kind: 'sent' } : unreadableResponseOutcome(response);
  const error = SLACK_ERROR_TEXT.test(body) ? body : undefined;
  const retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], nowMs);
  if (response.statusCode === 429) return { kind: 'rate_limited', code: `SLACK_${error ?? 'rate_limited'}`, message: describeHttpResponse(response), retryAfterMs };
  // A 5xx is transient whatever its body says; a 4xx error word is Slack's own verdict.
  if (error === undefined || response.statusCode === 408 || response.statusCode >= 500) return outcomeFromHttpStatus(response, nowMs);
  return outcomeFromSlackError(error, retryAfterMs);
}

export const slackWebhookProvider: ProviderDefinition<SlackWebhookConfig> = {
  type: 'slack-webhook',
  channel: 'slack',
  target: 'account',
  configSchema: slackWebhookConfigSchema,
  // The path's last part is the token: the URL reads back masked as a whole.
  secretFields: ['webhookUrl'],
  // Slack: one message per second per incoming webhook, short bursts allowed.
  defaultFlowLimits: [{ count: 1, perSeconds: 1 }],

  validateConfig(config) {
    parseOutboundUrl(config.webhookUrl, 'webhookUrl');
  },

  createSender({ config }) {
    const url = new URL(config.webhookUrl);
    return {
      async send(request, context) {
        const outbound: OutboundRequest = {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(slackMessagePayload(request.content)),
        };
        const { response, outcome } = await sendHttpRequest(url, outbound, context);
        return outcome ?? outcomeFromSlackWebhookAnswer(response, context.clock.now());
      },
    };
  },
};

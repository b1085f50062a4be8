import { createHmac } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { DEFAULT_FEISHU_MESSAGE_TYPE, FEISHU_DEFAULT_BASE_URL, feishuMentionsOf, feishuObjectMessage } from '../feishu-message-content.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import {
  isSuccessStatus,
  outcomeFromHttpStatus,
  parseJsonObject,
  unreadableResponseOutcome,
  type HttpResponseSummary,
} from '../outcome-classification.ts';
import type { ProviderDefinition, RenderedMessage, SendOutcome } from '../provider.ts';

/** Feishu / Lark custom group bot (飞书群机器人): one POST per message to the group's webhook. */

export const feishuRobotConfigSchema = Type.Object(
  {
    webhookToken: Type.String({ minLength: 1, description: 'The last path segment of the bot webhook URL (…/open-apis/bot/v2/hook/<token>)' }),
    secret: Type.Optional(Type.String({ minLength: 1, description: '签名校验 secret, when the bot has signature verification on' })),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${FEISHU_DEFAULT_BASE_URL} (Lark: https://open.larksuite.com)` })),
    messageType: Type.Optional(
      Type.Union([Type.Literal('interactive'), Type.Literal('post'), Type.Literal('text')], {
        default: DEFAULT_FEISHU_MESSAGE_TYPE,
        description: 'interactive (default: a card with the rendered card Markdown), post (rich text) or text',
      }),
    ),
    mentionUserIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.-]+$' }), {
        description: 'open_ids (ou_...) @-mentioned in every message, besides the template\'s channels.feishu.mentions.userIds',
      }),
    ),
    mentionAll: Type.Optional(Type.Boolean({ description: '@all in every message' })),
  },
  { additionalProperties: false },
);

export type FeishuRobotConfig = Static<typeof feishuRobotConfigSchema>;

const FEISHU_OK = 0;
const FEISHU_ROBOT_FREQUENCY_LIMITED = 11232;
/**
 * 11232 carries no hint. The limits are 5 per second and 100 per minute; waiting out the
 * longer window is the only delay sure to clear either.
 */
const THROTTLED_RETRY_AFTER_MS = 60_000;

/** 签名校验: base64(HMAC-SHA256(key = `${timestampSeconds}\n${secret}`, message = "")), the other way round from DingTalk. */
export function signFeishuRobotRequest(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

export function feishuRobotSendUrl(config: FeishuRobotConfig): URL {
  return buildProviderUrl(config.baseUrl ?? FEISHU_DEFAULT_BASE_URL, `open-apis/bot/v2/hook/${encodeURIComponent(config.webhookToken)}`);
}

/**
 * The JSON body: content is an object here (unlike im/v1), a card goes in `card`, and the
 * signature travels in the body. Mentions (the template's and the account's) are added in
 * the message type's own syntax; mobile numbers are ignored, Feishu mentions by id only.
 */
export function feishuRobotMessageBody(config: FeishuRobotConfig, content: RenderedMessage, nowMs: number): Record<string, unknown> {
  const signature: Record<string, string> = {};
  if (config.secret !== undefined) {
    const timestampSeconds = Math.floor(nowMs / 1000);
    signature.timestamp = String(timestampSeconds);
    signature.sign = signFeishuRobotRequest(config.secret, timestampSeconds);
  }
  const mentions = feishuMentionsOf(content, { userIds: config.mentionUserIds, all: config.mentionAll });
  return { ...signature, ...feishuObjectMessage(config.messageType ?? DEFAULT_FEISHU_MESSAGE_TYPE, content, mentions) };
}

/**
 * The answer's code: `code` today; older bots answered `{"StatusCode":0,"StatusMessage":"success"}`
 * (and some answers carry both), so `StatusCode` counts when `code` is absent.
 */
function answerCode(answer: Record<string, unknown> | undefined): { code: number; message: string } | undefined {
  if (typeof answer?.code === 'number') return { code: answer.code, message: String(answer.msg ?? '') };
  if (typeof answer?.StatusCode === 'number') return { code: answer.StatusCode, message: String(answer.StatusMessage ?? '') };
  return undefined;
}

export function outcomeFromFeishuRobotResponse(response: HttpResponseSummary, nowMs: number): SendOutcome {
  const answer = answerCode(parseJsonObject(response.body));
  // A gateway failure or an answer without a code is judged by its HTTP status alone.
  if (answer === undefined || response.statusCode >= 500) {
    return isSuccessStatus(response.statusCode) ? unreadableResponseOutcome(response) : outcomeFromHttpStatus(response, nowMs);
  }
  const code = `FEISHU_${answer.code}`;
  const message = `Feishu code ${answer.code}: ${answer.message}`;
  switch (answer.code) {
    case FEISHU_OK:
      return isSuccessStatus(response.statusCode) ? { kind: 'sent' } : outcomeFromHttpStatus(response, nowMs);
    case FEISHU_ROBOT_FREQUENCY_LIMITED:
      return { kind: 'rate_limited', code, message, retryAfterMs: THROTTLED_RETRY_AFTER_MS };
    default:
      // 19021 signature or timestamp, 19022 IP not allowed, 19024 keyword missing, 9499 bad request or > 20 KB.
      return { kind: 'failed', code, message };
  }
}

export const feishuRobotProvider: ProviderDefinition<FeishuRobotConfig> = {
  type: 'feishu-robot',
  channel: 'feishu',
  target: 'account',
  configSchema: feishuRobotConfigSchema,
  secretFields: ['webhookToken', 'secret'],
  // Both hold at once, per bot (providers.md, 频控策略).
  defaultFlowLimits: [
    { count: 5, perSeconds: 1 },
    { count: 100, perSeconds: 60 },
  ],

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? FEISHU_DEFAULT_BASE_URL, 'baseUrl');
  },

  createSender({ config }) {
    const url = feishuRobotSendUrl(config);
    return {
      async send(request, context) {
        const body = JSON.stringify(feishuRobotMessageBody(config, request.content, context.clock.now()));
        const headers = { 'content-type': 'application/json; charset=utf-8' };
        const { response, outcome } = await sendHttpRequest(url, { method: 'POST', headers, body }, context);
        return outcome ?? outcomeFromFeishuRobotResponse(response, context.clock.now());
      },
    };
  },
};

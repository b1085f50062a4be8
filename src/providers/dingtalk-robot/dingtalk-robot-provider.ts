import { createHmac } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import {
  isSuccessStatus,
  outcomeFromHttpStatus,
  parseJsonObject,
  unreadableResponseOutcome,
} from '../outcome-classification.ts';
import type { ProviderDefinition, RenderedMessage, SendOutcome } from '../provider.ts';

/** DingTalk custom group robot (钉钉群机器人): one POST per message to the group's webhook. */

export const DINGTALK_DEFAULT_BASE_URL = 'https://oapi.dingtalk.com';

export const dingtalkRobotConfigSchema = Type.Object(
  {
    accessToken: Type.String({ minLength: 1, description: 'access_token from the robot webhook URL' }),
    secret: Type.Optional(Type.String({ minLength: 1, description: '加签 secret (SEC...), when the robot uses signing' })),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${DINGTALK_DEFAULT_BASE_URL}` })),
    atMobiles: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    atUserIds: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    isAtAll: Type.Optional(Type.Boolean()),
    messageType: Type.Optional(Type.Union([Type.Literal('markdown'), Type.Literal('text')], { default: 'markdown' })),
  },
  { additionalProperties: false },
);

export type DingtalkRobotConfig = Static<typeof dingtalkRobotConfigSchema>;

const DINGTALK_OK = 0;
const DINGTALK_SYSTEM_BUSY = -1;
const DINGTALK_SENDING_TOO_FAST = 130101;
/** Exceeding 20 messages a minute throttles the robot for 10 minutes; retrying sooner only fails again. */
const THROTTLED_RETRY_AFTER_MS = 10 * 60_000;

/** 加签: base64(HMAC-SHA256(key = secret, message = `${timestampMs}\n${secret}`)), not yet URL-encoded. */
export function signDingtalkRobotRequest(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** `{base}/robot/send?access_token=..[&timestamp=..&sign=..]`; the query encoding is the one and only URL-encoding of `sign`. */
export function dingtalkRobotSendUrl(config: DingtalkRobotConfig, timestampMs: number): URL {
  const query: Record<string, string> = { access_token: config.accessToken };
  if (config.secret !== undefined) {
    query.timestamp = String(timestampMs);
    query.sign = signDingtalkRobotRequest(config.secret, timestampMs);
  }
  return buildProviderUrl(config.baseUrl ?? DINGTALK_DEFAULT_BASE_URL, 'robot/send', query);
}

/** `content.extras.mentions` as the template renderer writes it (see `mentionsOf` in src/templates). */
interface TemplateMentions {
  userIds?: unknown;
  mobiles?: unknown;
  all?: unknown;
}

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : []);

/** The account's standing mentions plus the template's for this message, each person once. */
export function dingtalkRobotMentions(config: DingtalkRobotConfig, content: RenderedMessage): { atMobiles: string[]; atUserIds: string[]; isAtAll: boolean } {
  const fromTemplate = (content.extras?.mentions ?? {}) as TemplateMentions;
  return {
    atMobiles: [...new Set([...(config.atMobiles ?? []), ...stringsOf(fromTemplate.mobiles)])],
    atUserIds: [...new Set([...(config.atUserIds ?? []), ...stringsOf(fromTemplate.userIds)])],
    isAtAll: (config.isAtAll ?? false) || fromTemplate.all === true,
  };
}

export function dingtalkRobotMessageBody(config: DingtalkRobotConfig, content: RenderedMessage): Record<string, unknown> {
  const at = dingtalkRobotMentions(config, content);
  if (config.messageType === 'text') return { msgtype: 'text', text: { content: content.text }, at };
  // Markdown messages only notify the people whose @mobile / @userId appears in the text.
  const mentions = [...at.atMobiles, ...at.atUserIds].map((id) => `@${id}`).join(' ');
  const text = mentions ? `${content.markdown}\n\n${mentions}` : content.markdown;
  return { msgtype: 'markdown', markdown: { title: content.title, text }, at };
}

function outcomeFromDingtalkAnswer(errcode: number, errmsg: string): SendOutcome {
  const code = `DINGTALK_${errcode}`;
  const message = `DingTalk errcode ${errcode}: ${errmsg}`;
  switch (errcode) {
    case DINGTALK_OK:
      return { kind: 'sent' };
    case DINGTALK_SENDING_TOO_FAST:
      return { kind: 'rate_limited', code, message, retryAfterMs: THROTTLED_RETRY_AFTER_MS };
    case DINGTALK_SYSTEM_BUSY:
      return { kind: 'retry', code, message };
    default:
      // 310000 (signature, timestamp, keyword, IP whitelist), 300005 (unknown token), bad parameters.
      return { kind: 'failed', code, message };
  }
}

export const dingtalkRobotProvider: ProviderDefinition<DingtalkRobotConfig> = {
  type: 'dingtalk-robot',
  channel: 'dingtalk',
  target: 'account',
  configSchema: dingtalkRobotConfigSchema,
  secretFields: ['accessToken', 'secret'],
  defaultFlowLimits: [{ count: 20, perSeconds: 60 }],

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? DINGTALK_DEFAULT_BASE_URL, 'baseUrl');
  },

  createSender({ config }) {
    return {
      async send(request, context) {
        const url = dingtalkRobotSendUrl(config, context.clock.now());
        const body = JSON.stringify(dingtalkRobotMessageBody(config, request.content));
        const headers = { 'content-type': 'application/json;charset=utf-8' };
        const { response, outcome } = await sendHttpRequest(url, { method: 'POST', headers, body }, context);
        if (outcome) return outcome;
        if (!isSuccessStatus(response.statusCode)) return outcomeFromHttpStatus(response, context.clock.now());
        const answer = parseJsonObject(response.body);
        if (typeof answer?.errcode !== 'number') return unreadableResponseOutcome(response);
        return outcomeFromDingtalkAnswer(answer.errcode, String(answer.errmsg ?? ''));
      },
    };
  },
};

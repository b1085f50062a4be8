import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { callErrcodeApi, JSON_HEADERS } from '../errcode-api-call.ts';
import { buildProviderUrl } from '../outbound-http.ts';
import type { ProviderDefinition, RenderedMessage } from '../provider.ts';
import { mentionsOf, wecomExtrasOf, type MessageMentions } from '../wecom-message-extras.ts';
import { outcomeFromWecomErrcode, utf8Prefix, WECOM_DEFAULT_BASE_URL } from '../wecom-platform.ts';

/** WeCom group robot (企业微信群机器人): one POST per message to the group's webhook key. */

export const wecomRobotConfigSchema = Type.Object(
  {
    key: Type.String({ minLength: 1, description: 'The robot webhook key (the `key=` of its webhook URL)' }),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${WECOM_DEFAULT_BASE_URL}` })),
    messageType: Type.Optional(
      Type.Union([Type.Literal('markdown'), Type.Literal('text'), Type.Literal('news')], {
        default: 'markdown',
        description: 'news sends the template\'s channels.wecom.news articles, and markdown when a message has none',
      }),
    ),
    mentionedUserIds: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'WeCom user ids @-mentioned in every message' })),
    mentionedMobiles: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { description: 'Mobile numbers @-mentioned in every message (text messages only)' })),
    mentionAll: Type.Optional(Type.Boolean({ description: '@all in every message (text messages only)' })),
  },
  { additionalProperties: false },
);

export type WecomRobotConfig = Static<typeof wecomRobotConfigSchema>;

/** Documented content limits; the channel catalog cuts the rendered text to them, mentions added here must fit too. */
export const WECOM_ROBOT_TEXT_MAX_BYTES = 2_048;
export const WECOM_ROBOT_MARKDOWN_MAX_BYTES = 4_096;
const ALL = '@all';

export function wecomRobotSendUrl(config: WecomRobotConfig): URL {
  return buildProviderUrl(config.baseUrl ?? WECOM_DEFAULT_BASE_URL, 'cgi-bin/webhook/send', { key: config.key });
}

/** The account's default mentions plus the template's, without repeats. */
function mergedMentions(config: WecomRobotConfig, content: RenderedMessage): MessageMentions {
  const fromTemplate = mentionsOf(content);
  return {
    userIds: [...new Set([...(config.mentionedUserIds ?? []), ...fromTemplate.userIds])],
    mobiles: [...new Set([...(config.mentionedMobiles ?? []), ...fromTemplate.mobiles])],
    all: config.mentionAll === true || fromTemplate.all,
  };
}

/** Appends `suffix`, cutting `text` (marked with "…") so that the whole stays within `maxBytes`. */
function withSuffixWithin(text: string, suffix: string, maxBytes: number): string {
  if (Buffer.byteLength(text + suffix, 'utf8') <= maxBytes) return text + suffix;
  return `${utf8Prefix(text, maxBytes - Buffer.byteLength(`…${suffix}`, 'utf8'))}…${suffix}`;
}

/** The JSON body; fields left undefined are not sent (JSON.stringify drops them). */
export function wecomRobotMessageBody(config: WecomRobotConfig, content: RenderedMessage): Record<string, unknown> {
  const messageType = config.messageType ?? 'markdown';
  const articles = wecomExtrasOf(content).news?.articles;
  if (messageType === 'news' && articles) {
    return {
      msgtype: 'news',
      news: { articles: articles.map((article) => ({ title: article.title, description: article.description, url: article.url, picurl: article.picUrl })) },
    };
  }
  const mentions = mergedMentions(config, content);
  if (messageType === 'text') {
    return {
      msgtype: 'text',
      text: {
        content: utf8Prefix(content.text, WECOM_ROBOT_TEXT_MAX_BYTES),
        mentioned_list: nonEmpty(mentions.all ? [...mentions.userIds, ALL] : mentions.userIds),
        mentioned_mobile_list: nonEmpty(mentions.mobiles),
      },
    };
  }
  // Markdown notifies only the `<@userid>` written in the content; it has no mobile or @all mentions.
  const suffix = mentions.userIds.length > 0 ? `\n${mentions.userIds.map((userId) => `<@${userId}>`).join(' ')}` : '';
  return { msgtype: 'markdown', markdown: { content: withSuffixWithin(content.markdown, suffix, WECOM_ROBOT_MARKDOWN_MAX_BYTES) } };
}

const nonEmpty = (list: string[]) => (list.length > 0 ? list : undefined);

export const wecomRobotProvider: ProviderDefinition<WecomRobotConfig> = {
  type: 'wecom-robot',
  channel: 'wecom',
  target: 'account',
  configSchema: wecomRobotConfigSchema,
  secretFields: ['key'],
  defaultFlowLimits: [{ count: 20, perSeconds: 60 }],

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? WECOM_DEFAULT_BASE_URL, 'baseUrl');
  },

  createSender({ config }) {
    const url = wecomRobotSendUrl(config);
    return {
      async send(request, context) {
        const body = JSON.stringify(wecomRobotMessageBody(config, request.content));
        const { answer, outcome } = await callErrcodeApi(url, { method: 'POST', headers: { ...JSON_HEADERS }, body }, context);
        return outcome ?? outcomeFromWecomErrcode(answer.errcode, answer.errmsg, 'webhook/send');
      },
    };
  },
};

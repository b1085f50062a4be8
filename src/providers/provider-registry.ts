import { invalid } from '../errors.ts';
import { aliyunSmsProvider } from './aliyun-sms/aliyun-sms-provider.ts';
import { customHttpProvider } from './custom-http/custom-http-provider.ts';
import { dingtalkRobotProvider } from './dingtalk-robot/dingtalk-robot-provider.ts';
import { discordWebhookProvider } from './discord-webhook/discord-webhook-provider.ts';
import { dingtalkWorkNoticeProvider } from './dingtalk-work-notice/dingtalk-work-notice-provider.ts';
import { feishuAppProvider } from './feishu-app/feishu-app-provider.ts';
import { feishuRobotProvider } from './feishu-robot/feishu-robot-provider.ts';
import { inboxProvider } from './inbox/inbox-provider.ts';
import type { ProviderDefinition } from './provider.ts';
import { slackBotProvider } from './slack-bot/slack-bot-provider.ts';
import { slackWebhookProvider } from './slack-webhook/slack-webhook-provider.ts';
import { smtpProvider } from './smtp/smtp-provider.ts';
import { telegramBotProvider } from './telegram-bot/telegram-bot-provider.ts';
import { twilioSmsProvider } from './twilio-sms/twilio-sms-provider.ts';
import { tencentSmsProvider } from './tencent-sms/tencent-sms-provider.ts';
import { webhookProvider } from './webhook/webhook-provider.ts';
import { webPushProvider } from './webpush/webpush-provider.ts';
import { wechatSubscribeProvider } from './wechat-subscribe/wechat-subscribe-provider.ts';
import { wechatTemplateProvider } from './wechat-template/wechat-template-provider.ts';
import { wecomAppProvider } from './wecom-app/wecom-app-provider.ts';
import { wecomRobotProvider } from './wecom-robot/wecom-robot-provider.ts';

/** Provider definitions by their stable `type` id, the one stored on channel accounts. */
export interface ProviderRegistry {
  get(type: string): ProviderDefinition | undefined;
  /** Throws HeraldError('invalid', 'PROVIDER_TYPE_UNKNOWN') naming the known types. */
  require(type: string): ProviderDefinition;
  list(): readonly ProviderDefinition[];
}

export const builtInProviders: readonly ProviderDefinition[] = [
  webhookProvider,
  customHttpProvider,
  smtpProvider,
  dingtalkRobotProvider,
  dingtalkWorkNoticeProvider,
  wecomRobotProvider,
  wecomAppProvider,
  wechatTemplateProvider,
  wechatSubscribeProvider,
  feishuRobotProvider,
  feishuAppProvider,
  telegramBotProvider,
  discordWebhookProvider,
  twilioSmsProvider,
  slackWebhookProvider,
  slackBotProvider,
  webPushProvider,
  inboxProvider,
  aliyunSmsProvider,
  tencentSmsProvider,
];

export function createProviderRegistry(definitions: readonly ProviderDefinition[] = builtInProviders): ProviderRegistry {
  const byType = new Map<string, ProviderDefinition>();
  for (const definition of definitions) {
    if (byType.has(definition.type)) throw new Error(`Provider type "${definition.type}" is registered twice`);
    byType.set(definition.type, definition);
  }
  return {
    get: (type) => byType.get(type),
    require(type) {
      const definition = byType.get(type);
      if (!definition) {
        throw invalid('PROVIDER_TYPE_UNKNOWN', `type: unknown provider type "${type}"; known types: ${[...byType.keys()].join(', ')}`, {
          field: 'type',
        });
      }
      return definition;
    },
    list: () => [...byType.values()],
  };
}

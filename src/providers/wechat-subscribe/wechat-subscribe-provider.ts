import type { ProviderDefinition } from '../provider.ts';
import { callWechatMessageApi, readWechatApiQuota, renderedWechatTemplate, wechatTemplateData, type RenderedWechatTemplateFields } from '../wechat-message-call.ts';
import { wechatAccountDefinition, type WechatAccountConfig } from '../wechat-token.ts';

/**
 * WeChat mini-program subscribe message (小程序订阅消息): one POST per user (openid) who
 * subscribed, with the template id, data and page the template's `channels.miniprogram`
 * override rendered into `extras.miniprogram`. The value rules by key type are checked when
 * the template is saved and when the message is accepted; WeChat has no dedup id here.
 */

export const WECHAT_SUBSCRIBE_SEND_API = '/cgi-bin/message/subscribe/send';

/** What `renderMiniprogram` puts into `extras.miniprogram`. */
interface RenderedSubscribeMessage extends RenderedWechatTemplateFields {
  page?: string;
  state?: 'developer' | 'trial' | 'formal';
  lang?: string;
}

export function wechatSubscribeMessageBody(openId: string, message: RenderedSubscribeMessage): Record<string, unknown> {
  return {
    touser: openId,
    template_id: message.templateId,
    ...(message.page ? { page: message.page } : {}),
    ...(message.state !== undefined ? { miniprogram_state: message.state } : {}),
    ...(message.lang !== undefined ? { lang: message.lang } : {}),
    data: wechatTemplateData(message.data),
  };
}

export const wechatSubscribeProvider: ProviderDefinition<WechatAccountConfig> = {
  type: 'wechat-subscribe',
  channel: 'miniprogram',
  ...wechatAccountDefinition,
  readsQuota: true,

  createSender({ config }) {
    return {
      readQuota: (context) => readWechatApiQuota(config, WECHAT_SUBSCRIBE_SEND_API, context),
      async send(request, context) {
        const message = renderedWechatTemplate<RenderedSubscribeMessage>(request.content, 'miniprogram');
        if (!message) {
          return {
            kind: 'failed',
            code: 'MINIPROGRAM_TEMPLATE_MISSING',
            message: 'The message has no subscribe-message template (extras.miniprogram): send it with a template that sets channels.miniprogram.templateId and data',
          };
        }
        if (!request.address) return { kind: 'failed', code: 'ADDRESS_MISSING', message: 'A subscribe message needs the user openid (miniProgramOpenId)' };
        return callWechatMessageApi(config, WECHAT_SUBSCRIBE_SEND_API, wechatSubscribeMessageBody(request.address, message), context);
      },
    };
  },
};

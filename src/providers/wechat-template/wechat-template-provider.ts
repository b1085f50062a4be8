import type { ProviderDefinition } from '../provider.ts';
import { callWechatMessageApi, readWechatApiQuota, renderedWechatTemplate, wechatTemplateData, type RenderedWechatTemplateFields } from '../wechat-message-call.ts';
import { wechatAccountDefinition, type WechatAccountConfig } from '../wechat-token.ts';

/**
 * WeChat official account template message (公众号模板消息): one POST per follower (openid)
 * with the template id and data the template's `channels.wechat` override rendered into
 * `extras.wechat`. The field rules (keyword values ≤ 20 characters, no first/remark) are
 * checked when the template is saved and when the message is accepted.
 */

export const WECHAT_TEMPLATE_SEND_API = '/cgi-bin/message/template/send';

/** What `renderWechat` puts into `extras.wechat`. */
interface RenderedWechatTemplate extends RenderedWechatTemplateFields {
  url?: string;
  miniprogram?: { appId: string; pagePath: string };
}

/** The documented body: `data` values wrapped as `{ value }`; `client_msg_id` lets WeChat drop a repeated attempt. */
export function wechatTemplateMessageBody(openId: string, template: RenderedWechatTemplate, dedupKey: string): Record<string, unknown> {
  return {
    touser: openId,
    template_id: template.templateId,
    ...(template.url !== undefined ? { url: template.url } : {}),
    ...(template.miniprogram ? { miniprogram: { appid: template.miniprogram.appId, pagepath: template.miniprogram.pagePath } } : {}),
    client_msg_id: dedupKey,
    data: wechatTemplateData(template.data),
  };
}

export const wechatTemplateProvider: ProviderDefinition<WechatAccountConfig> = {
  type: 'wechat-template',
  channel: 'wechat',
  ...wechatAccountDefinition,
  readsQuota: true,

  createSender({ config }) {
    return {
      readQuota: (context) => readWechatApiQuota(config, WECHAT_TEMPLATE_SEND_API, context),
      async send(request, context) {
        const template = renderedWechatTemplate<RenderedWechatTemplate>(request.content, 'wechat');
        if (!template) {
          return { kind: 'failed', code: 'WECHAT_TEMPLATE_MISSING', message: 'The message has no WeChat template (extras.wechat): send it with a template that sets channels.wechat.templateId and data' };
        }
        if (!request.address) return { kind: 'failed', code: 'ADDRESS_MISSING', message: 'A WeChat template message needs the follower openid (wechatOpenId)' };
        return callWechatMessageApi(config, WECHAT_TEMPLATE_SEND_API, wechatTemplateMessageBody(request.address, template, request.dedupKey), context);
      },
    };
  },
};

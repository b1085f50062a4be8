import {
  isPlainObject,
  startWechatApiTestServer,
  templateDataProblem,
  unknownFieldProblem,
  type WechatApiTestServer,
  type WechatApiTestServerOptions,
} from '../wechat-api-test-server.ts';

/**
 * Plays the official-account template message API (`POST /cgi-bin/message/template/send`)
 * plus `stable_token`: checks the token, every body field (url, miniprogram, data shape,
 * client_msg_id present) and answers 43004 for a user who does not follow the account.
 */

const FIELDS = ['touser', 'template_id', 'url', 'miniprogram', 'client_msg_id', 'data'];

function templateBodyProblem(body: Record<string, any>): { errcode: number; errmsg: string } | undefined {
  if (typeof body.client_msg_id !== 'string' || body.client_msg_id === '' || body.client_msg_id.length > 64) {
    return { errcode: 47001, errmsg: 'data format error: client_msg_id is required here (Herald always sends one)' };
  }
  if (body.url !== undefined && (typeof body.url !== 'string' || !/^https?:\/\//.test(body.url))) return { errcode: 40039, errmsg: 'invalid url' };
  const { miniprogram } = body;
  if (miniprogram !== undefined) {
    if (!isPlainObject(miniprogram) || typeof miniprogram.appid !== 'string' || typeof miniprogram.pagepath !== 'string' || unknownFieldProblem(miniprogram, ['appid', 'pagepath'])) {
      return { errcode: 47001, errmsg: 'data format error: miniprogram takes appid and pagepath' };
    }
  }
  return templateDataProblem(body.data);
}

export function startWechatTemplateTestServer(options: WechatApiTestServerOptions): Promise<WechatApiTestServer> {
  return startWechatApiTestServer(
    { path: '/cgi-bin/message/template/send', fields: FIELDS, bodyProblem: templateBodyProblem, recipientRefusal: { errcode: 43004, errmsg: 'require subscribe' } },
    options,
  );
}

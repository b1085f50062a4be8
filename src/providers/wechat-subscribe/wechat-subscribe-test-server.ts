import {
  startWechatApiTestServer,
  templateDataProblem,
  type WechatApiTestServer,
  type WechatApiTestServerOptions,
} from '../wechat-api-test-server.ts';

/**
 * Plays the mini-program subscribe message API (`POST /cgi-bin/message/subscribe/send`)
 * plus `stable_token`: checks the token, every body field (page, miniprogram_state, lang,
 * data shape; a `thing` value over 20 characters is 47003 as WeChat answers it) and
 * answers 43101 for a user without a subscription left.
 */

const FIELDS = ['touser', 'template_id', 'page', 'miniprogram_state', 'lang', 'data'];
const STATES = ['developer', 'trial', 'formal'];
const LANGS = ['zh_CN', 'en_US', 'zh_HK', 'zh_TW'];

function subscribeBodyProblem(body: Record<string, any>): { errcode: number; errmsg: string } | undefined {
  if (body.page !== undefined && typeof body.page !== 'string') return { errcode: 47001, errmsg: 'data format error: page' };
  if (body.miniprogram_state !== undefined && !STATES.includes(body.miniprogram_state)) return { errcode: 47003, errmsg: 'argument invalid! miniprogram_state invalid' };
  if (body.lang !== undefined && !LANGS.includes(body.lang)) return { errcode: 47003, errmsg: 'argument invalid! lang invalid' };
  const dataProblem = templateDataProblem(body.data);
  if (dataProblem) return dataProblem;
  for (const [key, entry] of Object.entries(body.data as Record<string, { value: string }>)) {
    if (/^thing\d+$/.test(key) && Array.from(entry.value).length > 20) return { errcode: 47003, errmsg: `argument invalid! data.${key}.value invalid` };
  }
  return undefined;
}

export function startWechatSubscribeTestServer(options: WechatApiTestServerOptions): Promise<WechatApiTestServer> {
  return startWechatApiTestServer(
    { path: '/cgi-bin/message/subscribe/send', fields: FIELDS, bodyProblem: subscribeBodyProblem, recipientRefusal: { errcode: 43101, errmsg: 'user refuse to accept the msg' } },
    options,
  );
}

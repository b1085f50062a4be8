import { callErrcodeApiWithToken, type ErrcodeAnswer } from './errcode-api-call.ts';
import { buildProviderUrl } from './outbound-http.ts';
import type { ProviderContext, QuotaReadOutcome, RenderedMessage, SendOutcome } from './provider.ts';
import {
  fetchWechatStableToken,
  WECHAT_DEFAULT_BASE_URL,
  WECHAT_TOKEN_REJECTED,
  wechatQuotaOutcome,
  wechatTokenKey,
  type WechatAccountConfig,
} from './wechat-token.ts';

/**
 * One WeChat message API call (template/send, subscribe/send) with the cached access token:
 * a token WeChat rejects is dropped and the call made once more with a fresh one, then the
 * answer's errcode is classified as providers.md says.
 */

/** Why a send was refused for good, in words an operator can act on. */
const PERMANENT_REASONS: Readonly<Record<number, string>> = {
  43004: 'the user does not follow the official account (a template message reaches followers only)',
  43101: 'the user refused this subscribe message or has no subscription left (each one-time subscription allows one message)',
  47003: 'the template data does not fit the template (a value breaks its key type rule, or a key is missing)',
  40003: 'the openid is not a user of this appid',
  40037: 'the template id is not one of this account’s templates',
  41030: 'the page does not exist in the published mini program',
};

/** msgid as written: it can be a 19-digit number, beyond what a JSON number keeps exactly. */
function msgidOf(rawBody: string): string | undefined {
  return /"msgid"\s*:\s*"?(\d+)/.exec(rawBody)?.[1];
}

function outcomeFromWechatAnswer({ errcode, errmsg, rawBody }: ErrcodeAnswer, api: string, nowMs: number): SendOutcome {
  const code = `WECHAT_${errcode}`;
  if (errcode === 0) {
    const msgid = msgidOf(rawBody);
    return msgid === undefined ? { kind: 'sent' } : { kind: 'sent', providerMessageId: msgid };
  }
  if (errcode === -1) return { kind: 'retry', code, message: `WeChat errcode -1 (system busy): ${errmsg}` };
  if (errcode === 45009) return wechatQuotaOutcome(errmsg, api, nowMs);
  if (WECHAT_TOKEN_REJECTED.has(errcode)) {
    // Rejected again just after a refresh: another system on this appid is renewing the token; a later attempt gets the new one.
    return { kind: 'retry', code, message: `WeChat rejected a freshly fetched access token (errcode ${errcode}: ${errmsg})` };
  }
  const reason = PERMANENT_REASONS[errcode];
  return { kind: 'failed', code, message: reason ? `WeChat errcode ${errcode}: ${reason} (${errmsg})` : `WeChat errcode ${errcode}: ${errmsg}` };
}

/** POSTs `body` to `{base}{api}?access_token=..` and classifies the answer; never throws. */
export async function callWechatMessageApi(config: WechatAccountConfig, api: string, body: Record<string, unknown>, context: ProviderContext): Promise<SendOutcome> {
  const { answer, outcome } = await callErrcodeApiWithToken(
    { tokens: context.tokens, key: wechatTokenKey(config.appId), fetch: () => fetchWechatStableToken(config, context) },
    (token) => buildProviderUrl(config.baseUrl ?? WECHAT_DEFAULT_BASE_URL, api, { access_token: token }),
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    context,
    WECHAT_TOKEN_REJECTED,
  );
  return outcome ?? outcomeFromWechatAnswer(answer, api, context.clock.now());
}

export const WECHAT_QUOTA_GET_API = '/cgi-bin/openapi/quota/get';

/**
 * POST openapi/quota/get `{"cgi_path": api}`: the daily limit, used and remaining calls of one
 * API (providers.md "WeChat API quota"; limits are adjusted dynamically, so they are read, not assumed).
 */
export async function readWechatApiQuota(config: WechatAccountConfig, api: string, context: ProviderContext): Promise<QuotaReadOutcome> {
  const { answer, outcome } = await callErrcodeApiWithToken(
    { tokens: context.tokens, key: wechatTokenKey(config.appId), fetch: () => fetchWechatStableToken(config, context) },
    (token) => buildProviderUrl(config.baseUrl ?? WECHAT_DEFAULT_BASE_URL, WECHAT_QUOTA_GET_API, { access_token: token }),
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cgi_path: api }) },
    context,
    WECHAT_TOKEN_REJECTED,
  );
  if (outcome) return outcome.kind === 'retry' || outcome.kind === 'rate_limited' ? { kind: 'retry', code: outcome.code, message: outcome.message } : { kind: 'failed', code: outcome.code, message: outcome.message };
  const code = `WECHAT_${answer.errcode}`;
  if (answer.errcode === -1) return { kind: 'retry', code, message: `WeChat quota/get answered errcode -1 (system busy): ${answer.errmsg}` };
  if (answer.errcode !== 0) {
    const reason = answer.errcode === 76021 ? ` (WeChat knows no API ${api})` : answer.errcode === 76022 ? ' (the token is of another account)' : '';
    return { kind: 'failed', code, message: `WeChat quota/get for ${api} answered errcode ${answer.errcode}${reason}: ${answer.errmsg}` };
  }
  const quota = answer.body.quota as Record<string, unknown> | undefined;
  const [limit, used, remaining] = [quota?.daily_limit, quota?.used, quota?.remain];
  if (typeof limit !== 'number' || typeof used !== 'number' || typeof remaining !== 'number') {
    return { kind: 'failed', code: 'WECHAT_QUOTA_UNREADABLE', message: `WeChat quota/get answered without quota.daily_limit, used and remain: ${answer.rawBody.slice(0, 200)}` };
  }
  return { kind: 'quota', limit, used, remaining };
}

/** What both renderers put into `extras.wechat` / `extras.miniprogram`: a template id and its rendered data. */
export interface RenderedWechatTemplateFields {
  templateId: string;
  data: Record<string, string>;
}

/** `extras[name]` when it carries a template id and string data; undefined when the message was not rendered for WeChat. */
export function renderedWechatTemplate<Fields extends RenderedWechatTemplateFields>(content: RenderedMessage, name: 'wechat' | 'miniprogram'): Fields | undefined {
  const fields = content.extras?.[name] as Partial<Fields> | undefined;
  const data: unknown = fields?.data;
  const stringData = typeof data === 'object' && data !== null && !Array.isArray(data) && Object.values(data).every((value) => typeof value === 'string');
  return typeof fields?.templateId === 'string' && stringData ? (fields as Fields) : undefined;
}

/** `{ thing1: "x" }` → `{ thing1: { value: "x" } }`, the data shape of both APIs. */
export function wechatTemplateData(data: Readonly<Record<string, string>>): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, { value }]));
}

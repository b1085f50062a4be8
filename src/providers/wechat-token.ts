import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../security/ssrf-guard.ts';
import { TokenFetchError, type CallFailure } from './access-token-call.ts';
import { buildProviderUrl, sendHttpRequest } from './outbound-http.ts';
import { isSuccessStatus, outcomeFromHttpStatus, parseJsonObject, unreadableResponseOutcome } from './outcome-classification.ts';
import type { ProviderContext } from './provider.ts';

/**
 * The access token of a WeChat official account or mini program, shared by the
 * wechat-template and wechat-subscribe providers. It comes from `stable_token` rather than
 * `/cgi-bin/token`: with `force_refresh: false` that answers the same token while it is
 * valid, so several Herald deployments (or another system) on one appid do not knock each
 * other's tokens out, as each `/cgi-bin/token` call replaces the previous token.
 */

export const WECHAT_DEFAULT_BASE_URL = 'https://api.weixin.qq.com';

/** The account config both WeChat providers take. */
export const wechatAccountConfigSchema = Type.Object(
  {
    appId: Type.String({ minLength: 1, maxLength: 64, description: 'AppID of the official account or mini program (wx...)' }),
    appSecret: Type.String({ minLength: 1, description: 'AppSecret' }),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${WECHAT_DEFAULT_BASE_URL}` })),
  },
  { additionalProperties: false },
);

export type WechatAccountConfig = Static<typeof wechatAccountConfigSchema>;

/** The definition fields both WeChat providers share: this account config, one openid per send. */
export const wechatAccountDefinition = {
  target: 'address',
  configSchema: wechatAccountConfigSchema,
  secretFields: ['appSecret'],
  validateConfig(config: WechatAccountConfig): void {
    parseOutboundUrl(config.baseUrl ?? WECHAT_DEFAULT_BASE_URL, 'baseUrl');
  },
} as const;

/** Keyed by the public appid (keys are stored in clear): both providers of one appid share the token, as WeChat does. */
export const wechatTokenKey = (appId: string) => `wechat:${appId}`;

/** errcodes that mean "this access token is no longer good": invalid, not the latest, expired. */
export const WECHAT_TOKEN_REJECTED = new Set([40001, 40014, 42001]);

const WECHAT_BUSY = -1;
const WECHAT_QUOTA_EXCEEDED = 45009;
const CHINA_UTC_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Milliseconds until the next midnight in China (UTC+8, no daylight saving): when WeChat's daily quotas reset. */
export function msUntilChinaMidnight(nowMs: number): number {
  const chinaMs = nowMs + CHINA_UTC_OFFSET_MS;
  return DAY_MS - (((chinaMs % DAY_MS) + DAY_MS) % DAY_MS);
}

/**
 * 45009: a daily call quota is used up. Retrying only burns more of nothing, so the send
 * waits for the reset; raising the quota early is an operator's decision.
 */
export function wechatQuotaOutcome(errmsg: string, api: string, nowMs: number): CallFailure {
  return {
    kind: 'rate_limited',
    code: 'WECHAT_45009',
    message:
      `WeChat errcode 45009 (${errmsg}): the daily quota of ${api} is used up; sends wait until it resets at midnight China time. ` +
      `Check it with POST /cgi-bin/openapi/quota/get {"cgi_path":"${api}"} or reset it with POST /cgi-bin/clear_quota (10 resets a month).`,
    retryAfterMs: msUntilChinaMidnight(nowMs),
    quotaExhausted: { untilMs: nowMs + msUntilChinaMidnight(nowMs) },
  };
}

const STABLE_TOKEN_PATH = '/cgi-bin/stable_token';

/**
 * POST stable_token; throws TokenFetchError with the outcome for anything but a token. Its
 * answer carries no errcode when it succeeds, so it is read here rather than by callErrcodeApi.
 */
export async function fetchWechatStableToken(config: WechatAccountConfig, context: ProviderContext): Promise<{ token: string; expiresInSeconds: number }> {
  const url = buildProviderUrl(config.baseUrl ?? WECHAT_DEFAULT_BASE_URL, STABLE_TOKEN_PATH);
  const body = JSON.stringify({ grant_type: 'client_credential', appid: config.appId, secret: config.appSecret, force_refresh: false });
  const { response, outcome } = await sendHttpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, context);
  if (outcome) throw new TokenFetchError(outcome as CallFailure);
  if (!isSuccessStatus(response.statusCode)) throw new TokenFetchError(outcomeFromHttpStatus(response, context.clock.now()) as CallFailure);
  const answer = parseJsonObject(response.body);
  if (typeof answer?.access_token === 'string' && answer.access_token !== '' && typeof answer.expires_in === 'number') {
    return { token: answer.access_token, expiresInSeconds: answer.expires_in };
  }
  if (typeof answer?.errcode !== 'number' || answer.errcode === 0) throw new TokenFetchError(unreadableResponseOutcome(response) as CallFailure);
  const errmsg = String(answer.errmsg ?? '');
  const code = `WECHAT_${answer.errcode}`;
  if (answer.errcode === WECHAT_BUSY) throw new TokenFetchError({ kind: 'retry', code, message: `WeChat stable_token answered errcode -1 (system busy): ${errmsg}` });
  if (answer.errcode === WECHAT_QUOTA_EXCEEDED) {
    // The token call has its own quota; /cgi-bin/clear_quota/v2 resets it without a token.
    throw new TokenFetchError(wechatQuotaOutcome(errmsg, STABLE_TOKEN_PATH, context.clock.now()));
  }
  // 40013 bad appid, 40125 bad secret, 40164 caller IP not on the account's whitelist ...: fixed only in the account.
  throw new TokenFetchError({
    kind: 'failed',
    code,
    message: `WeChat refused the access token request for appid ${config.appId} (errcode ${answer.errcode}: ${errmsg}); check appId, appSecret and the IP whitelist.`,
  });
}

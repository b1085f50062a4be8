import { TokenFetchError, type CallFailure } from '../access-token-call.ts';
import { callErrcodeApi, callErrcodeApiWithToken, JSON_HEADERS } from '../errcode-api-call.ts';
import { buildProviderUrl } from '../outbound-http.ts';
import type { ProviderContext } from '../provider.ts';

/**
 * Calls to a DingTalk corp app's server API (oapi.dingtalk.com) with its access token: the
 * token comes from the shared token cache, and an answer of 40014 (token invalid or expired)
 * drops it and repeats the call once with a fresh one. Errors come back as outcomes, never thrown.
 */

export interface DingtalkAppCredentials {
  appKey: string;
  appSecret: string;
  baseUrl: string;
}

/** A DingTalk answer with errcode 0 and its body, or what to do instead. */
export type DingtalkAppAnswer = { ok: true; body: Record<string, unknown> } | { ok: false; outcome: CallFailure };

const DINGTALK_SYSTEM_BUSY = -1;
const DINGTALK_TOKEN_INVALID = 40014;
const TOKEN_ERRCODES: ReadonlySet<number> = new Set([DINGTALK_TOKEN_INVALID]);

const dingtalkMessage = (errcode: number, errmsg: string) => `DingTalk errcode ${errcode}: ${errmsg}`;

/** -1 (system busy) is transient. */
const busyOutcome = (errmsg: string): CallFailure => ({ kind: 'retry', code: `DINGTALK_${DINGTALK_SYSTEM_BUSY}`, message: dingtalkMessage(DINGTALK_SYSTEM_BUSY, errmsg) });

/** The token cache key: the app's public id, never its secret (keys are stored in clear). */
export const dingtalkAppTokenKey = (appKey: string) => `dingtalk-app:${appKey}`;

async function fetchAccessToken(credentials: DingtalkAppCredentials, context: ProviderContext): Promise<{ token: string; expiresInSeconds: number }> {
  const url = buildProviderUrl(credentials.baseUrl, 'gettoken', { appkey: credentials.appKey, appsecret: credentials.appSecret });
  const { answer, outcome } = await callErrcodeApi(url, { method: 'GET', headers: {} }, context);
  if (outcome) throw new TokenFetchError(outcome);
  if (answer.errcode === DINGTALK_SYSTEM_BUSY) throw new TokenFetchError(busyOutcome(answer.errmsg));
  if (answer.errcode !== 0) {
    // 40096 and the like: the app key or secret is wrong; no retry fixes that.
    throw new TokenFetchError({ kind: 'failed', code: `DINGTALK_${answer.errcode}`, message: `Getting the access token: ${dingtalkMessage(answer.errcode, answer.errmsg)}` });
  }
  const { access_token: token, expires_in: expiresIn } = answer.body;
  if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || expiresIn <= 0) {
    throw new TokenFetchError({ kind: 'retry', code: 'INVALID_RESPONSE', message: 'The gettoken answer has no access_token or expires_in' });
  }
  return { token, expiresInSeconds: expiresIn };
}

/**
 * POSTs `payload` as JSON to `{base}/<path>?access_token=..`. Answers the body when errcode is 0;
 * otherwise `classify(errcode, code, message)` decides, after -1 (busy → retry) and 40014 (refresh once).
 */
export async function callDingtalkApp(
  credentials: DingtalkAppCredentials,
  path: string,
  payload: Record<string, unknown>,
  context: ProviderContext,
  classify: (errcode: number, code: string, message: string) => CallFailure,
): Promise<DingtalkAppAnswer> {
  const { answer, outcome } = await callErrcodeApiWithToken(
    { tokens: context.tokens, key: dingtalkAppTokenKey(credentials.appKey), fetch: () => fetchAccessToken(credentials, context) },
    (token) => buildProviderUrl(credentials.baseUrl, path, { access_token: token }),
    { method: 'POST', headers: { ...JSON_HEADERS }, body: JSON.stringify(payload) },
    context,
    TOKEN_ERRCODES,
  );
  if (outcome) return { ok: false, outcome };
  if (answer.errcode === 0) return { ok: true, body: answer.body };
  if (answer.errcode === DINGTALK_SYSTEM_BUSY) return { ok: false, outcome: busyOutcome(answer.errmsg) };
  const code = `DINGTALK_${answer.errcode}`;
  const message = dingtalkMessage(answer.errcode, answer.errmsg);
  // A token fetched a moment ago and refused again: worth a later try, not a permanent failure.
  if (answer.errcode === DINGTALK_TOKEN_INVALID) return { ok: false, outcome: { kind: 'retry', code, message } };
  return { ok: false, outcome: classify(answer.errcode, code, message) };
}

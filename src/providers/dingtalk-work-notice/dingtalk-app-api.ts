import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import { isSuccessStatus, outcomeFromHttpStatus, parseJsonObject, unreadableResponseOutcome } from '../outcome-classification.ts';
import type { ProviderContext, SendOutcome } from '../provider.ts';

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

/** Every outcome but `sent`: what a call that did not succeed amounts to. */
export type DingtalkProblem = Exclude<SendOutcome, { kind: 'sent' }>;

/** A DingTalk answer with errcode 0 and its body, or what to do instead. */
export type DingtalkAppAnswer = { ok: true; body: Record<string, unknown> } | { ok: false; outcome: DingtalkProblem };

const DINGTALK_SYSTEM_BUSY = -1;
const DINGTALK_TOKEN_INVALID = 40014;

/** Thrown out of the token fetch so the cache stores nothing, and caught below as the call's outcome. */
class TokenFetchFailed extends Error {
  readonly outcome: DingtalkProblem;
  constructor(outcome: DingtalkProblem) {
    super(outcome.message);
    this.outcome = outcome;
  }
}

const dingtalkMessage = (errcode: number, errmsg: unknown) => `DingTalk errcode ${errcode}: ${String(errmsg ?? '')}`;

/** -1 (system busy) is transient; any other errcode is the caller's to classify. */
function answerOf(exchange: Awaited<ReturnType<typeof sendHttpRequest>>, nowMs: number): DingtalkAppAnswer | { ok: false; errcode: number; errmsg: unknown } {
  if (exchange.outcome) return { ok: false, outcome: exchange.outcome as DingtalkProblem };
  const { response } = exchange;
  if (!isSuccessStatus(response.statusCode)) return { ok: false, outcome: outcomeFromHttpStatus(response, nowMs) as DingtalkProblem };
  const body = parseJsonObject(response.body);
  if (typeof body?.errcode !== 'number') return { ok: false, outcome: unreadableResponseOutcome(response) as DingtalkProblem };
  if (body.errcode === 0) return { ok: true, body };
  if (body.errcode === DINGTALK_SYSTEM_BUSY) {
    return { ok: false, outcome: { kind: 'retry', code: `DINGTALK_${body.errcode}`, message: dingtalkMessage(body.errcode, body.errmsg) } };
  }
  return { ok: false, errcode: body.errcode, errmsg: body.errmsg };
}

/** The token cache key: the app's public id, never its secret (keys are stored in clear). */
export const dingtalkAppTokenKey = (appKey: string) => `dingtalk-app:${appKey}`;

async function fetchAccessToken(credentials: DingtalkAppCredentials, context: ProviderContext): Promise<{ token: string; expiresInSeconds: number }> {
  const url = buildProviderUrl(credentials.baseUrl, 'gettoken', { appkey: credentials.appKey, appsecret: credentials.appSecret });
  const answer = answerOf(await sendHttpRequest(url, { method: 'GET', headers: {} }, context), context.clock.now());
  if ('errcode' in answer) {
    // 40096 and the like: the app key or secret is wrong; no retry fixes that.
    throw new TokenFetchFailed({ kind: 'failed', code: `DINGTALK_${answer.errcode}`, message: `Getting the access token: ${dingtalkMessage(answer.errcode, answer.errmsg)}` });
  }
  if (!answer.ok) throw new TokenFetchFailed(answer.outcome);
  const { access_token: token, expires_in: expiresIn } = answer.body;
  if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || expiresIn <= 0) {
    throw new TokenFetchFailed({ kind: 'retry', code: 'INVALID_RESPONSE', message: 'The gettoken answer has no access_token or expires_in' });
  }
  return { token, expiresInSeconds: expiresIn };
}

/**
 * POSTs `payload` as JSON to `{base}/<path>?access_token=..`. Answers the body when errcode is 0;
 * otherwise `classify(errcode, message)` decides, after -1 (busy → retry) and 40014 (refresh once).
 */
export async function callDingtalkApp(
  credentials: DingtalkAppCredentials,
  path: string,
  payload: Record<string, unknown>,
  context: ProviderContext,
  classify: (errcode: number, code: string, message: string) => DingtalkProblem,
): Promise<DingtalkAppAnswer> {
  const tokenKey = dingtalkAppTokenKey(credentials.appKey);
  for (let attempt = 1; ; attempt++) {
    let token: string;
    try {
      token = await context.tokens.get(tokenKey, () => fetchAccessToken(credentials, context));
    } catch (error) {
      if (error instanceof TokenFetchFailed) return { ok: false, outcome: error.outcome };
      throw error;
    }
    const url = buildProviderUrl(credentials.baseUrl, path, { access_token: token });
    const headers = { 'content-type': 'application/json;charset=utf-8' };
    const answer = answerOf(await sendHttpRequest(url, { method: 'POST', headers, body: JSON.stringify(payload) }, context), context.clock.now());
    if (!('errcode' in answer)) return answer;
    const code = `DINGTALK_${answer.errcode}`;
    const message = dingtalkMessage(answer.errcode, answer.errmsg);
    if (answer.errcode === DINGTALK_TOKEN_INVALID) {
      await context.tokens.invalidate(tokenKey);
      // A token fetched a moment ago and refused again: worth a later try, not a permanent failure.
      if (attempt >= 2) return { ok: false, outcome: { kind: 'retry', code, message } };
      continue;
    }
    return { ok: false, outcome: classify(answer.errcode, code, message) };
  }
}

import { callWithAccessToken, TokenFetchError } from '../access-token-call.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import { unreadableResponseOutcome } from '../outcome-classification.ts';
import type { ProviderContext } from '../provider.ts';
import { readFeishuAnswer, type FeishuAnswer, type FeishuFailure } from './feishu-open-api-answer.ts';

/**
 * The tenant_access_token of a Feishu self-built app, through Herald's shared token cache,
 * and the "refresh once" rule for calls that use it.
 */

export interface FeishuAppCredentials {
  appId: string;
  appSecret: string;
  baseUrl: string;
}

/** Keyed by the public app id, never the secret (cache keys are stored in clear). */
export const feishuTenantTokenKey = (appId: string) => `feishu-app:${appId}`;

/** `POST /open-apis/auth/v3/tenant_access_token/internal`; `expire` is the token's remaining life in seconds. */
async function fetchTenantAccessToken(credentials: FeishuAppCredentials, context: ProviderContext): Promise<{ token: string; expiresInSeconds: number }> {
  const url = buildProviderUrl(credentials.baseUrl, 'open-apis/auth/v3/tenant_access_token/internal');
  const body = JSON.stringify({ app_id: credentials.appId, app_secret: credentials.appSecret });
  const { response, outcome } = await sendHttpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body }, context);
  if (outcome) throw new TokenFetchError(outcome as FeishuFailure);
  const answer = readFeishuAnswer(response, context.clock.now());
  // Bad secret (10014) or app id (10003) come back failed: no later attempt fixes them.
  if (!answer.ok) throw new TokenFetchError(answer.outcome);
  const { tenant_access_token: token, expire } = answer.body;
  if (typeof token !== 'string' || token === '' || typeof expire !== 'number' || !(expire > 0)) {
    throw new TokenFetchError(unreadableResponseOutcome(response) as FeishuFailure);
  }
  return { token, expiresInSeconds: expire };
}

/**
 * Runs `call` with the cached tenant token. When Feishu refuses the token (99991663 ...), the
 * cached one is dropped and the call made once more with a fresh one, as the official SDKs do.
 */
export async function callWithTenantToken(
  credentials: FeishuAppCredentials,
  context: ProviderContext,
  call: (token: string) => Promise<FeishuAnswer>,
): Promise<FeishuAnswer> {
  const { answer, outcome } = await callWithAccessToken(
    { tokens: context.tokens, key: feishuTenantTokenKey(credentials.appId), fetch: () => fetchTenantAccessToken(credentials, context) },
    call,
    (answer) => !answer.ok && answer.tokenRejected,
  );
  return outcome ? { ok: false, outcome, tokenRejected: false } : answer;
}

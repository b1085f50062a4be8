import type { SendOutcome, TokenCache } from './provider.ts';

/**
 * The "call with an access token, refresh once" rule of the app APIs (WeCom, WeChat, DingTalk,
 * Feishu): the token comes from the shared token cache; when the platform refuses it, it is
 * dropped and the call made once more with a fresh one. A fresh token refused again is
 * handed back for the provider to classify (its platform code, retry): looping would only
 * race whoever else renews the token.
 */

/** Every outcome but `sent`: what a call that did not get through amounts to. */
export type CallFailure = Exclude<SendOutcome, { kind: 'sent' }>;

/** Thrown out of a token fetch so the token cache stores nothing; `callWithAccessToken` answers its outcome. */
export class TokenFetchError extends Error {
  readonly outcome: CallFailure;
  constructor(outcome: CallFailure) {
    super(outcome.message);
    this.name = 'TokenFetchError';
    this.outcome = outcome;
  }
}

/** Where a provider's token comes from: the cache, its key (public ids only: keys are stored in clear) and the platform call. */
export interface AccessTokenSource {
  tokens: TokenCache;
  key: string;
  /** Asks the platform for a token; throws TokenFetchError with the outcome when it gives none. */
  fetch: Parameters<TokenCache['get']>[1];
}

export type AccessTokenCallResult<Answer> = { answer: Answer; outcome?: never } | { outcome: CallFailure; answer?: never };

/** Runs `call` with the cached token, refreshing it once when `tokenRejected(answer)`; a failed token fetch answers its outcome. */
export async function callWithAccessToken<Answer>(
  source: AccessTokenSource,
  call: (token: string) => Promise<Answer>,
  tokenRejected: (answer: Answer) => boolean,
): Promise<AccessTokenCallResult<Answer>> {
  for (let refreshed = false; ; refreshed = true) {
    let token: string;
    try {
      token = await source.tokens.get(source.key, source.fetch);
    } catch (error) {
      if (error instanceof TokenFetchError) return { outcome: error.outcome };
      throw error;
    }
    const answer = await call(token);
    if (refreshed || !tokenRejected(answer)) return { answer };
    await source.tokens.invalidate(source.key);
  }
}

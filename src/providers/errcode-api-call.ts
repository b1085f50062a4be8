import { callWithAccessToken, type AccessTokenSource, type CallFailure } from './access-token-call.ts';
import { sendHttpRequest, type OutboundRequest } from './outbound-http.ts';
import { isSuccessStatus, outcomeFromHttpStatus, parseJsonObject, unreadableResponseOutcome } from './outcome-classification.ts';
import type { ProviderContext } from './provider.ts';

/**
 * One call to an API that answers HTTP 200 with `{"errcode":N,"errmsg":..}` (WeCom, WeChat,
 * DingTalk): the transport failure, the non-2xx status or the unreadable body already
 * turned into an outcome, else the parsed answer for the provider to classify.
 */

export interface ErrcodeAnswer {
  errcode: number;
  errmsg: string;
  /** The whole JSON answer, for the fields beside errcode (msgid, access_token, invaliduser ...). */
  body: Record<string, unknown>;
  /** The answer as written, for numbers beyond what a JSON number keeps exactly (WeChat's 19-digit msgid). */
  rawBody: string;
}

export type ErrcodeApiResult = { answer: ErrcodeAnswer; outcome?: never } | { outcome: CallFailure; answer?: never };

export const JSON_HEADERS = { 'content-type': 'application/json;charset=utf-8' } as const;

export async function callErrcodeApi(url: URL, request: OutboundRequest, context: Pick<ProviderContext, 'http' | 'signal' | 'clock'>): Promise<ErrcodeApiResult> {
  const { response, outcome } = await sendHttpRequest(url, request, context);
  // None of these is ever `sent`: a transport failure, a non-2xx status, an unreadable body.
  if (outcome) return { outcome: outcome as CallFailure };
  if (!isSuccessStatus(response.statusCode)) return { outcome: outcomeFromHttpStatus(response, context.clock.now()) as CallFailure };
  const body = parseJsonObject(response.body);
  if (typeof body?.errcode !== 'number') return { outcome: unreadableResponseOutcome(response) as CallFailure };
  return { answer: { errcode: body.errcode, errmsg: String(body.errmsg ?? ''), body, rawBody: response.body } };
}

/**
 * `callErrcodeApi` with the access token in the query (`?access_token=..`): an errcode in
 * `tokenErrcodes` refreshes the token once; a second one comes back as the answer.
 */
export async function callErrcodeApiWithToken(
  token: AccessTokenSource,
  urlWithToken: (accessToken: string) => URL,
  request: OutboundRequest,
  context: Pick<ProviderContext, 'http' | 'signal' | 'clock'>,
  tokenErrcodes: ReadonlySet<number>,
): Promise<ErrcodeApiResult> {
  const result = await callWithAccessToken(
    token,
    (accessToken) => callErrcodeApi(urlWithToken(accessToken), request, context),
    ({ answer }) => answer !== undefined && tokenErrcodes.has(answer.errcode),
  );
  return result.outcome ? result : result.answer;
}

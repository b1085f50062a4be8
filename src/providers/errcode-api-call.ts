import { sendHttpRequest, type OutboundRequest } from './outbound-http.ts';
import { isSuccessStatus, outcomeFromHttpStatus, parseJsonObject, unreadableResponseOutcome } from './outcome-classification.ts';
import type { ProviderContext, SendOutcome } from './provider.ts';

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
}

export type ErrcodeApiResult = { answer: ErrcodeAnswer; outcome?: never } | { outcome: SendOutcome; answer?: never };

export const JSON_HEADERS = { 'content-type': 'application/json;charset=utf-8' } as const;

export async function callErrcodeApi(url: URL, request: OutboundRequest, context: Pick<ProviderContext, 'http' | 'signal' | 'clock'>): Promise<ErrcodeApiResult> {
  const { response, outcome } = await sendHttpRequest(url, request, context);
  if (outcome) return { outcome };
  if (!isSuccessStatus(response.statusCode)) return { outcome: outcomeFromHttpStatus(response, context.clock.now()) };
  const body = parseJsonObject(response.body);
  if (typeof body?.errcode !== 'number') return { outcome: unreadableResponseOutcome(response) };
  return { answer: { errcode: body.errcode, errmsg: String(body.errmsg ?? ''), body } };
}

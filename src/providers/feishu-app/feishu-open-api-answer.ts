import {
  isSuccessStatus,
  outcomeFromHttpStatus,
  parseJsonObject,
  parseRetryAfterMs,
  unreadableResponseOutcome,
  type HttpResponseSummary,
} from '../outcome-classification.ts';
import type { SendOutcome } from '../provider.ts';

/**
 * How a Feishu open API answer (tenant token, im/v1 send and recall, v4 batch) is read.
 * Unlike the other Chinese IM APIs, errors come with HTTP 400 (429 when throttled) plus a
 * `code`, so the code decides and the status is only the fallback.
 */

export type FeishuFailure = Exclude<SendOutcome, { kind: 'sent' }>;

export type FeishuAnswer =
  | { ok: true; body: Record<string, unknown> }
  /** `tokenRejected`: the tenant token was refused; refresh it and try once more. */
  | { ok: false; outcome: FeishuFailure; tokenRejected: boolean };

/** 99991663 tenant token invalid or expired, 99991664 app token invalid, 99991671 token invalid: the official SDKs refresh and retry once. */
const TOKEN_REJECTED_CODES = new Set([99991663, 99991664, 99991671]);
/** The app's 50/s or 1000/min across the tenant (HTTP 429, some older APIs HTTP 400). */
const APP_RATE_LIMITED = 99991400;
/** 5 QPS to one user or one group, shared by every bot in it. */
const RECEIVER_RATE_LIMITED = 230020;
/** The per-receiver window is one second; used when the answer has no reset header. */
const RECEIVER_RATE_LIMIT_RETRY_MS = 1_000;

/** `x-ogw-ratelimit-reset`: seconds until the window reopens; else a standard Retry-After. */
function rateLimitResetMs(response: HttpResponseSummary, nowMs: number): number | undefined {
  const reset = response.headers['x-ogw-ratelimit-reset'];
  const seconds = Number((Array.isArray(reset) ? reset[0] : reset)?.trim());
  if (reset !== undefined && Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  return parseRetryAfterMs(response.headers['retry-after'], nowMs);
}

const failure = (outcome: FeishuFailure): FeishuAnswer => ({ ok: false, outcome, tokenRejected: false });

export function readFeishuAnswer(response: HttpResponseSummary, nowMs: number): FeishuAnswer {
  const body = parseJsonObject(response.body);
  if (typeof body?.code !== 'number') {
    if (isSuccessStatus(response.statusCode)) return failure(unreadableResponseOutcome(response) as FeishuFailure);
    const outcome = outcomeFromHttpStatus(response, nowMs) as FeishuFailure;
    return failure(outcome.kind === 'rate_limited' ? { ...outcome, retryAfterMs: rateLimitResetMs(response, nowMs) } : outcome);
  }
  const { code: platformCode } = body;
  if (platformCode === 0) {
    return isSuccessStatus(response.statusCode) ? { ok: true, body } : failure(outcomeFromHttpStatus(response, nowMs) as FeishuFailure);
  }
  const code = `FEISHU_${platformCode}`;
  const message = `Feishu code ${platformCode}: ${String(body.msg ?? '')}`;
  if (TOKEN_REJECTED_CODES.has(platformCode)) {
    // The outcome counts only when a freshly fetched token is refused too: a platform hiccup, worth a later attempt.
    return { ok: false, outcome: { kind: 'retry', code, message }, tokenRejected: true };
  }
  if (platformCode === APP_RATE_LIMITED || response.statusCode === 429) {
    return failure({ kind: 'rate_limited', code, message, retryAfterMs: rateLimitResetMs(response, nowMs) });
  }
  if (platformCode === RECEIVER_RATE_LIMITED) {
    return failure({ kind: 'rate_limited', code, message, retryAfterMs: rateLimitResetMs(response, nowMs) ?? RECEIVER_RATE_LIMIT_RETRY_MS });
  }
  if (response.statusCode >= 500) return failure({ kind: 'retry', code, message });
  // 230001 bad parameter, 230002 bot not in the group, 230006 bot ability off, 230013 user outside the app's
  // availability, 230027 missing permission, 99992402 field validation, 10003 / 10014 bad app id or secret ...
  return failure({ kind: 'failed', code, message });
}

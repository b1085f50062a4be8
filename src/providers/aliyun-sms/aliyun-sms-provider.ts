import { randomUUID } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import { describeHttpResponse, isSuccessStatus, outcomeFromHttpStatus, parseJsonObject, unreadableResponseOutcome, type HttpResponseSummary } from '../outcome-classification.ts';
import type { ProviderContext, ProviderDefinition, SendOutcome, SendRequest } from '../provider.ts';
import { signNameMissing, vendorSmsTemplateOf } from '../vendor-sms-template.ts';
import { acs3Authorization, acs3ContentSha256 } from './acs3-signature.ts';
import { parseAliyunSmsReport } from './aliyun-sms-receipts.ts';
import { calendarPeriodAt } from '../../zoned-time.ts';

/**
 * Aliyun SMS (阿里云短信): SendSms signed with ACS3-HMAC-SHA256. One call carries up to
 * 1,000 numbers of the same rendered content (one sign, one set of params), so the worker's
 * groups go out as one call. SendBatchSms is not used: it exists for per-number signs and
 * params, which render to different content and so never share a group, and Aliyun says
 * its batches may be delayed. Receipts arrive as SmsReport pushes (see aliyun-sms-receipts.ts).
 */

export const ALIYUN_SMS_DEFAULT_BASE_URL = 'https://dysmsapi.aliyuncs.com/';
export const ALIYUN_SMS_API_VERSION = '2017-05-25';
export const ALIYUN_SMS_MAX_NUMBERS_PER_CALL = 1_000;

export const aliyunSmsConfigSchema = Type.Object(
  {
    accessKeyId: Type.String({ minLength: 1, maxLength: 128, description: 'AccessKey ID of a RAM user allowed to call dysmsapi SendSms' }),
    accessKeySecret: Type.String({ minLength: 1, description: 'AccessKey secret' }),
    signName: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Registered sign name (短信签名) used when the template names none' })),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${ALIYUN_SMS_DEFAULT_BASE_URL}` })),
  },
  { additionalProperties: false },
);

export type AliyunSmsConfig = Static<typeof aliyunSmsConfigSchema>;

/** Per-number flow control windows, by the words of the BUSINESS_LIMIT_CONTROL message (providers.md). */
const FLOW_CONTROL_WINDOWS: ReadonlyArray<{ words: RegExp; seconds: number }> = [
  { words: /分钟|minute/i, seconds: 60 },
  { words: /小时|hour/i, seconds: 60 * 60 },
  { words: /天级|日级|day/i, seconds: 24 * 60 * 60 },
];
/** A message naming no window (its wording is unverified): the hour window, so a number is not asked again every minute all day. */
const UNKNOWN_WINDOW_SECONDS = 60 * 60;

/**
 * Codes that mean the Aliyun account cannot pay for more messages: `isv.AMOUNT_NOT_ENOUGH` (账户余额不足)
 * and `isv.OUT_OF_SERVICE` (业务停机: out of balance, packages included). Aliyun SMS error-code docs.
 */
export const ALIYUN_OUT_OF_BALANCE: ReadonlySet<string> = new Set(['isv.AMOUNT_NOT_ENOUGH', 'isv.OUT_OF_SERVICE']);

/** The send limits an operator sets in the Aliyun console (系统设置 > 安全设置): `isv.DAY_LIMIT_CONTROL`, `isv.MONTH_LIMIT_CONTROL`. */
const ALIYUN_SEND_LIMITS: Readonly<Record<string, 'daily' | 'monthly'>> = { 'isv.DAY_LIMIT_CONTROL': 'daily', 'isv.MONTH_LIMIT_CONTROL': 'monthly' };

/** The next midnight (daily) or first of the month (monthly) in China time after `nowMs`. */
const chinaPeriodEndMs = (period: 'daily' | 'monthly', nowMs: number) => calendarPeriodAt('Asia/Shanghai', nowMs, period === 'daily' ? 'day' : 'month').endMs;

/** Aliyun numbers: mainland numbers as their 11 national digits, others as country code and number, without "+". */
export function aliyunPhoneNumber(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
}

/** How Aliyun's answer `Code` classifies (providers.md "Aliyun SMS"). */
export function outcomeFromAliyunCode(code: string, message: string, bizId: string | undefined, response: HttpResponseSummary, nowMs = Date.now()): SendOutcome {
  if (code === 'OK') return bizId ? { kind: 'sent', providerMessageId: bizId } : { kind: 'sent' };
  const platformCode = `ALIYUN_${code}`;
  const text = `Aliyun SendSms ${code}: ${message}`;
  if (code === 'isv.BUSINESS_LIMIT_CONTROL') {
    const window = FLOW_CONTROL_WINDOWS.find(({ words }) => words.test(message));
    const seconds = window?.seconds ?? UNKNOWN_WINDOW_SECONDS;
    return { kind: 'rate_limited', code: platformCode, message: `${text} (per-number flow control: not before ${seconds} s)`, retryAfterMs: seconds * 1000 };
  }
  if (ALIYUN_OUT_OF_BALANCE.has(code)) {
    // Nothing goes out until the account is topped up: the deliveries wait (no attempt used) and the account is marked exhausted until an operator clears it.
    return { kind: 'rate_limited', code: platformCode, message: `${text} (the Aliyun account is out of balance: top it up, then reset the channel account's quota mark)`, quotaExhausted: {} };
  }
  const sendLimit = ALIYUN_SEND_LIMITS[code];
  if (sendLimit) {
    // The daily / monthly send limit the operator set in the Aliyun console: nothing goes out until it resets (China time).
    const untilMs = chinaPeriodEndMs(sendLimit, nowMs);
    return { kind: 'rate_limited', code: platformCode, message: `${text} (the ${sendLimit} send limit set in the Aliyun console is reached; sends wait until it resets)`, retryAfterMs: untilMs - nowMs, quotaExhausted: { untilMs } };
  }
  // The API gateway's own throttling (Throttling.User, Throttling.Api ...): the account, not a number.
  if (code.startsWith('Throttling')) return { kind: 'rate_limited', code: platformCode, message: text, retryAfterMs: 1000 };
  if (code === 'isp.SYSTEM_ERROR' || code === 'ServiceUnavailable' || code === 'InternalError' || response.statusCode >= 500) {
    return { kind: 'retry', code: platformCode, message: text };
  }
  return { kind: 'failed', code: platformCode, message: text };
}

function outcomeOfAnswer(response: HttpResponseSummary, nowMs: number): SendOutcome {
  const body = parseJsonObject(response.body);
  if (typeof body?.Code !== 'string') {
    return isSuccessStatus(response.statusCode) ? unreadableResponseOutcome(response) : outcomeFromHttpStatus(response, nowMs);
  }
  const bizId = typeof body.BizId === 'string' && body.BizId !== '' ? body.BizId : undefined;
  const outcome = outcomeFromAliyunCode(body.Code, typeof body.Message === 'string' ? body.Message : describeHttpResponse(response), bizId, response, nowMs);
  // An "OK" that is not HTTP 2xx is no answer Aliyun gives.
  return outcome.kind === 'sent' && !isSuccessStatus(response.statusCode) ? outcomeFromHttpStatus(response, nowMs) : outcome;
}

export const aliyunSmsProvider: ProviderDefinition<AliyunSmsConfig> = {
  type: 'aliyun-sms',
  channel: 'sms',
  target: 'address',
  configSchema: aliyunSmsConfigSchema,
  secretFields: ['accessKeySecret'],
  sendsVendorTemplatesOnly: true,
  maxRecipientsPerCall: ALIYUN_SMS_MAX_NUMBERS_PER_CALL,

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? ALIYUN_SMS_DEFAULT_BASE_URL, 'baseUrl');
  },

  createSender({ config }) {
    const baseUrl = config.baseUrl ?? ALIYUN_SMS_DEFAULT_BASE_URL;

    async function sendBatch(requests: readonly SendRequest[], context: ProviderContext): Promise<SendOutcome[]> {
      if (requests.length === 0) return [];
      if (requests.length > ALIYUN_SMS_MAX_NUMBERS_PER_CALL) {
        throw new Error(`aliyun-sms sendBatch takes at most ${ALIYUN_SMS_MAX_NUMBERS_PER_CALL} requests, got ${requests.length}`);
      }
      const { template, outcome: missing } = vendorSmsTemplateOf(requests[0].content, config.signName, 'Aliyun SMS');
      if (missing) return requests.map(() => missing);
      if (!template.signName) return requests.map(() => signNameMissing('Aliyun SMS'));

      const form = new URLSearchParams({
        PhoneNumbers: requests.map((request) => aliyunPhoneNumber(request.address ?? '')).join(','),
        SignName: template.signName,
        TemplateCode: template.templateCode,
      });
      // TemplateParam is a JSON string of string values; a template without variables takes none.
      if (Object.keys(template.params).length > 0) form.set('TemplateParam', JSON.stringify(template.params));
      // One OutId per call: the first request's dedup key (SmsReport echoes it as out_id).
      form.set('OutId', requests[0].dedupKey);
      const body = form.toString();

      const url = buildProviderUrl(baseUrl, '/');
      const signed: Record<string, string> = {
        host: url.host,
        'x-acs-action': 'SendSms',
        'x-acs-version': ALIYUN_SMS_API_VERSION,
        'x-acs-date': new Date(context.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'x-acs-signature-nonce': randomUUID(),
        'x-acs-content-sha256': acs3ContentSha256(body),
      };
      const authorization = acs3Authorization({
        method: 'POST',
        canonicalUri: '/',
        query: {},
        headers: signed,
        body,
        accessKeyId: config.accessKeyId,
        accessKeySecret: config.accessKeySecret,
      });
      // undici writes Host from the URL; the signed value is the same.
      const { host: _host, ...headers } = signed;
      const { response, outcome } = await sendHttpRequest(
        url,
        { method: 'POST', headers: { ...headers, authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body },
        context,
      );
      const callOutcome = outcome ?? outcomeOfAnswer(response, context.clock.now());
      return requests.map(() => callOutcome);
    }

    return {
      async send(request, context) {
        const [outcome] = await sendBatch([request], context);
        return outcome;
      },
      sendBatch,
    };
  },

  receipts: {
    parse: (request) => parseAliyunSmsReport(request),
  },
};

import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import { isSuccessStatus, outcomeFromHttpStatus, parseJsonObject, unreadableResponseOutcome, type HttpResponseSummary } from '../outcome-classification.ts';
import type { ProviderContext, ProviderDefinition, SendOutcome, SendRequest } from '../provider.ts';
import { signNameMissing, vendorSmsTemplateOf, type VendorSmsTemplate } from '../vendor-sms-template.ts';
import { tc3Authorization, TC3_CONTENT_TYPE } from './tc3-signature.ts';
import { parseTencentSmsReport } from './tencent-sms-receipts.ts';

/**
 * Tencent Cloud SMS (腾讯云短信, API 3.0 SendSms 2021-01-11) signed with TC3-HMAC-SHA256. One
 * call carries up to 200 numbers of the same content, all mainland or all international
 * (a mixed group becomes two calls), and answers one status per number: each request gets
 * its own outcome, its SerialNo as the message id (receipts name it `sid`).
 */

export const TENCENT_SMS_DEFAULT_BASE_URL = 'https://sms.tencentcloudapi.com/';
export const TENCENT_SMS_API_VERSION = '2021-01-11';
export const TENCENT_SMS_MAX_NUMBERS_PER_CALL = 200;
const DEFAULT_REGION = 'ap-guangzhou';
/** SessionContext must stay under 512 bytes. */
const SESSION_CONTEXT_MAX_BYTES = 511;
/** RequestLimitExceeded is a per-second frequency limit (3000 requests/s by default). */
const REQUEST_LIMIT_BACKOFF_MS = 1_000;

export const tencentSmsConfigSchema = Type.Object(
  {
    secretId: Type.String({ minLength: 1, maxLength: 128, description: 'SecretId of an API key allowed to call sms:SendSms' }),
    secretKey: Type.String({ minLength: 1, description: 'SecretKey' }),
    sdkAppId: Type.String({ pattern: '^[0-9]{1,20}$', description: 'The SMS application SdkAppId (1400...)' }),
    region: Type.Optional(Type.String({ pattern: '^[a-z]{2}-[a-z]+(-[0-9]+)?$', description: `X-TC-Region, default ${DEFAULT_REGION}` })),
    signName: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Registered sign name (签名内容) used when the template names none; international SMS needs none' })),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${TENCENT_SMS_DEFAULT_BASE_URL}` })),
  },
  { additionalProperties: false },
);

export type TencentSmsConfig = Static<typeof tencentSmsConfigSchema>;

/** Per-number caps, answered in that number's status: deferred past the window (with a second to spare). */
const PER_NUMBER_WINDOWS_SECONDS: Readonly<Record<string, number>> = {
  'LimitExceeded.PhoneNumberThirtySecondLimit': 30,
  'LimitExceeded.PhoneNumberOneHourLimit': 60 * 60,
  'LimitExceeded.PhoneNumberDailyLimit': 24 * 60 * 60,
  'LimitExceeded.PhoneNumberSameContentDailyLimit': 24 * 60 * 60,
};

/** How a Tencent code classifies, for the whole request (`Response.Error.Code`) or one number (`SendStatusSet[].Code`). */
export function outcomeFromTencentCode(code: string, message: string, serialNo?: string): SendOutcome {
  if (code === 'Ok') return serialNo ? { kind: 'sent', providerMessageId: serialNo } : { kind: 'sent' };
  const platformCode = `TENCENT_${code}`;
  const text = `Tencent SendSms ${code}: ${message}`;
  const windowSeconds = PER_NUMBER_WINDOWS_SECONDS[code];
  if (windowSeconds !== undefined) {
    return { kind: 'rate_limited', code: platformCode, message: `${text} (per-number limit: not before ${windowSeconds} s)`, retryAfterMs: (windowSeconds + 1) * 1000 };
  }
  if (code.startsWith('RequestLimitExceeded')) return { kind: 'rate_limited', code: platformCode, message: text, retryAfterMs: REQUEST_LIMIT_BACKOFF_MS };
  if (code.startsWith('InternalError') || code === 'ResourceUnavailable' || code === 'ServiceUnavailable') return { kind: 'retry', code: platformCode, message: text };
  // AuthFailure.*, FailedOperation.*, InvalidParameter(Value).*, UnauthorizedOperation.*, LimitExceeded.PhoneNumberCountLimit and unknown codes.
  return { kind: 'failed', code: platformCode, message: text };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isMainland = (e164: string) => e164.startsWith('+86');

/** `value` cut to at most `maxBytes` UTF-8 bytes on a character boundary. */
function utf8Cut(value: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of value) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return value.slice(0, end);
}

/** One outcome per request from an answer (in request order): per-number statuses matched by number, or the request error for all. */
function outcomesOfAnswer(requests: readonly SendRequest[], response: HttpResponseSummary, nowMs: number): SendOutcome[] {
  const body = parseJsonObject(response.body);
  const answer = isRecord(body?.Response) ? body.Response : undefined;
  if (!answer) {
    const outcome = isSuccessStatus(response.statusCode) ? unreadableResponseOutcome(response) : outcomeFromHttpStatus(response, nowMs);
    return requests.map(() => outcome);
  }
  if (isRecord(answer.Error)) {
    const outcome = outcomeFromTencentCode(String(answer.Error.Code ?? 'UnknownError'), String(answer.Error.Message ?? ''));
    return requests.map(() => outcome);
  }
  // A number given twice gets two statuses: take them in order.
  const statuses = new Map<string, Array<Record<string, unknown>>>();
  for (const status of Array.isArray(answer.SendStatusSet) ? answer.SendStatusSet.filter(isRecord) : []) {
    const number = String(status.PhoneNumber ?? '');
    statuses.set(number, [...(statuses.get(number) ?? []), status]);
  }
  return requests.map((request): SendOutcome => {
    const status = statuses.get(request.address ?? '')?.shift();
    if (!status) {
      // Accepted, but silent about this number: resending could send twice, so it fails and may be retried by hand.
      return { kind: 'failed', code: 'TENCENT_STATUS_MISSING', message: `Tencent SendSms answered no SendStatusSet entry for ${request.address}` };
    }
    const serialNo = typeof status.SerialNo === 'string' && status.SerialNo !== '' ? status.SerialNo : undefined;
    return outcomeFromTencentCode(String(status.Code ?? 'UnknownError'), String(status.Message ?? ''), serialNo);
  });
}

export const tencentSmsProvider: ProviderDefinition<TencentSmsConfig> = {
  type: 'tencent-sms',
  channel: 'sms',
  target: 'address',
  configSchema: tencentSmsConfigSchema,
  secretFields: ['secretKey'],
  sendsVendorTemplatesOnly: true,
  maxRecipientsPerCall: TENCENT_SMS_MAX_NUMBERS_PER_CALL,

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? TENCENT_SMS_DEFAULT_BASE_URL, 'baseUrl');
  },

  createSender({ config }) {
    const url = buildProviderUrl(config.baseUrl ?? TENCENT_SMS_DEFAULT_BASE_URL, '/');

    /** One SendSms call; `signName` is undefined for international numbers, which take none. */
    async function call(requests: readonly SendRequest[], template: VendorSmsTemplate, signName: string | undefined, context: ProviderContext): Promise<SendOutcome[]> {
      const body = JSON.stringify({
        PhoneNumberSet: requests.map((request) => request.address ?? ''),
        SmsSdkAppId: config.sdkAppId,
        SignName: signName,
        TemplateId: template.templateCode,
        // Tencent takes the values in the template's {1}, {2} ... order: the params' order.
        TemplateParamSet: Object.values(template.params),
        // One SessionContext per call: the first request's dedup key.
        SessionContext: utf8Cut(requests[0].dedupKey, SESSION_CONTEXT_MAX_BYTES),
      });
      const timestampSeconds = Math.floor(context.clock.now() / 1000);
      const authorization = tc3Authorization({ secretId: config.secretId, secretKey: config.secretKey, service: 'sms', host: url.host, timestampSeconds, body });
      const { response, outcome } = await sendHttpRequest(
        url,
        {
          method: 'POST',
          headers: {
            authorization,
            'content-type': TC3_CONTENT_TYPE,
            'x-tc-action': 'SendSms',
            'x-tc-version': TENCENT_SMS_API_VERSION,
            'x-tc-region': config.region ?? DEFAULT_REGION,
            'x-tc-timestamp': String(timestampSeconds),
          },
          body,
        },
        context,
      );
      return outcome ? requests.map(() => outcome) : outcomesOfAnswer(requests, response, context.clock.now());
    }

    async function sendBatch(requests: readonly SendRequest[], context: ProviderContext): Promise<SendOutcome[]> {
      if (requests.length === 0) return [];
      if (requests.length > TENCENT_SMS_MAX_NUMBERS_PER_CALL) {
        throw new Error(`tencent-sms sendBatch takes at most ${TENCENT_SMS_MAX_NUMBERS_PER_CALL} requests, got ${requests.length}`);
      }
      const { template, outcome: missing } = vendorSmsTemplateOf(requests[0].content, config.signName, 'Tencent SMS');
      if (missing) return requests.map(() => missing);
      // A call is all mainland or all international numbers.
      const outcomes = new Array<SendOutcome>(requests.length);
      for (const mainland of [true, false]) {
        const indexes = requests.flatMap((request, index) => (isMainland(request.address ?? '') === mainland ? [index] : []));
        if (indexes.length === 0) continue;
        if (mainland && !template.signName) {
          for (const index of indexes) outcomes[index] = signNameMissing('Tencent SMS for mainland numbers');
          continue;
        }
        const answered = await call(indexes.map((index) => requests[index]), template, mainland ? template.signName : undefined, context);
        indexes.forEach((requestIndex, position) => (outcomes[requestIndex] = answered[position]));
      }
      return outcomes;
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
    parse: (request) => parseTencentSmsReport(request),
  },
};

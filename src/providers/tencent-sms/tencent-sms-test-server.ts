import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * Plays Tencent Cloud SMS SendSms (API 3.0, 2021-01-11) for tests, as documented: recomputes
 * the TC3-HMAC-SHA256 signature with its own code (AuthFailure.SignatureFailure), checks the
 * SecretId, the timestamp (within 5 min) and the X-TC headers, parses the JSON body strictly
 * (≤ 200 numbers, all mainland or all international, the SdkAppId, a registered sign for
 * mainland numbers, a registered template with its parameter count, SessionContext < 512
 * bytes) and answers HTTP 200 with `Response.SendStatusSet` (one status per number, `Ok` or
 * a per-number limit) or `Response.Error`. `receiptPush` builds the status callback Tencent
 * would push for an accepted call.
 */

export type TencentSmsTestServerMode = 'normal' | 'transient-error' | 'request-limit' | 'hang';

export interface TencentSmsStatus {
  SerialNo: string;
  PhoneNumber: string;
  Fee: number;
  SessionContext: string;
  Code: string;
  Message: string;
  IsoCode: string;
}

export interface AcceptedTencentCall {
  body: Record<string, any>;
  statuses: TencentSmsStatus[];
}

export interface TencentSmsTestServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly requestCount: number;
  /** Calls answered with a SendStatusSet. */
  readonly accepted: readonly AcceptedTencentCall[];
  /** `transient-error`: Error InternalError; `request-limit`: Error RequestLimitExceeded; `hang`: no answer. */
  setMode(mode: TencentSmsTestServerMode): void;
  /** That number's status answers this code (a per-number limit, a bad number ...) instead of Ok. */
  setNumberCode(number: string, code: string, message?: string): void;
  /** The status callback for an accepted call: each number that got `Ok` is SUCCESS unless `failed` gives its errmsg. */
  receiptPush(call: AcceptedTencentCall, failed?: Readonly<Record<string, string>>): Buffer;
  close(): Promise<void>;
}

export interface TencentSmsTestServerOptions {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signNames: readonly string[];
  /** Registered template ids → how many parameters each takes. */
  templates: Readonly<Record<string, number>>;
  clock?: Clock;
}

const CONTENT_TYPE = 'application/json; charset=utf-8';
const MAX_NUMBERS = 200;
const TIMESTAMP_SKEW_SECONDS = 5 * 60;
const BODY_FIELDS = ['PhoneNumberSet', 'SmsSdkAppId', 'SignName', 'TemplateId', 'TemplateParamSet', 'SessionContext', 'ExtendCode', 'SenderId'];

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmacOf = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** The signature Tencent computes for the request, following its 签名方法 v3 steps. */
function expectedSignature(request: IncomingMessage, rawBody: Buffer, secretKey: string, timestamp: string, date: string): string {
  const canonical = ['POST', '/', '', `content-type:${request.headers['content-type']}`, `host:${request.headers.host}`, '', 'content-type;host', sha256(rawBody)].join('\n');
  const toSign = ['TC3-HMAC-SHA256', timestamp, `${date}/sms/tc3_request`, sha256(canonical)].join('\n');
  const key = hmacOf(hmacOf(hmacOf('TC3' + secretKey, date), 'sms'), 'tc3_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

export async function startTencentSmsTestServer(options: TencentSmsTestServerOptions): Promise<TencentSmsTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: TencentSmsTestServerMode = 'normal';
  let requestCount = 0;
  let serial = 0;
  const accepted: AcceptedTencentCall[] = [];
  const numberCodes = new Map<string, { code: string; message: string }>();

  const reply = (response: ServerResponse, fields: Record<string, unknown>): void =>
    void response.writeHead(200, { 'content-type': CONTENT_TYPE }).end(JSON.stringify({ Response: { ...fields, RequestId: `req-${requestCount}` } }));
  const error = (response: ServerResponse, code: string, message: string): void => reply(response, { Error: { Code: code, Message: message } });

  function authenticationProblem(request: IncomingMessage, rawBody: Buffer): [string, string] | undefined {
    const match = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/sms\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]{64})$/.exec(
      String(request.headers.authorization ?? ''),
    );
    if (!match) return ['AuthFailure.InvalidAuthorization', 'The Authorization header is not TC3-HMAC-SHA256 Credential=..., SignedHeaders=content-type;host, Signature=...'];
    const [, secretId, date, signature] = match;
    if (secretId !== options.secretId) return ['AuthFailure.SecretIdNotFound', 'The SecretId is not found.'];
    const timestamp = String(request.headers['x-tc-timestamp'] ?? '');
    if (!/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) - clock.now() / 1000) > TIMESTAMP_SKEW_SECONDS) {
      return ['AuthFailure.SignatureExpire', `The X-TC-Timestamp ${timestamp} is more than 5 minutes away from the server time.`];
    }
    if (new Date(Number(timestamp) * 1000).toISOString().slice(0, 10) !== date) return ['AuthFailure.SignatureFailure', 'The credential date is not the UTC date of X-TC-Timestamp.'];
    if (signature !== expectedSignature(request, rawBody, options.secretKey, timestamp, date)) {
      return ['AuthFailure.SignatureFailure', 'The provided credentials could not be validated. Please check your signature is correct.'];
    }
    return undefined;
  }

  function handleSendSms(body: Record<string, any>, response: ServerResponse): void {
    const unknown = Object.keys(body).find((key) => !BODY_FIELDS.includes(key));
    if (unknown) return error(response, 'UnknownParameter', `The parameter ${unknown} is not recognized.`);
    const numbers: unknown = body.PhoneNumberSet;
    if (!Array.isArray(numbers) || numbers.length === 0 || numbers.some((number) => typeof number !== 'string')) {
      return error(response, 'MissingParameter', 'PhoneNumberSet must be a non-empty array of strings.');
    }
    if (numbers.length > MAX_NUMBERS) return error(response, 'LimitExceeded.PhoneNumberCountLimit', 'More than 200 numbers in one request.');
    if (numbers.some((number) => !/^\+[1-9]\d{6,14}$/.test(number))) return error(response, 'InvalidParameterValue.IncorrectPhoneNumber', 'A number is not in E.164 form.');
    const mainland = numbers.filter((number: string) => number.startsWith('+86')).length;
    if (mainland > 0 && mainland < numbers.length) return error(response, 'FailedOperation.ContainDomesticAndInternationalPhoneNumber', 'Mainland and international numbers in one request.');
    if (body.SmsSdkAppId !== options.sdkAppId) return error(response, 'InvalidParameterValue.SdkAppIdNotExist', 'The SdkAppId does not exist.');
    if (mainland > 0 && !options.signNames.includes(body.SignName)) return error(response, 'FailedOperation.SignatureIncorrectOrUnapproved', 'The sign name is not approved.');
    if (mainland === 0 && body.SignName !== undefined) return error(response, 'InvalidParameterValue.SignNameLengthTooLong', 'International SMS takes no SignName here.');
    const parameterCount = typeof body.TemplateId === 'string' ? options.templates[body.TemplateId] : undefined;
    if (parameterCount === undefined) return error(response, 'FailedOperation.TemplateIncorrectOrUnapproved', 'The template is not approved.');
    const params: unknown = body.TemplateParamSet ?? [];
    if (!Array.isArray(params) || params.length !== parameterCount || params.some((param) => typeof param !== 'string')) {
      return error(response, 'InvalidParameterValue.TemplateParameterFormatError', `The template takes ${parameterCount} string parameters.`);
    }
    const sessionContext = body.SessionContext ?? '';
    if (typeof sessionContext !== 'string' || Buffer.byteLength(sessionContext) >= 512) return error(response, 'InvalidParameterValue.InvalidParameters', 'SessionContext must be under 512 bytes.');

    const statuses = numbers.map((number: string): TencentSmsStatus => {
      const forced = numberCodes.get(number);
      return {
        SerialNo: forced ? '' : `2028:${++serial}${clock.now()}`,
        PhoneNumber: number,
        Fee: forced ? 0 : 1,
        SessionContext: sessionContext,
        Code: forced?.code ?? 'Ok',
        Message: forced?.message ?? 'send success',
        IsoCode: number.startsWith('+86') ? 'CN' : 'XX',
      };
    });
    accepted.push({ body, statuses });
    reply(response, { SendStatusSet: statuses });
  }

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (request.method !== 'POST' || request.url !== '/') return void response.writeHead(404).end();
    if (request.headers['content-type'] !== CONTENT_TYPE) return error(response, 'InvalidParameter', `Content-Type must be ${CONTENT_TYPE}.`);
    const refused = authenticationProblem(request, rawBody);
    if (refused) return error(response, ...refused);
    if (request.headers['x-tc-action'] !== 'SendSms') return error(response, 'InvalidAction', 'The action is not SendSms.');
    if (request.headers['x-tc-version'] !== '2021-01-11') return error(response, 'NoSuchVersion', 'The API version is not 2021-01-11.');
    if (!/^[a-z]{2}-[a-z]+/.test(String(request.headers['x-tc-region'] ?? ''))) return error(response, 'InvalidParameterValue', 'X-TC-Region is missing.');
    if (mode === 'transient-error') return error(response, 'InternalError', 'An internal error occurred.');
    if (mode === 'request-limit') return error(response, 'RequestLimitExceeded', 'Requests exceed the frequency limit.');
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return error(response, 'InvalidParameter', 'The body is not JSON.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return error(response, 'InvalidParameter', 'The body is not a JSON object.');
    handleSendSms(body as Record<string, any>, response);
  });

  return {
    baseUrl: server.origin,
    port: server.port,
    get requestCount() {
      return requestCount;
    },
    accepted,
    setMode(next) {
      mode = next;
    },
    setNumberCode(number, code, message = code) {
      numberCodes.set(number, { code, message });
    },
    receiptPush(call, failed = {}) {
      // Beijing wall time, as Tencent writes user_receive_time.
      const wallTime = new Date(clock.now() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      const reports = call.statuses
        .filter((status) => status.Code === 'Ok')
        .map((status) => {
          // Where the country code ends does not matter here: Herald joins nationcode and mobile again.
          const [, nationcode, mobile] = status.PhoneNumber.startsWith('+86') ? ['', '86', status.PhoneNumber.slice(3)] : /^\+(\d{1,3}?)(\d{6,})$/.exec(status.PhoneNumber)!;
          const errmsg = failed[status.PhoneNumber];
          return {
            user_receive_time: wallTime,
            nationcode,
            mobile,
            report_status: errmsg === undefined ? 'SUCCESS' : 'FAIL',
            errmsg: errmsg ?? 'DELIVRD',
            description: errmsg === undefined ? '用户短信接收成功' : '用户短信接收失败',
            sid: status.SerialNo,
          };
        });
      return Buffer.from(JSON.stringify(reports));
    },
    close: () => server.close(),
  };
}

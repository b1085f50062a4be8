import { createHash, createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * Plays Aliyun SMS SendSms (API version 2017-05-25) for tests, as documented: recomputes the
 * ACS3-HMAC-SHA256 signature with its own code and refuses a bad one (HTTP 400
 * SignatureDoesNotMatch), an unknown AccessKey (404), a stale x-acs-date (> 15 min) or a
 * reused nonce; parses the form body strictly (numbers ≤ 1000, a registered sign and
 * template, TemplateParam a JSON object of strings naming exactly the template's
 * variables); answers `{"Code":"OK","BizId":..}` or the isv/isp code with HTTP 200.
 * `receiptPush` builds the SmsReport push Aliyun would send for an accepted call.
 */

/** `out-of-balance`: every send answers isv.AMOUNT_NOT_ENOUGH, as an account with no balance left. */
export type AliyunSmsTestServerMode = 'normal' | 'transient-error' | 'http-503' | 'hang' | 'out-of-balance';
export type AliyunFlowControlWindow = 'minute' | 'hour' | 'day';

export interface AcceptedAliyunSms {
  bizId: string;
  /** As sent in PhoneNumbers. */
  phoneNumbers: string[];
  signName: string;
  templateCode: string;
  params: Record<string, string>;
  outId?: string;
}

export interface AliyunSmsTestServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly requestCount: number;
  /** Calls answered OK. */
  readonly accepted: readonly AcceptedAliyunSms[];
  /** `transient-error`: isp.SYSTEM_ERROR; `http-503`: a gateway page; `hang`: no answer. */
  setMode(mode: AliyunSmsTestServerMode): void;
  /** Numbers (as sent) under per-number flow control: a call naming one answers isv.BUSINESS_LIMIT_CONTROL for that window. */
  limitNumbers(numbers: readonly string[], window: AliyunFlowControlWindow): void;
  /** The SmsReport push body for an accepted call: every number delivered unless `failed` gives its carrier code. */
  receiptPush(send: AcceptedAliyunSms, failed?: Readonly<Record<string, string>>): Buffer;
  close(): Promise<void>;
}

export interface AliyunSmsTestServerOptions {
  accessKeyId: string;
  accessKeySecret: string;
  signNames: readonly string[];
  /** Registered template codes → their variable names. */
  templates: Readonly<Record<string, readonly string[]>>;
  clock?: Clock;
}

const SIGNED_REQUIRED = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];
const MAX_NUMBERS = 1_000;
const DATE_SKEW_MS = 15 * 60_000;
const FLOW_CONTROL_MESSAGES: Record<AliyunFlowControlWindow, string> = {
  minute: '触发分钟级流控Permits:1',
  hour: '触发小时级流控Permits:5',
  day: '触发天级流控Permits:10',
};

const hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
/** RFC 3986 encoding, as the V3 page spells it: space %20, * %2A, ~ kept. */
const pct = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (char) => '%' + char.charCodeAt(0).toString(16).toUpperCase());

/** The signature the request should carry, by the V3 page's steps, over the headers it says it signed. */
function expectedSignature(request: IncomingMessage, url: URL, rawBody: Buffer, signedHeaders: string[], secret: string): string {
  const query = [...url.searchParams.entries()].map(([name, value]) => `${pct(name)}=${pct(value)}`).sort();
  const headerLines = signedHeaders.map((name) => `${name}:${String(request.headers[name] ?? '').trim()}\n`).join('');
  const canonical = `${request.method}\n${url.pathname}\n${query.join('&')}\n${headerLines}\n${signedHeaders.join(';')}\n${hex(rawBody)}`;
  return createHmac('sha256', secret).update(`ACS3-HMAC-SHA256\n${hex(canonical)}`).digest('hex');
}

/** A mainland number as 11 digits (with or without +86/86/0086), or an international one with its country code. */
const isAliyunNumber = (number: string) => /^(?:\+?86|0086)?1[3-9]\d{9}$/.test(number) || /^(?!86)[1-9]\d{6,14}$/.test(number);

export async function startAliyunSmsTestServer(options: AliyunSmsTestServerOptions): Promise<AliyunSmsTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: AliyunSmsTestServerMode = 'normal';
  let requestCount = 0;
  const accepted: AcceptedAliyunSms[] = [];
  const nonces = new Set<string>();
  const limited = new Map<string, AliyunFlowControlWindow>();

  const answer = (response: ServerResponse, status: number, fields: Record<string, unknown>): void =>
    void response
      .writeHead(status, { 'content-type': 'application/json;charset=utf-8' })
      .end(JSON.stringify({ RequestId: `req-${requestCount}`, ...fields }));
  const code = (response: ServerResponse, codeText: string, message: string, status = 200): void => answer(response, status, { Code: codeText, Message: message });

  /** Why Aliyun's gateway would refuse the request's authentication ([Code, Message, HTTP status]), or undefined when it verifies. */
  function authenticationProblem(request: IncomingMessage, url: URL, rawBody: Buffer): [string, string, number] | undefined {
    const authorization = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(String(request.headers.authorization ?? ''));
    if (!authorization) return ['IncompleteSignature', 'The request signature does not conform to Aliyun standards.', 400];
    const [, accessKeyId, signedList, signature] = authorization;
    if (accessKeyId !== options.accessKeyId) return ['InvalidAccessKeyId.NotFound', 'Specified access key is not found.', 404];
    const signed = signedList.split(';');
    if (signed.join(';') !== [...signed].sort().join(';') || SIGNED_REQUIRED.some((name) => !signed.includes(name))) {
      return ['IncompleteSignature', `SignedHeaders must list, sorted, at least ${SIGNED_REQUIRED.join(';')}`, 400];
    }
    if (request.headers['x-acs-content-sha256'] !== hex(rawBody)) return ['SignatureDoesNotMatch', 'x-acs-content-sha256 is not the SHA-256 of the body.', 400];
    if (signature !== expectedSignature(request, url, rawBody, signed, options.accessKeySecret)) {
      return ['SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.', 400];
    }
    const date = String(request.headers['x-acs-date'] ?? '');
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(date) || Math.abs(Date.parse(date) - clock.now()) > DATE_SKEW_MS) {
      return ['InvalidTimeStamp.Expired', `Specified time stamp or date value is expired: ${date}`, 400];
    }
    const nonce = String(request.headers['x-acs-signature-nonce'] ?? '');
    if (nonce === '' || nonces.has(nonce)) return ['SignatureNonceUsed', 'Specified signature nonce was used already.', 400];
    nonces.add(nonce);
    return undefined;
  }

  function handleSendSms(form: URLSearchParams, response: ServerResponse): void {
    const allowed = ['PhoneNumbers', 'SignName', 'TemplateCode', 'TemplateParam', 'OutId', 'SmsUpExtendCode'];
    const unknown = [...form.keys()].find((name) => !allowed.includes(name));
    if (unknown) return code(response, 'isv.INVALID_PARAMETERS', `unknown parameter ${unknown}`);
    if ([...new Set(form.keys())].length !== [...form.keys()].length) return code(response, 'isv.INVALID_PARAMETERS', 'a parameter is given twice');
    const numbers = (form.get('PhoneNumbers') ?? '').split(',');
    if (numbers.length > MAX_NUMBERS) return code(response, 'isv.MOBILE_COUNT_OVER_LIMIT', 'more than 1000 numbers');
    if (numbers.some((number) => !isAliyunNumber(number))) return code(response, 'isv.MOBILE_NUMBER_ILLEGAL', `illegal number in ${form.get('PhoneNumbers')}`);
    const signName = form.get('SignName') ?? '';
    if (!options.signNames.includes(signName)) return code(response, 'isv.SMS_SIGNATURE_ILLEGAL', `sign name ${JSON.stringify(signName)} is not registered`);
    const templateCode = form.get('TemplateCode') ?? '';
    const variables = options.templates[templateCode];
    if (!variables) return code(response, 'isv.SMS_TEMPLATE_ILLEGAL', `template ${JSON.stringify(templateCode)} is not registered`);
    let params: Record<string, string> = {};
    const rawParams = form.get('TemplateParam');
    if (rawParams !== null) {
      try {
        params = JSON.parse(rawParams);
      } catch {
        return code(response, 'isv.INVALID_JSON_PARAM', 'TemplateParam is not JSON');
      }
      if (typeof params !== 'object' || params === null || Array.isArray(params) || Object.values(params).some((value) => typeof value !== 'string')) {
        return code(response, 'isv.INVALID_JSON_PARAM', 'TemplateParam must be a JSON object of strings');
      }
    }
    const missing = variables.filter((name) => !(name in params));
    const extra = Object.keys(params).filter((name) => !variables.includes(name));
    if (missing.length + extra.length > 0) return code(response, 'isv.TEMPLATE_MISSING_PARAMETERS', `template ${templateCode} takes ${variables.join(', ') || 'no variables'}`);
    const outId = form.get('OutId') ?? undefined;
    if (outId !== undefined && (outId === '' || outId.length > 256)) return code(response, 'isv.INVALID_PARAMETERS', 'OutId must be 1-256 characters');
    const flowControlled = numbers.map((number) => limited.get(number)).find((window) => window !== undefined);
    if (flowControlled) return code(response, 'isv.BUSINESS_LIMIT_CONTROL', FLOW_CONTROL_MESSAGES[flowControlled]);

    const bizId = `${900_000 + accepted.length}^${clock.now()}`;
    accepted.push({ bizId, phoneNumbers: numbers, signName, templateCode, params, outId });
    answer(response, 200, { Code: 'OK', Message: 'OK', BizId: bizId });
  }

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'http-503') return void response.writeHead(503, { 'content-type': 'text/html' }).end('<html>503 Service Temporarily Unavailable</html>');
    const url = new URL(request.url ?? '/', 'http://dysmsapi.test');
    if (request.method !== 'POST' || url.pathname !== '/') return code(response, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 404);
    const refused = authenticationProblem(request, url, rawBody);
    if (refused) return code(response, ...refused);
    if (request.headers['x-acs-action'] !== 'SendSms' || request.headers['x-acs-version'] !== '2017-05-25') {
      return code(response, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 404);
    }
    if (mode === 'transient-error') return code(response, 'isp.SYSTEM_ERROR', 'isp.SYSTEM_ERROR');
    if (mode === 'out-of-balance') return code(response, 'isv.AMOUNT_NOT_ENOUGH', '账户余额不足');
    if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return code(response, 'isv.INVALID_PARAMETERS', 'form body expected');
    handleSendSms(new URLSearchParams(rawBody.toString('utf8')), response);
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
    limitNumbers(numbers, window) {
      for (const number of numbers) limited.set(number, window);
    },
    receiptPush(send, failed = {}) {
      // Beijing wall time, as Aliyun writes report_time.
      const wallTime = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
      const reports = send.phoneNumbers.map((number) => {
        const errCode = failed[number];
        return {
          phone_number: number,
          send_time: wallTime(clock.now() - 5_000),
          report_time: wallTime(clock.now()),
          success: errCode === undefined,
          err_code: errCode ?? 'DELIVERED',
          err_msg: errCode === undefined ? '用户接收成功' : '用户接收失败',
          sms_size: '1',
          biz_id: send.bizId,
          out_id: send.outId ?? '',
        };
      });
      return Buffer.from(JSON.stringify(reports));
    },
    close: () => server.close(),
  };
}

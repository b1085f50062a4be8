import { createHmac, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ReceiptRequest } from '../provider.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * Plays Twilio's Messages API for tests, as documented: Basic auth with the account's auth
 * token or one of its API keys, a form-encoded body with To, From or MessagingServiceSid,
 * Body (≤ 1600 characters) and an optional StatusCallback; 201 with the message resource, or
 * the HTTP status plus `{"code","message","more_info","status"}`. It also builds the signed
 * StatusCallback pushes Twilio would send, with its own signing code.
 */

export type TwilioSmsTestServerMode = 'normal' | 'transient-error' | 'throttled' | 'hang';

export interface ReceivedTwilioMessage {
  sid: string;
  /** The Basic auth user: the account SID or the API key SID. */
  authUser: string;
  form: Record<string, string>;
}

export interface TwilioStatusPushOptions {
  errorCode?: string;
  /** Signs with this token instead of the account's (a forged push). */
  signWithToken?: string;
  /** Signs this form of the URL (Twilio sometimes writes the default port out). */
  signedUrl?: string;
  /** Parameters Twilio may add without notice. */
  extraParameters?: Record<string, string>;
}

export interface TwilioSmsTestServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly requestCount: number;
  /** Messages the server accepted (201). */
  readonly received: readonly ReceivedTwilioMessage[];
  /** `transient-error`: 500 + 20500; `throttled`: 429 + 20429 with Retry-After: 2; `hang`: no answer. */
  setMode(mode: TwilioSmsTestServerMode): void;
  /** The StatusCallback request Twilio would send for an accepted message, signed as Twilio signs it. */
  statusPush(sid: string, status: string, options?: TwilioStatusPushOptions): ReceiptRequest;
  close(): Promise<void>;
}

export interface TwilioSmsTestServerOptions {
  accountSid: string;
  authToken: string;
  apiKeys?: Readonly<Record<string, string>>;
  /** Numbers that replied STOP (21610). */
  unsubscribed?: readonly string[];
  /** Landlines (21614). */
  landlines?: readonly string[];
}

const FORM_FIELDS = new Set(['To', 'From', 'MessagingServiceSid', 'Body', 'StatusCallback']);
const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_BODY_CHARACTERS = 1600;

/** Twilio's documented algorithm, written independently of the provider: URL, then name+value pairs in name order. */
function twilioSignature(authToken: string, url: string, parameters: URLSearchParams): string {
  const pairs = [...parameters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const hmac = createHmac('sha1', authToken);
  hmac.update(url);
  for (const [name, value] of pairs) hmac.update(name + value);
  return hmac.digest('base64');
}

export async function startTwilioSmsTestServer(options: TwilioSmsTestServerOptions): Promise<TwilioSmsTestServer> {
  let mode: TwilioSmsTestServerMode = 'normal';
  let requestCount = 0;
  const received: ReceivedTwilioMessage[] = [];
  const credentials = new Map<string, string>([[options.accountSid, options.authToken], ...Object.entries(options.apiKeys ?? {})]);

  const error = (response: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}) =>
    response
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));

  const authenticatedUser = (header: string | undefined): string | undefined => {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
    if (!match) return undefined;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [user, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    return colon > 0 && credentials.get(user) === password ? user : undefined;
  };

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return error(response, 500, 20500, 'An internal server error has occurred');
    if (mode === 'throttled') return error(response, 429, 20429, 'Too Many Requests', { 'retry-after': '2' });

    const path = new URL(request.url ?? '/', 'http://twilio.test').pathname;
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (request.method !== 'POST' || !match) return error(response, 404, 20404, 'The requested resource was not found');
    const authUser = authenticatedUser(request.headers.authorization);
    if (!authUser || match[1] !== options.accountSid) return error(response, 401, 20003, 'Authenticate');
    if (request.headers['content-type'] !== 'application/x-www-form-urlencoded') {
      return error(response, 400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
    }

    const params = new URLSearchParams(rawBody.toString('utf8'));
    const unknown = [...params.keys()].filter((name) => !FORM_FIELDS.has(name));
    if (unknown.length > 0) return error(response, 400, 20001, `Unknown parameters: ${unknown.join(', ')}`);
    if ([...FORM_FIELDS].some((name) => params.getAll(name).length > 1)) return error(response, 400, 20001, 'A parameter is repeated');
    const form = Object.fromEntries(params) as Record<string, string>;

    if (!form.To) return error(response, 400, 21604, "A 'To' phone number is required.");
    if (!E164.test(form.To)) return error(response, 400, 21211, `The 'To' number ${form.To} is not a valid phone number.`);
    if (!form.From && !form.MessagingServiceSid) return error(response, 400, 21603, "A 'From' phone number is required.");
    if (!form.Body) return error(response, 400, 21602, 'Message body is required.');
    if ([...form.Body].length > MAX_BODY_CHARACTERS) return error(response, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (form.StatusCallback !== undefined && !/^https?:\/\/[^\s]+$/.test(form.StatusCallback)) return error(response, 400, 21609, 'Invalid StatusCallback url');
    if (options.unsubscribed?.includes(form.To)) return error(response, 400, 21610, 'Attempt to send to unsubscribed recipient');
    if (options.landlines?.includes(form.To)) return error(response, 400, 21614, `'To' number is not a valid mobile number`);

    const sid = `SM${randomBytes(16).toString('hex')}`;
    received.push({ sid, authUser, form });
    response.writeHead(201, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        sid,
        account_sid: options.accountSid,
        to: form.To,
        from: form.From ?? null,
        messaging_service_sid: form.MessagingServiceSid ?? null,
        body: form.Body,
        status: form.MessagingServiceSid ? 'accepted' : 'queued',
        num_segments: '1',
        api_version: '2010-04-01',
        uri: `/2010-04-01/Accounts/${options.accountSid}/Messages/${sid}.json`,
      }),
    );
  });

  return {
    baseUrl: server.origin,
    port: server.port,
    get requestCount() {
      return requestCount;
    },
    received,
    setMode(next) {
      mode = next;
    },
    statusPush(sid, status, pushOptions = {}) {
      const message = received.find((candidate) => candidate.sid === sid);
      if (!message?.form.StatusCallback) throw new Error(`message ${sid} was not accepted with a StatusCallback`);
      const params = new URLSearchParams({
        SmsSid: sid,
        SmsStatus: status,
        MessageStatus: status,
        To: message.form.To,
        MessageSid: sid,
        AccountSid: options.accountSid,
        ...(message.form.From ? { From: message.form.From } : {}),
        ...(message.form.MessagingServiceSid ? { MessagingServiceSid: message.form.MessagingServiceSid } : {}),
        ApiVersion: '2010-04-01',
        ...(pushOptions.errorCode ? { ErrorCode: pushOptions.errorCode } : {}),
        ...pushOptions.extraParameters,
      });
      const url = message.form.StatusCallback;
      const signature = twilioSignature(pushOptions.signWithToken ?? options.authToken, pushOptions.signedUrl ?? url, params);
      return {
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'x-twilio-signature': signature, 'i-twilio-idempotency-token': randomBytes(8).toString('hex') },
        body: Buffer.from(params.toString(), 'utf8'),
      };
    },
    close: () => server.close(),
  };
}

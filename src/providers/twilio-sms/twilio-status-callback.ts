import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ReceiptEntry, ReceiptParse, ReceiptReply, ReceiptRequest } from '../provider.ts';

/**
 * Twilio StatusCallback: a form-encoded POST per status change of a message, signed with
 * `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, URL + every POST parameter's name and
 * value in name order)). Twilio signs with the account's auth token, never with an API key
 * secret, so receipts need `authToken` in the account config.
 */

/** Twilio stops once it gets any 2xx; it reads no body from a status callback. */
const ACCEPTED_REPLY: ReceiptReply = { status: 200, contentType: 'text/plain', body: '' };
const FORBIDDEN_REPLY: ReceiptReply = { status: 403, contentType: 'text/plain', body: 'Twilio request validation failed' };
const UNREADABLE_REPLY: ReceiptReply = { status: 400, contentType: 'text/plain', body: 'Not a Twilio message status callback' };

/** Form parameters by name; a name may repeat. */
export type FormParameters = ReadonlyMap<string, readonly string[]>;

export function parseFormParameters(body: string): FormParameters {
  const parameters = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(body)) parameters.set(name, [...(parameters.get(name) ?? []), value]);
  return parameters;
}

/**
 * The signed string: the URL, then each name in code-unit order followed by its value (a
 * repeated name once per distinct value, values sorted, as twilio-node computes it).
 */
export function twilioSignedPayload(url: string, parameters: FormParameters): string {
  const names = [...parameters.keys()].sort();
  return names.reduce((payload, name) => payload + [...new Set(parameters.get(name))].sort().map((value) => name + value).join(''), url);
}

export function signTwilioRequest(authToken: string, url: string, parameters: FormParameters): string {
  return createHmac('sha1', authToken).update(twilioSignedPayload(url, parameters), 'utf8').digest('base64');
}

/**
 * The forms of the URL Twilio may have signed: as configured, and (like twilio-node, since
 * Twilio's own signing is inconsistent about it) with the port left out and with the
 * scheme's default port written out.
 */
export function twilioSignatureUrls(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const withoutPort = new URL(parsed);
  withoutPort.port = '';
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  const userInfo = parsed.username || parsed.password ? `${parsed.username}${parsed.password ? `:${parsed.password}` : ''}@` : '';
  const withPort = `${parsed.protocol}//${userInfo}${parsed.hostname}:${port}${parsed.pathname}${parsed.search}${parsed.hash}`;
  return [...new Set([url, withoutPort.toString(), withPort])];
}

function sameSignature(given: string, expected: string): boolean {
  const givenBytes = Buffer.from(given, 'utf8');
  const expectedBytes = Buffer.from(expected, 'utf8');
  return givenBytes.length === expectedBytes.length && timingSafeEqual(givenBytes, expectedBytes);
}

function headerValue(headers: ReceiptRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Final statuses only: queued, sending, sent, accepted, scheduled ... say nothing about the recipient yet. */
function entryFor(parameters: FormParameters): ReceiptEntry | undefined | 'unreadable' {
  const first = (name: string) => parameters.get(name)?.[0];
  const messageSid = first('MessageSid') ?? first('SmsSid');
  const status = first('MessageStatus') ?? first('SmsStatus');
  if (!messageSid || !status) return 'unreadable';
  if (status === 'delivered' || status === 'read') return { providerMessageId: messageSid, status: 'delivered' };
  if (status !== 'undelivered' && status !== 'failed') return undefined;
  const errorCode = first('ErrorCode');
  return {
    providerMessageId: messageSid,
    status: 'undelivered',
    code: errorCode || status,
    message: errorCode ? `Twilio MessageStatus ${status}, error ${errorCode}` : `Twilio MessageStatus ${status}`,
  };
}

/** Reads one StatusCallback push for an account whose auth token is `authToken`. */
export function parseTwilioStatusCallback(request: ReceiptRequest, authToken: string | undefined): ReceiptParse {
  if (authToken === undefined) {
    return { kind: 'refused', reason: 'Twilio receipts are signed with the auth token: set authToken on the account', reply: FORBIDDEN_REPLY };
  }
  const signature = headerValue(request.headers, 'x-twilio-signature');
  if (!signature) return { kind: 'refused', reason: 'X-Twilio-Signature header missing', reply: FORBIDDEN_REPLY };
  const parameters = parseFormParameters(request.body.toString('utf8'));
  const signed = twilioSignatureUrls(request.url).some((url) => sameSignature(signature, signTwilioRequest(authToken, url, parameters)));
  if (!signed) return { kind: 'refused', reason: 'X-Twilio-Signature does not match the URL and parameters', reply: FORBIDDEN_REPLY };
  const entry = entryFor(parameters);
  if (entry === 'unreadable') return { kind: 'refused', reason: 'MessageSid or MessageStatus missing', reply: UNREADABLE_REPLY };
  return { kind: 'accepted', entries: entry ? [entry] : [], reply: ACCEPTED_REPLY };
}

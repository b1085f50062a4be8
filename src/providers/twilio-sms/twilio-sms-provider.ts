import { Type, type Static } from 'typebox';
import { invalid } from '../../errors.ts';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import {
  describeHttpResponse,
  isSuccessStatus,
  outcomeFromHttpStatus,
  parseJsonObject,
  parseRetryAfterMs,
  unreadableResponseOutcome,
  type HttpResponseSummary,
} from '../outcome-classification.ts';
import type { ProviderDefinition, RenderedMessage, SendOutcome } from '../provider.ts';
import { parseTwilioStatusCallback } from './twilio-status-callback.ts';

/**
 * Twilio Programmable Messaging: one `POST /2010-04-01/Accounts/{sid}/Messages.json` per
 * recipient, form-encoded, Basic auth. Twilio takes no idempotency key for messages, so a send
 * retried after a lost answer can reach the phone twice; only the worker's own dedup helps.
 * Delivery reports come back through the StatusCallback URL named on each send.
 */

export const TWILIO_DEFAULT_BASE_URL = 'https://api.twilio.com';

export const twilioSmsConfigSchema = Type.Object(
  {
    accountSid: Type.String({ pattern: '^AC[0-9a-fA-F]{32}$', description: 'Account SID (AC...), also the account in the request path' }),
    authToken: Type.Optional(
      Type.String({ minLength: 1, description: 'Auth token: Basic auth password unless an API key is set; required for delivery receipts (Twilio signs them with it)' }),
    ),
    apiKeySid: Type.Optional(Type.String({ pattern: '^SK[0-9a-fA-F]{32}$', description: 'API key SID (SK...), used with apiKeySecret instead of the auth token to send' })),
    apiKeySecret: Type.Optional(Type.String({ minLength: 1, description: 'Secret of the API key' })),
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'Sender: an E.164 number, short code or alphanumeric sender id' })),
    messagingServiceSid: Type.Optional(
      Type.String({ pattern: '^MG[0-9a-fA-F]{32}$', description: 'Messaging Service SID (MG...), which picks the sender; instead of from' }),
    ),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${TWILIO_DEFAULT_BASE_URL}` })),
  },
  { additionalProperties: false },
);

export type TwilioSmsConfig = Static<typeof twilioSmsConfigSchema>;

/** Twilio's documented Body limit; the sms channel refuses longer text at render time already. */
export const TWILIO_MAX_BODY_CHARACTERS = 1600;

const TWILIO_TOO_MANY_REQUESTS = 20429;

/** Twilio has no templates: the sms override's text when a renderer put one in `extras.sms.text`, else the plain text. */
export function twilioMessageBody(content: RenderedMessage): string {
  const sms = content.extras?.sms as { text?: unknown } | undefined;
  return typeof sms?.text === 'string' && sms.text !== '' ? sms.text : content.text;
}

/** `Basic base64(user:password)`: the API key when set (revocable on its own), else the account and its auth token. */
export function twilioAuthorization(config: TwilioSmsConfig): string {
  const [user, password] = config.apiKeySid !== undefined ? [config.apiKeySid, config.apiKeySecret ?? ''] : [config.accountSid, config.authToken ?? ''];
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

export function twilioMessagesUrl(config: TwilioSmsConfig): URL {
  return buildProviderUrl(config.baseUrl ?? TWILIO_DEFAULT_BASE_URL, `2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`);
}

/**
 * Twilio answers errors with their HTTP status and `{"code","message","more_info","status"}`:
 * 20429 / 429 throttled, 408 / 5xx transient, any other code permanent (21610 unsubscribed,
 * 21211 invalid To, 21614 not a mobile, 20003 authentication, 21602-21604 missing Body/From/To).
 */
export function outcomeFromTwilioAnswer(response: HttpResponseSummary, nowMs: number): SendOutcome {
  const answer = parseJsonObject(response.body);
  if (isSuccessStatus(response.statusCode)) {
    return typeof answer?.sid === 'string' && answer.sid !== '' ? { kind: 'sent', providerMessageId: answer.sid } : unreadableResponseOutcome(response);
  }
  const twilioCode = typeof answer?.code === 'number' ? answer.code : undefined;
  if (twilioCode === undefined) return outcomeFromHttpStatus(response, nowMs);
  const code = `TWILIO_${twilioCode}`;
  const message = typeof answer?.message === 'string' ? `Twilio ${twilioCode}: ${answer.message}` : describeHttpResponse(response);
  const retryAfterMs = parseRetryAfterMs(response.headers['retry-after'], nowMs);
  if (twilioCode === TWILIO_TOO_MANY_REQUESTS || response.statusCode === 429) return { kind: 'rate_limited', code, message, retryAfterMs };
  if (response.statusCode === 408 || response.statusCode >= 500) return { kind: 'retry', code, message, retryAfterMs };
  return { kind: 'failed', code, message };
}

export const twilioSmsProvider: ProviderDefinition<TwilioSmsConfig> = {
  type: 'twilio-sms',
  channel: 'sms',
  target: 'address',
  configSchema: twilioSmsConfigSchema,
  secretFields: ['authToken', 'apiKeySecret'],
  // No default flow limit: Twilio queues what exceeds a sender's pace itself (up to 4 hours) instead of refusing it.

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? TWILIO_DEFAULT_BASE_URL, 'baseUrl');
    if ((config.apiKeySid === undefined) !== (config.apiKeySecret === undefined)) {
      throw invalid('TWILIO_API_KEY_INCOMPLETE', 'apiKeySid and apiKeySecret: set both, or neither to send with the auth token', { field: 'apiKeySecret' });
    }
    if (config.apiKeySid === undefined && config.authToken === undefined) {
      throw invalid('TWILIO_CREDENTIALS_MISSING', 'authToken: required unless apiKeySid and apiKeySecret are set', { field: 'authToken' });
    }
    if (config.from === undefined && config.messagingServiceSid === undefined) {
      throw invalid('TWILIO_SENDER_MISSING', 'from: set a sender number or a messagingServiceSid', { field: 'from' });
    }
  },

  createSender({ config, receiptUrl }) {
    const url = twilioMessagesUrl(config);
    const headers = { authorization: twilioAuthorization(config), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    // Without the auth token Herald could not verify the callbacks, so it does not ask for them.
    const statusCallback = config.authToken !== undefined ? receiptUrl : undefined;
    return {
      async send(request, context) {
        if (!request.address) return { kind: 'failed', code: 'ADDRESS_MISSING', message: 'A Twilio SMS needs the recipient phone number' };
        const form = new URLSearchParams({ To: request.address });
        // A Messaging Service picks the sender from its pool; Twilio prefers it when both are given.
        if (config.messagingServiceSid !== undefined) form.set('MessagingServiceSid', config.messagingServiceSid);
        else form.set('From', config.from ?? '');
        form.set('Body', twilioMessageBody(request.content));
        if (statusCallback !== undefined) form.set('StatusCallback', statusCallback);
        const { response, outcome } = await sendHttpRequest(url, { method: 'POST', headers, body: form.toString() }, context);
        if (outcome) return outcome;
        return outcomeFromTwilioAnswer(response, context.clock.now());
      },
    };
  },

  receipts: {
    parse: (request, config) => parseTwilioStatusCallback(request, config.authToken),
  },
};

import type * as webPushModule from 'web-push';
import { Type, type Static } from 'typebox';
import { invalid } from '../../errors.ts';
import { lazyRequire } from '../../lazy-require.ts';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import { isSuccessStatus, outcomeFromHttpStatus } from '../outcome-classification.ts';
import type { MessagePriority, ProviderDefinition, RenderedMessage, SendOutcome, SendRequest } from '../provider.ts';

/**
 * Web Push (RFC 8030 / 8291 / 8292): one POST per browser subscription, the payload encrypted
 * with aes128gcm for the subscription's keys and signed with the app's VAPID key. web-push
 * builds the request (`generateRequestDetails`); Herald sends it through its own guarded client,
 * since web-push's `sendNotification` only speaks HTTPS through its own agent.
 */

const webPush = lazyRequire<typeof webPushModule>('web-push');

export const webPushConfigSchema = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 254, description: 'VAPID contact the push services may reach you at: mailto:ops@example.com or an https: URL' }),
    ttlSeconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 2_419_200,
        description: 'Longest a push service keeps a notification for an offline browser (TTL). Default: until the delivery\'s max age, at most 4 weeks',
      }),
    ),
    baseUrl: Type.Optional(
      Type.String({
        minLength: 1,
        description: "Send every push to this origin (an egress gateway, a local push service) with the endpoint's path; the VAPID audience stays the endpoint's origin",
      }),
    ),
  },
  { additionalProperties: false },
);

export type WebPushConfig = Static<typeof webPushConfigSchema>;

/** RFC 8030 §5.2: a push service may refuse to keep a message longer; web-push's own default is 4 weeks. */
const MAX_TTL_SECONDS = 2_419_200;
/** RFC 8292 §2: the JWT must expire within 24 hours; web-push's default is 12. */
const VAPID_JWT_LIFETIME_SECONDS = 12 * 3600;
/**
 * RFC 8291 §4: push services accept 4096 bytes of body; aes128gcm spends 86 on its header,
 * 16 on the tag and 1 on the padding delimiter, which leaves this much for the JSON.
 */
export const MAX_WEB_PUSH_PAYLOAD_BYTES = 4096 - 86 - 16 - 1;

/** RFC 8030 §5.3 Urgency for each message priority. */
export const URGENCY_BY_PRIORITY: Record<MessagePriority, webPushModule.Urgency> = { urgent: 'high', high: 'high', normal: 'normal', low: 'low' };

/** What the service worker's `push` event reads with `event.data.json()`. */
export interface WebPushPayload {
  title: string;
  body: string;
  url?: string;
  data: { messageId: string; deliveryId: string; metadata: Record<string, string> };
}

export function webPushPayload(request: SendRequest, content: RenderedMessage): WebPushPayload {
  return {
    title: content.title,
    body: content.text,
    ...(content.url !== undefined ? { url: content.url } : {}),
    data: { messageId: request.messageId, deliveryId: request.deliveryId, metadata: request.metadata },
  };
}

/** The delivery's remaining life, capped by the account's `ttlSeconds` and 4 weeks: a notification Herald gave up on is not shown later. */
export function webPushTtlSeconds(config: WebPushConfig, request: SendRequest, nowMs: number): number {
  const remaining = request.expiresAtMs === undefined ? MAX_TTL_SECONDS : Math.max(0, Math.floor((request.expiresAtMs - nowMs) / 1000));
  return Math.min(remaining, config.ttlSeconds ?? MAX_TTL_SECONDS, MAX_TTL_SECONDS);
}

/** Where the request goes: the endpoint itself, or the configured gateway with the endpoint's path and query. */
function targetUrl(endpoint: URL, baseUrl: string | undefined): URL {
  if (baseUrl === undefined) return endpoint;
  const url = buildProviderUrl(baseUrl, endpoint.pathname);
  url.search = endpoint.search;
  return url;
}

/**
 * The push service's answer (RFC 8030 §5, §8): 404/410 the subscription is gone for good, so
 * Herald forgets it; 413 too large and 400/401/403 (bad headers, VAPID refused) are permanent;
 * 429 honours Retry-After; 5xx retries.
 */
function outcomeFromPushService(response: { statusCode: number; headers: Record<string, string | string[] | undefined>; body: string }, nowMs: number): SendOutcome {
  const { statusCode } = response;
  if (isSuccessStatus(statusCode)) {
    const location = response.headers.location;
    return { kind: 'sent', ...(typeof location === 'string' && location !== '' ? { providerMessageId: location } : {}) };
  }
  const generic = outcomeFromHttpStatus(response, nowMs);
  if (generic.kind === 'sent') return generic;
  const code = `WEBPUSH_${statusCode}`;
  if (statusCode === 404 || statusCode === 410) return { kind: 'failed', code, message: `The subscription is gone: ${generic.message}`, addressGone: true };
  return { ...generic, code };
}

export const webPushProvider: ProviderDefinition<WebPushConfig> = {
  type: 'webpush',
  channel: 'webpush',
  target: 'address',
  configSchema: webPushConfigSchema,
  // The VAPID private key is the app's, stored encrypted with the app; the account holds no secret.
  secretFields: [],

  validateConfig(config) {
    if (!/^(mailto:[^\s@]+@[^\s@]+|https:\/\/[^\s]+)$/.test(config.subject)) {
      throw invalid('VAPID_SUBJECT_INVALID', `subject: "${config.subject}" is neither a mailto: address nor an https: URL`, { field: 'subject' });
    }
    if (config.baseUrl !== undefined) parseOutboundUrl(config.baseUrl, 'baseUrl');
  },

  createSender({ config }) {
    return {
      async send(request, context) {
        const directory = context.webPush;
        if (!directory) return { kind: 'failed', code: 'WEBPUSH_UNAVAILABLE', message: 'This worker has no access to push subscriptions' };
        if (request.address === null) return { kind: 'failed', code: 'NO_ADDRESS', message: 'A Web Push delivery names a push subscription' };
        const subscription = await directory.subscription(request.appId, request.address);
        if (!subscription) return { kind: 'failed', code: 'PUSH_SUBSCRIPTION_NOT_FOUND', message: `Push subscription ${request.address} was deleted` };
        const vapid = await directory.vapidKeys(request.appId);

        const payload = JSON.stringify(webPushPayload(request, request.content));
        const payloadBytes = Buffer.byteLength(payload);
        if (payloadBytes > MAX_WEB_PUSH_PAYLOAD_BYTES) {
          return { kind: 'failed', code: 'WEBPUSH_PAYLOAD_TOO_LARGE', message: `The notification is ${payloadBytes} bytes of JSON; Web Push carries at most ${MAX_WEB_PUSH_PAYLOAD_BYTES}` };
        }
        const nowMs = context.clock.now();
        const endpoint = new URL(subscription.endpoint);
        const expiresAtSeconds = Math.floor(nowMs / 1000) + VAPID_JWT_LIFETIME_SECONDS;
        const { Authorization } = webPush().getVapidHeaders(endpoint.origin, config.subject, vapid.publicKey, vapid.privateKey, 'aes128gcm', expiresAtSeconds);
        const details = webPush().generateRequestDetails(subscription, payload, {
          TTL: webPushTtlSeconds(config, request, nowMs),
          urgency: URGENCY_BY_PRIORITY[request.priority ?? 'normal'],
          contentEncoding: 'aes128gcm',
          headers: { Authorization },
        });
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(details.headers)) {
          // The HTTP client counts the body itself.
          if (name.toLowerCase() !== 'content-length') headers[name] = String(value);
        }
        const { response, outcome } = await sendHttpRequest(targetUrl(endpoint, config.baseUrl), { method: 'POST', headers, body: details.body }, context);
        return outcome ?? outcomeFromPushService(response, context.clock.now());
      },
    };
  },
};

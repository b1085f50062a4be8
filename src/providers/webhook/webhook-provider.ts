import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { signWebhookRequest } from '../../security/webhook-signature.ts';
import { validateConfiguredHeaders } from '../configured-headers.ts';
import { sendHttpRequest } from '../outbound-http.ts';
import { isSuccessStatus, outcomeFromHttpStatus, parseJsonObject } from '../outcome-classification.ts';
import type { ProviderDefinition, SendOutcome } from '../provider.ts';

/** Generic webhook: POSTs the rendered message as JSON to any URL, signed when a secret is set. */

export const webhookConfigSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, description: 'http(s) endpoint that receives a JSON POST per delivery; its query values read back masked' }),
    secret: Type.Optional(
      Type.String({ minLength: 1, description: 'Signs each request: X-Herald-Timestamp and X-Herald-Signature: v1=<hex>' }),
    ),
    headers: Type.Optional(
      Type.Record(Type.String(), Type.String(), { description: 'Extra static request headers, e.g. an Authorization token; values read back masked' }),
    ),
    method: Type.Optional(Type.Literal('POST')),
  },
  { additionalProperties: false },
);

export type WebhookConfig = Static<typeof webhookConfigSchema>;

function providerMessageIdFrom(body: string): string | undefined {
  const id = parseJsonObject(body)?.id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

export const webhookProvider: ProviderDefinition<WebhookConfig> = {
  type: 'webhook',
  channel: 'webhook',
  target: 'account',
  configSchema: webhookConfigSchema,
  // Header values (an Authorization token) and query parameters (`?token=`) carry credentials too.
  secretFields: ['secret', 'headers', 'url'],
  secretMasks: { headers: 'values', url: 'query' },

  validateConfig(config) {
    parseOutboundUrl(config.url, 'url');
    // X-Herald-* carry the signature and the delivery id.
    validateConfiguredHeaders(config.headers ?? {}, { codePrefix: 'WEBHOOK', isReservedByProvider: (name) => name.startsWith('x-herald-') });
  },

  createSender({ config }) {
    const url = new URL(config.url);
    return {
      async send(request, context): Promise<SendOutcome> {
        const nowMs = context.clock.now();
        const { content } = request;
        const body = JSON.stringify({
          messageId: request.messageId,
          deliveryId: request.deliveryId,
          dedupKey: request.dedupKey,
          attempt: request.attempt,
          title: content.title,
          summary: content.summary,
          text: content.text,
          markdown: content.markdown,
          url: content.url,
          metadata: request.metadata,
          sentAt: new Date(nowMs).toISOString(),
        });
        const headers = {
          ...config.headers,
          'content-type': 'application/json',
          'x-herald-delivery-id': request.deliveryId,
          ...(config.secret === undefined ? {} : signWebhookRequest(config.secret, body, nowMs)),
        };
        const { response, outcome } = await sendHttpRequest(url, { method: 'POST', headers, body }, context);
        if (outcome) return outcome;
        if (!isSuccessStatus(response.statusCode)) return outcomeFromHttpStatus(response, context.clock.now());
        return { kind: 'sent', providerMessageId: providerMessageIdFrom(response.body) };
      },
    };
  },
};

import { createHash } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { DEFAULT_FEISHU_MESSAGE_TYPE, feishuCardOf, feishuPostOf, feishuTextOf, type FeishuMessageType } from '../feishu-message-content.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import type { ProviderContext, ProviderDefinition, RecallOutcome, RenderedMessage, SendOutcome, SentMessage } from '../provider.ts';
import { readFeishuAnswer, type FeishuAnswer, type FeishuFailure } from './feishu-open-api-answer.ts';
import { callWithTenantToken, type FeishuAppCredentials } from './feishu-tenant-token.ts';

/** Feishu / Lark app bot (应用机器人): one im/v1 message per recipient, sent with the app's tenant token. */

export const FEISHU_APP_DEFAULT_BASE_URL = 'https://open.feishu.cn';

export const feishuAppConfigSchema = Type.Object(
  {
    appId: Type.String({ minLength: 1, description: 'App ID of the self-built app (cli_...)' }),
    appSecret: Type.String({ minLength: 1, description: 'App Secret of the app' }),
    receiveIdType: Type.Optional(
      Type.Union([Type.Literal('open_id'), Type.Literal('user_id'), Type.Literal('union_id'), Type.Literal('email'), Type.Literal('chat_id')], {
        default: 'open_id',
        description: "What the recipients' addresses are: open_id (default), user_id, union_id, email or chat_id (a group)",
      }),
    ),
    messageType: Type.Optional(
      Type.Union([Type.Literal('interactive'), Type.Literal('post'), Type.Literal('text')], {
        default: DEFAULT_FEISHU_MESSAGE_TYPE,
        description: 'interactive (default: a card with the rendered card Markdown), post (rich text) or text',
      }),
    ),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${FEISHU_APP_DEFAULT_BASE_URL} (Lark: https://open.larksuite.com)` })),
  },
  { additionalProperties: false },
);

export type FeishuAppConfig = Static<typeof feishuAppConfigSchema>;

/** The default recall window a tenant admin can change; a shorter one makes Feishu answer 230009. */
const RECALL_WINDOW_SECONDS = 24 * 60 * 60;
const MAX_UUID_CHARS = 50;

/**
 * `uuid` deduplicates sends for an hour and takes at most 50 characters. Herald's dedup key
 * (the delivery id) is 30; a longer one is replaced by a stable digest rather than cut, so
 * two keys sharing a prefix never collide.
 */
export function feishuMessageUuid(dedupKey: string): string {
  return dedupKey.length <= MAX_UUID_CHARS ? dedupKey : createHash('sha256').update(dedupKey).digest('hex').slice(0, MAX_UUID_CHARS);
}

/** im/v1 `content` is a JSON string; a post goes without the `post` wrapper the custom bot needs. */
export function feishuAppMessageContent(messageType: FeishuMessageType, content: RenderedMessage): string {
  switch (messageType) {
    case 'text':
      return JSON.stringify(feishuTextOf(content));
    case 'post':
      return JSON.stringify(feishuPostOf(content));
    case 'interactive':
      return JSON.stringify(feishuCardOf(content));
  }
}

const jsonHeaders = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' });

async function openApiCall(
  url: URL,
  request: { method: 'POST' | 'DELETE'; body?: string },
  token: string,
  context: ProviderContext,
): Promise<FeishuAnswer> {
  const { response, outcome } = await sendHttpRequest(url, { ...request, headers: jsonHeaders(token) }, context);
  if (outcome) return { ok: false, outcome: outcome as FeishuFailure, tokenRejected: false };
  return readFeishuAnswer(response, context.clock.now());
}

function toRecallOutcome(outcome: FeishuFailure): RecallOutcome {
  if (outcome.kind === 'failed') return outcome;
  // Throttled or transient: the recall itself is worth another try, after the platform's hint.
  return { kind: 'retry', code: outcome.code, message: outcome.message, retryAfterMs: outcome.retryAfterMs };
}

export const feishuAppProvider: ProviderDefinition<FeishuAppConfig> = {
  type: 'feishu-app',
  channel: 'feishu',
  target: 'address',
  configSchema: feishuAppConfigSchema,
  secretFields: ['appSecret'],
  // Per app and tenant; either window trips 99991400.
  defaultFlowLimits: [
    { count: 50, perSeconds: 1 },
    { count: 1000, perSeconds: 60 },
  ],
  recallWindowSeconds: RECALL_WINDOW_SECONDS,

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? FEISHU_APP_DEFAULT_BASE_URL, 'baseUrl');
  },

  createSender({ config }) {
    const credentials: FeishuAppCredentials = { appId: config.appId, appSecret: config.appSecret, baseUrl: config.baseUrl ?? FEISHU_APP_DEFAULT_BASE_URL };
    const messageType = config.messageType ?? DEFAULT_FEISHU_MESSAGE_TYPE;
    const sendUrl = buildProviderUrl(credentials.baseUrl, 'open-apis/im/v1/messages', { receive_id_type: config.receiveIdType ?? 'open_id' });

    return {
      async send(request, context): Promise<SendOutcome> {
        if (request.address === null) return { kind: 'failed', code: 'INVALID_ADDRESS', message: 'feishu-app sends to a recipient address' };
        const body = JSON.stringify({
          receive_id: request.address,
          msg_type: messageType,
          content: feishuAppMessageContent(messageType, request.content),
          uuid: feishuMessageUuid(request.dedupKey),
        });
        const answer = await callWithTenantToken(credentials, context, (token) => openApiCall(sendUrl, { method: 'POST', body }, token, context));
        if (!answer.ok) return answer.outcome;
        const data = answer.body.data as { message_id?: unknown } | undefined;
        return typeof data?.message_id === 'string' ? { kind: 'sent', providerMessageId: data.message_id } : { kind: 'sent' };
      },

      async recall(sent: SentMessage, context): Promise<RecallOutcome> {
        if (context.clock.now() - sent.sentAtMs > RECALL_WINDOW_SECONDS * 1000) {
          return { kind: 'failed', code: 'RECALL_WINDOW_PASSED', message: `Feishu recalls messages within ${RECALL_WINDOW_SECONDS / 3600} hours of sending` };
        }
        const url = buildProviderUrl(credentials.baseUrl, `open-apis/im/v1/messages/${encodeURIComponent(sent.providerMessageId)}`);
        const answer = await callWithTenantToken(credentials, context, (token) => openApiCall(url, { method: 'DELETE' }, token, context));
        // 230012 not the sender, 230009 past the tenant's window, 230026 no permission: all final.
        return answer.ok ? { kind: 'recalled' } : toRecallOutcome(answer.outcome);
      },
    };
  },
};

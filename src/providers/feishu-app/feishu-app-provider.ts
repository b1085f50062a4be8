import { createHash } from 'node:crypto';
import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import {
  DEFAULT_FEISHU_MESSAGE_TYPE,
  FEISHU_DEFAULT_BASE_URL,
  feishuCardOf,
  feishuMentionsOf,
  feishuObjectMessage,
  feishuPostOf,
  feishuTextOf,
  type FeishuMentions,
  type FeishuMessageType,
} from '../feishu-message-content.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import type { ProviderContext, ProviderDefinition, RecallOutcome, RenderedMessage, SendOutcome, SendRequest, SentMessage } from '../provider.ts';
import { readFeishuAnswer, type FeishuAnswer, type FeishuFailure } from './feishu-open-api-answer.ts';
import { callWithTenantToken, type FeishuAppCredentials } from './feishu-tenant-token.ts';

/** Feishu / Lark app bot (应用机器人): one im/v1 message per recipient, sent with the app's tenant token. */

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
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${FEISHU_DEFAULT_BASE_URL} (Lark: https://open.larksuite.com)` })),
  },
  { additionalProperties: false },
);

export type FeishuAppConfig = Static<typeof feishuAppConfigSchema>;

/** The default recall window a tenant admin can change; a shorter one makes Feishu answer 230009. */
const RECALL_WINDOW_SECONDS = 24 * 60 * 60;
const MAX_UUID_CHARS = 50;
/** v4 batch_send: at most 200 ids per list (providers.md: documented for departments, the same for users). */
const MAX_BATCH_RECIPIENTS = 200;
/** batch_send's lists by receive_id_type; email and chat_id have none, so those accounts send one im/v1 call per recipient. */
const BATCH_ID_LISTS: Partial<Record<NonNullable<FeishuAppConfig['receiveIdType']>, string>> = {
  open_id: 'open_ids',
  user_id: 'user_ids',
  union_id: 'union_ids',
};
/** batch_send's message ids; such messages are recalled through batch_messages, not messages. */
const BATCH_MESSAGE_ID_PREFIX = 'bm-';

const missingAddress: SendOutcome = { kind: 'failed', code: 'INVALID_ADDRESS', message: 'feishu-app sends to a recipient address' };

/**
 * `uuid` deduplicates sends for an hour and takes at most 50 characters. Herald's dedup key
 * (the delivery id) is 30; a longer one is replaced by a stable digest rather than cut, so
 * two keys sharing a prefix never collide.
 */
export function feishuMessageUuid(dedupKey: string): string {
  return dedupKey.length <= MAX_UUID_CHARS ? dedupKey : createHash('sha256').update(dedupKey).digest('hex').slice(0, MAX_UUID_CHARS);
}

/** im/v1 `content` is a JSON string; a post goes without the `post` wrapper the custom bot needs. */
export function feishuAppMessageContent(messageType: FeishuMessageType, content: RenderedMessage, mentions?: FeishuMentions): string {
  switch (messageType) {
    case 'text':
      return JSON.stringify(feishuTextOf(content, mentions));
    case 'post':
      return JSON.stringify(feishuPostOf(content, mentions));
    case 'interactive':
      return JSON.stringify(feishuCardOf(content, mentions));
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
  maxRecipientsPerCall: MAX_BATCH_RECIPIENTS,

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? FEISHU_DEFAULT_BASE_URL, 'baseUrl');
  },

  createSender({ config }) {
    const credentials: FeishuAppCredentials = { appId: config.appId, appSecret: config.appSecret, baseUrl: config.baseUrl ?? FEISHU_DEFAULT_BASE_URL };
    const messageType = config.messageType ?? DEFAULT_FEISHU_MESSAGE_TYPE;
    const receiveIdType = config.receiveIdType ?? 'open_id';
    const batchIdList = BATCH_ID_LISTS[receiveIdType];
    const sendUrl = buildProviderUrl(credentials.baseUrl, 'open-apis/im/v1/messages', { receive_id_type: receiveIdType });
    const batchUrl = buildProviderUrl(credentials.baseUrl, 'open-apis/message/v4/batch_send/');

    async function send(request: SendRequest, context: ProviderContext): Promise<SendOutcome> {
      if (request.address === null) return missingAddress;
      const body = JSON.stringify({
        receive_id: request.address,
        msg_type: messageType,
        // Mentions mean something in a group only.
        content: feishuAppMessageContent(messageType, request.content, receiveIdType === 'chat_id' ? feishuMentionsOf(request.content) : undefined),
        uuid: feishuMessageUuid(request.dedupKey),
      });
      const answer = await callWithTenantToken(credentials, context, (token) => openApiCall(sendUrl, { method: 'POST', body }, token, context));
      if (!answer.ok) return answer.outcome;
      const data = answer.body.data as { message_id?: unknown } | undefined;
      return typeof data?.message_id === 'string' ? { kind: 'sent', providerMessageId: data.message_id } : { kind: 'sent' };
    }

    /** One im/v1 call per recipient, in order; after a rate limit the rest wait with it instead of adding to it. */
    async function sendEach(requests: readonly SendRequest[], context: ProviderContext): Promise<SendOutcome[]> {
      const outcomes: SendOutcome[] = [];
      for (const request of requests) {
        const throttled = outcomes.find((outcome) => outcome.kind === 'rate_limited');
        outcomes.push(throttled ?? (await send(request, context)));
      }
      return outcomes;
    }

    /**
     * v4 batch_send: one call for the whole list, content as an object. Ids Feishu lists as
     * invalid fail alone; the others share the batch's `bm-` id. It has no uuid: a batch
     * retried after a lost answer can reach its recipients twice.
     */
    async function sendAsBatch(requests: readonly SendRequest[], listField: string, context: ProviderContext): Promise<SendOutcome[]> {
      const addresses = [...new Set(requests.flatMap((request) => (request.address === null ? [] : [request.address])))];
      if (addresses.length === 0) return requests.map(() => missingAddress);
      const body = JSON.stringify({ ...feishuObjectMessage(messageType, requests[0].content), [listField]: addresses });
      const answer = await callWithTenantToken(credentials, context, (token) => openApiCall(batchUrl, { method: 'POST', body }, token, context));
      if (!answer.ok) return requests.map((request) => (request.address === null ? missingAddress : answer.outcome));
      const data = (answer.body.data ?? {}) as Record<string, unknown>;
      const invalidList = data[`invalid_${listField}`];
      const invalid = new Set(Array.isArray(invalidList) ? invalidList.filter((id) => typeof id === 'string') : []);
      const sent: SendOutcome = typeof data.message_id === 'string' ? { kind: 'sent', providerMessageId: data.message_id } : { kind: 'sent' };
      return requests.map((request): SendOutcome => {
        if (request.address === null) return missingAddress;
        if (!invalid.has(request.address)) return sent;
        return { kind: 'failed', code: 'FEISHU_INVALID_RECEIVE_ID', message: `Feishu batch_send listed ${request.address} in invalid_${listField}` };
      });
    }

    return {
      send,

      sendBatch(requests, context) {
        // A single recipient keeps im/v1 and its uuid deduplication.
        if (batchIdList === undefined || requests.length < 2) return sendEach(requests, context);
        return sendAsBatch(requests, batchIdList, context);
      },

      async recall(sent: SentMessage, context): Promise<RecallOutcome> {
        if (context.clock.now() - sent.sentAtMs > RECALL_WINDOW_SECONDS * 1000) {
          return { kind: 'failed', code: 'RECALL_WINDOW_PASSED', message: `Feishu recalls messages within ${RECALL_WINDOW_SECONDS / 3600} hours of sending` };
        }
        const id = sent.providerMessageId;
        const path = id.startsWith(BATCH_MESSAGE_ID_PREFIX) ? 'open-apis/im/v1/batch_messages' : 'open-apis/im/v1/messages';
        const url = buildProviderUrl(credentials.baseUrl, `${path}/${encodeURIComponent(id)}`);
        const answer = await callWithTenantToken(credentials, context, (token) => openApiCall(url, { method: 'DELETE' }, token, context));
        // 230012 not the sender, 230009 past the tenant's window, 230026 no permission, 230030 unknown batch: all final.
        return answer.ok ? { kind: 'recalled' } : toRecallOutcome(answer.outcome);
      },
    };
  },
};

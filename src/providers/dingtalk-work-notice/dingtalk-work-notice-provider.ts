import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { DINGTALK_DEFAULT_BASE_URL } from '../dingtalk-robot/dingtalk-robot-provider.ts';
import type {
  ProviderContext,
  ProviderDefinition,
  RecallOutcome,
  RecipientResult,
  RenderedMessage,
  ResultsOutcome,
  SendOutcome,
  SendRequest,
} from '../provider.ts';
import type { CallFailure } from '../access-token-call.ts';
import { callDingtalkApp, type DingtalkAppCredentials } from './dingtalk-app-api.ts';

/**
 * DingTalk work notice (工作通知): a corp app's message to users by their DingTalk user id,
 * sent asynchronously (asyncsend_v2 answers a task id). Over a platform limit the send still
 * answers errcode 0 and the user silently gets nothing, so the results are read afterwards
 * with getsendresult (see `fetchResults`).
 */

export const dingtalkWorkNoticeConfigSchema = Type.Object(
  {
    appKey: Type.String({ minLength: 1, description: 'AppKey of the corp internal app' }),
    appSecret: Type.String({ minLength: 1, description: 'AppSecret of the corp internal app' }),
    agentId: Type.Integer({ minimum: 1, description: 'AgentId of the app (the notices come from it)' }),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${DINGTALK_DEFAULT_BASE_URL}` })),
    messageType: Type.Optional(
      Type.Union([Type.Literal('markdown'), Type.Literal('text'), Type.Literal('action_card')], {
        default: 'markdown',
        description: 'markdown (default), text, or action_card (a card whose button opens the message url; markdown when there is no url)',
      }),
    ),
  },
  { additionalProperties: false },
);

export type DingtalkWorkNoticeConfig = Static<typeof dingtalkWorkNoticeConfigSchema>;

/**
 * The platform takes up to 5,000 user ids per call, but getsendresult may answer "Call
 * timeout" for tasks with more than 100 recipients, and results are why this provider reads
 * back at all: 100 per call keeps every task's results readable.
 */
export const DINGTALK_WORK_NOTICE_MAX_RECIPIENTS = 100;

/** The card's button text; the platform requires one for a single-button action card. */
const ACTION_CARD_BUTTON_TITLE = '查看详情';

const DINGTALK_PATHS = {
  send: 'topapi/message/corpconversation/asyncsend_v2',
  recall: 'topapi/message/corpconversation/recall',
  results: 'topapi/message/corpconversation/getsendresult',
};

export function dingtalkWorkNoticeMessage(messageType: DingtalkWorkNoticeConfig['messageType'], content: RenderedMessage): Record<string, unknown> {
  if (messageType === 'text') return { msgtype: 'text', text: { content: content.text } };
  if (messageType === 'action_card' && content.url) {
    return {
      msgtype: 'action_card',
      action_card: { title: content.title, markdown: content.markdown, single_title: ACTION_CARD_BUTTON_TITLE, single_url: content.url },
    };
  }
  return { msgtype: 'markdown', markdown: { title: content.title, text: content.markdown } };
}

/** Send, recall and result errors besides -1 and 40014 (handled in dingtalk-app-api.ts) are permanent per providers.md. */
const permanent = (_errcode: number, code: string, message: string): CallFailure => ({ kind: 'failed', code, message });

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** Stable codes for the user lists of getsendresult that carry no code of their own. */
const LISTED_FAILURES = [
  ['invalid_user_id_list', 'DINGTALK_INVALID_USER', 'not a user of this organisation, or the id is wrong'],
  ['forbidden_user_id_list', 'DINGTALK_FORBIDDEN_USER', 'the platform refused to deliver to this user (a send limit)'],
  ['failed_user_id_list', 'DINGTALK_FAILED_USER', 'the platform failed to deliver to this user'],
] as const;

/** What forbidden_list codes mean (providers.md); others keep DingTalk's code with a generic text. */
const FORBIDDEN_REASONS: Readonly<Record<string, string>> = {
  '143103': 'over the per-minute recipient limit of the app',
  '143104': 'over the per-minute recipient limit of the app',
  '143105': 'over the daily notice limit for this user',
  '143106': 'the same content already reached this user today',
  '143203': 'over the per-minute recipient limit (ISV app)',
  '143204': 'over the per-minute recipient limit (ISV app)',
  '143205': 'over the daily notice limit for this user (ISV app)',
  '143206': 'the same content already reached this user today (ISV app)',
};

/**
 * getsendresult's `send_result` per user: unread → delivered, read → read, the failure lists
 * and `forbidden_list` → failed (a forbidden_list code wins over the bare forbidden list, as it
 * says why). Users in no list are still being processed: pending.
 */
export function recipientResultsOf(sendResult: Record<string, unknown>, addresses: readonly string[]): Record<string, RecipientResult> {
  const byAddress: Record<string, RecipientResult> = {};
  const wanted = new Set(addresses);
  const set = (userId: string, result: RecipientResult) => {
    if (wanted.has(userId)) byAddress[userId] = result;
  };
  for (const userId of stringList(sendResult.unread_user_id_list)) set(userId, { status: 'delivered' });
  for (const userId of stringList(sendResult.read_user_id_list)) set(userId, { status: 'read' });
  for (const [list, code, reason] of LISTED_FAILURES) {
    for (const userId of stringList(sendResult[list])) set(userId, { status: 'undelivered', code, message: `DingTalk ${list}: ${reason}` });
  }
  const forbidden = Array.isArray(sendResult.forbidden_list) ? (sendResult.forbidden_list as unknown[]) : [];
  for (const entry of forbidden) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { code, userid } = entry as { code?: unknown; userid?: unknown };
    if (typeof userid !== 'string' || (typeof code !== 'string' && typeof code !== 'number')) continue;
    const reason = FORBIDDEN_REASONS[String(code)] ?? 'the platform refused to deliver to this user';
    set(userid, { status: 'undelivered', code: `DINGTALK_${code}`, message: `DingTalk forbidden ${code}: ${reason}` });
  }
  for (const address of addresses) byAddress[address] ??= { status: 'pending' };
  return byAddress;
}

export const dingtalkWorkNoticeProvider: ProviderDefinition<DingtalkWorkNoticeConfig> = {
  type: 'dingtalk-work-notice',
  channel: 'dingtalk',
  target: 'address',
  configSchema: dingtalkWorkNoticeConfigSchema,
  secretFields: ['appSecret'],
  // Recipients per minute for the app; the flow limiter counts deliveries, which are recipients here.
  defaultFlowLimits: [{ count: 5000, perSeconds: 60 }],
  maxRecipientsPerCall: DINGTALK_WORK_NOTICE_MAX_RECIPIENTS,
  recallWindowSeconds: 86_400,
  // The first read after 10 s finds most users processed; getsendresult only knows tasks of the last 24 h.
  results: { firstCheckAfterSeconds: 10, windowSeconds: 86_400 },

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? DINGTALK_DEFAULT_BASE_URL, 'baseUrl');
  },

  createSender({ config }) {
    const credentials: DingtalkAppCredentials = {
      appKey: config.appKey,
      appSecret: config.appSecret,
      baseUrl: config.baseUrl ?? DINGTALK_DEFAULT_BASE_URL,
    };

    async function sendTo(requests: readonly SendRequest[], context: ProviderContext): Promise<SendOutcome> {
      const userIds = requests.map((request) => request.address);
      if (userIds.some((userId) => !userId)) return { kind: 'failed', code: 'ADDRESS_MISSING', message: 'A DingTalk work notice needs a DingTalk user id' };
      const answer = await callDingtalkApp(
        credentials,
        DINGTALK_PATHS.send,
        { agent_id: config.agentId, userid_list: userIds.join(','), msg: dingtalkWorkNoticeMessage(config.messageType, requests[0]!.content) },
        context,
        permanent,
      );
      if (!answer.ok) return answer.outcome;
      const taskId = answer.body.task_id;
      // The task id is what recall and getsendresult need; a success without one cannot be followed up.
      if (typeof taskId !== 'number' && typeof taskId !== 'string') return { kind: 'retry', code: 'INVALID_RESPONSE', message: 'asyncsend_v2 answered without a task_id' };
      return { kind: 'sent', providerMessageId: String(taskId) };
    }

    return {
      send: (request, context) => sendTo([request], context),

      async sendBatch(requests, context) {
        if (requests.length === 0) return [];
        // One call, one task: the platform answers for the whole list, per-user results come later.
        const outcome = await sendTo(requests, context);
        return requests.map(() => outcome);
      },

      async recall(sent, context): Promise<RecallOutcome> {
        const answer = await callDingtalkApp(credentials, DINGTALK_PATHS.recall, { agent_id: config.agentId, msg_task_id: Number(sent.providerMessageId) }, context, permanent);
        if (answer.ok) return { kind: 'recalled' };
        return answer.outcome.kind === 'failed' ? answer.outcome : { ...answer.outcome, kind: 'retry' };
      },

      async fetchResults(sent, context): Promise<ResultsOutcome> {
        const answer = await callDingtalkApp(credentials, DINGTALK_PATHS.results, { agent_id: config.agentId, task_id: Number(sent.providerMessageId) }, context, permanent);
        if (!answer.ok) return answer.outcome.kind === 'failed' ? answer.outcome : { ...answer.outcome, kind: 'retry' };
        const sendResult = answer.body.send_result;
        if (typeof sendResult !== 'object' || sendResult === null) return { kind: 'retry', code: 'INVALID_RESPONSE', message: 'getsendresult answered without send_result' };
        return { kind: 'results', byAddress: recipientResultsOf(sendResult as Record<string, unknown>, sent.addresses) };
      },
    };
  },
};

import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { buildProviderUrl, sendHttpRequest } from '../outbound-http.ts';
import { describeHttpResponse, isSuccessStatus, outcomeFromHttpStatus, parseJsonObject, unreadableResponseOutcome } from '../outcome-classification.ts';
import { redactPathSecret } from '../path-secret-redaction.ts';
import type { ProviderContext, ProviderDefinition, RecallOutcome, SendOutcome } from '../provider.ts';

/**
 * Telegram Bot API: one `sendMessage` per chat (a user, group or channel the bot is in),
 * the body in MarkdownV2 as the telegram formatter renders it. The bot token is part of
 * the URL path, so it is kept out of every outcome message.
 */

export const TELEGRAM_DEFAULT_BASE_URL = 'https://api.telegram.org';

export const telegramBotConfigSchema = Type.Object(
  {
    botToken: Type.String({ pattern: '^\\d{1,20}:[A-Za-z0-9_-]{20,100}$', description: 'The token @BotFather gave the bot (123456:ABC-DEF...)' }),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${TELEGRAM_DEFAULT_BASE_URL} (or a local Bot API server)` })),
    disableLinkPreview: Type.Optional(Type.Boolean({ default: false, description: 'Send without a preview of the first link' })),
    disableNotification: Type.Optional(Type.Boolean({ default: false, description: 'Deliver silently: recipients get no sound' })),
  },
  { additionalProperties: false },
);

export type TelegramBotConfig = Static<typeof telegramBotConfigSchema>;

/** Bots may delete their own messages for 48 hours (Bot API deleteMessage); later Telegram refuses. */
const RECALL_WINDOW_SECONDS = 48 * 60 * 60;

/** `{base}/bot<token>/<method>`: the token is a path segment, as the Bot API documents. */
export function telegramMethodUrl(config: TelegramBotConfig, method: string): URL {
  return buildProviderUrl(config.baseUrl ?? TELEGRAM_DEFAULT_BASE_URL, `bot${config.botToken}/${method}`);
}

export function telegramSendMessageBody(config: TelegramBotConfig, chatId: string, markdownV2: string): Record<string, unknown> {
  return {
    chat_id: chatId,
    text: markdownV2,
    parse_mode: 'MarkdownV2',
    ...(config.disableLinkPreview ? { link_preview_options: { is_disabled: true } } : {}),
    ...(config.disableNotification ? { disable_notification: true } : {}),
  };
}

/** `<chat id>:<message id>`: deleteMessage needs both, and a `@channel` address is stored as the numeric id Telegram answered. */
const providerMessageIdOf = (chatId: string, messageId: number) => `${chatId}:${messageId}`;

function parseProviderMessageId(providerMessageId: string): { chatId: string; messageId: number } | undefined {
  const match = /^(-?\d+|@\w+):(\d+)$/.exec(providerMessageId);
  return match ? { chatId: match[1], messageId: Number(match[2]) } : undefined;
}

type TelegramAnswer = { ok: true; result: unknown } | { ok: false; outcome: Exclude<SendOutcome, { kind: 'sent' }> };

/**
 * Classifies a Bot API answer: `{"ok":true,"result":..}`, or `{"ok":false,"error_code":N,"description":..}`
 * where N follows HTTP: 429 with `parameters.retry_after` seconds is a throttle; 5xx is
 * transient; 400 (chat not found, can't parse entities, message too long), 401 (bad
 * token), 403 (bot blocked or kicked) and 404 are permanent.
 */
async function callTelegram(url: URL, body: Record<string, unknown>, context: ProviderContext): Promise<TelegramAnswer> {
  const headers = { 'content-type': 'application/json' };
  const { response, outcome } = await sendHttpRequest(url, { method: 'POST', headers, body: JSON.stringify(body) }, context);
  if (outcome) return { ok: false, outcome: outcome as Exclude<SendOutcome, { kind: 'sent' }> };
  const answer = parseJsonObject(response.body);
  if (answer?.ok === true && isSuccessStatus(response.statusCode)) return { ok: true, result: answer.result };
  if (answer?.ok !== false || typeof answer.error_code !== 'number') {
    const fallback = isSuccessStatus(response.statusCode) ? unreadableResponseOutcome(response) : outcomeFromHttpStatus(response, context.clock.now());
    return { ok: false, outcome: fallback as Exclude<SendOutcome, { kind: 'sent' }> };
  }
  const errorCode = answer.error_code;
  const code = `TELEGRAM_${errorCode}`;
  const description = typeof answer.description === 'string' ? answer.description : describeHttpResponse(response);
  const message = `Telegram ${errorCode}: ${description}`;
  const parameters = (answer.parameters ?? {}) as { retry_after?: unknown; migrate_to_chat_id?: unknown };
  if (errorCode === 429) {
    const retryAfterSeconds = typeof parameters.retry_after === 'number' && parameters.retry_after >= 0 ? parameters.retry_after : undefined;
    return { ok: false, outcome: { kind: 'rate_limited', code, message, retryAfterMs: retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000 } };
  }
  if (errorCode >= 500) return { ok: false, outcome: { kind: 'retry', code, message } };
  // A group upgraded to a supergroup has a new id: the address must change, so it is permanent, but say where it went.
  const migrated = typeof parameters.migrate_to_chat_id === 'number' ? ` (the group is now the supergroup ${parameters.migrate_to_chat_id}: update the address)` : '';
  return { ok: false, outcome: { kind: 'failed', code, message: message + migrated } };
}

function recallOutcomeOf(outcome: Exclude<SendOutcome, { kind: 'sent' }>, sentAtMs: number, nowMs: number): RecallOutcome {
  if (outcome.kind === 'failed') {
    const late = nowMs - sentAtMs > RECALL_WINDOW_SECONDS * 1000;
    return { ...outcome, message: late ? `${outcome.message} (bots can delete their messages only in the first 48 hours)` : outcome.message };
  }
  return { kind: 'retry', code: outcome.code, message: outcome.message, retryAfterMs: outcome.retryAfterMs };
}

export const telegramBotProvider: ProviderDefinition<TelegramBotConfig> = {
  type: 'telegram-bot',
  channel: 'telegram',
  target: 'address',
  configSchema: telegramBotConfigSchema,
  secretFields: ['botToken'],
  // About 30 messages a second per bot (unverified). The per-chat pace (~1 a second, 20 a
  // minute in a group) cannot be expressed by an account-wide limit: Telegram answers 429
  // with retry_after when a chat is sent to faster, and the worker reschedules.
  defaultFlowLimits: [{ count: 30, perSeconds: 1 }],
  recallWindowSeconds: RECALL_WINDOW_SECONDS,

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? TELEGRAM_DEFAULT_BASE_URL, 'baseUrl');
  },

  createSender({ config }) {
    return {
      async send(request, context) {
        if (!request.address) return { kind: 'failed', code: 'ADDRESS_MISSING', message: 'telegram-bot sends to a chat id (telegramChatId)' };
        const body = telegramSendMessageBody(config, request.address, request.content.markdown);
        const answer = await callTelegram(telegramMethodUrl(config, 'sendMessage'), body, context);
        if (!answer.ok) return redactPathSecret(answer.outcome, config.botToken);
        const message = (answer.result ?? {}) as { message_id?: unknown; chat?: { id?: unknown } };
        // ok:true means Telegram took the message: never resend it for want of an id.
        if (typeof message.message_id !== 'number') return { kind: 'sent' };
        const chatId = typeof message.chat?.id === 'number' ? String(message.chat.id) : request.address;
        return { kind: 'sent', providerMessageId: providerMessageIdOf(chatId, message.message_id) };
      },

      async recall(sent, context) {
        const ids = parseProviderMessageId(sent.providerMessageId);
        if (!ids) return { kind: 'failed', code: 'INVALID_MESSAGE_ID', message: `"${sent.providerMessageId}" is not a Telegram <chat id>:<message id>` };
        const answer = await callTelegram(telegramMethodUrl(config, 'deleteMessage'), { chat_id: ids.chatId, message_id: ids.messageId }, context);
        if (!answer.ok) return redactPathSecret(recallOutcomeOf(answer.outcome, sent.sentAtMs, context.clock.now()), config.botToken);
        return { kind: 'recalled' };
      },
    };
  },
};

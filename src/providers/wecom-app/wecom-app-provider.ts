import { Type, type Static } from 'typebox';
import { parseOutboundUrl } from '../../security/ssrf-guard.ts';
import { TokenFetchError } from '../access-token-call.ts';
import { callErrcodeApi, callErrcodeApiWithToken, JSON_HEADERS, type ErrcodeApiResult } from '../errcode-api-call.ts';
import { buildProviderUrl } from '../outbound-http.ts';
import type { ProviderContext, ProviderDefinition, RecallOutcome, RenderedMessage, SendOutcome, SendRequest } from '../provider.ts';
import { wecomExtrasOf } from '../wecom-message-extras.ts';
import { outcomeFromWecomErrcode, utf8Prefix, WECOM_DEFAULT_BASE_URL } from '../wecom-platform.ts';

/**
 * WeCom application message (企业微信应用消息): an access token per (corp, app) from the
 * shared token cache, then `message/send` to users, departments or tags, up to 1,000 users
 * per call; the returned msgid recalls the message within 24 hours.
 */

export const wecomAppConfigSchema = Type.Object(
  {
    corpId: Type.String({ minLength: 1, maxLength: 64, description: 'The corp id (企业ID, ww...)' }),
    corpSecret: Type.String({ minLength: 1, description: "The application's Secret" }),
    agentId: Type.Integer({ minimum: 1, description: "The application's AgentId" }),
    baseUrl: Type.Optional(Type.String({ minLength: 1, description: `Default ${WECOM_DEFAULT_BASE_URL}` })),
    messageType: Type.Optional(
      Type.Union([Type.Literal('markdown'), Type.Literal('text'), Type.Literal('textcard'), Type.Literal('template_card')], {
        default: 'markdown',
        description:
          'What to send when the template gives no WeCom card: textcard and template_card (text_notice) are built from the title, summary and url, or markdown without a url',
      }),
    ),
  },
  { additionalProperties: false },
);

export type WecomAppConfig = Static<typeof wecomAppConfigSchema>;

export const WECOM_APP_MAX_USERS_PER_CALL = 1_000;
const RECALL_WINDOW_SECONDS = 24 * 60 * 60;
/** Bad or expired token: drop it and try once more with a fresh one. 40001 is listed too (WeChat family: invalid credential). */
const TOKEN_ERRCODES = new Set([40001, 40014, 42001]);
const TOKEN_LIFETIME_SECONDS = 7_200;
/** textcard limits (WeCom docs): title ≤ 128 bytes, description ≤ 512 bytes, button text ≤ 4 characters. */
const TEXTCARD_TITLE_MAX_BYTES = 128;
const TEXTCARD_DESCRIPTION_MAX_BYTES = 512;
const TEXTCARD_BUTTON_MAX_CHARACTERS = 4;
const TEXT_MAX_BYTES = 2_048;
const MARKDOWN_MAX_BYTES = 4_096;

/** Where an address goes: `party:<id>` a department, `tag:<id>` a tag, `@all` everyone, anything else a user id. */
export type WecomRecipient = { list: 'touser' | 'toparty' | 'totag'; id: string };

export function wecomRecipientOf(address: string): WecomRecipient {
  if (address.startsWith('party:') && address.length > 'party:'.length) return { list: 'toparty', id: address.slice('party:'.length) };
  if (address.startsWith('tag:') && address.length > 'tag:'.length) return { list: 'totag', id: address.slice('tag:'.length) };
  return { list: 'touser', id: address };
}

/** `{ touser: "u1|u2", toparty: "1", totag: "2" }` for the given addresses; lists without recipients are left out. */
export function wecomRecipientFields(addresses: readonly string[]): Partial<Record<WecomRecipient['list'], string>> {
  const lists: Record<WecomRecipient['list'], Set<string>> = { touser: new Set(), toparty: new Set(), totag: new Set() };
  for (const address of addresses) {
    const { list, id } = wecomRecipientOf(address);
    lists[list].add(id);
  }
  // WeCom ignores the other users when touser holds @all.
  if (lists.touser.has('@all')) lists.touser = new Set(['@all']);
  return Object.fromEntries(Object.entries(lists).filter(([, ids]) => ids.size > 0).map(([list, ids]) => [list, [...ids].join('|')]));
}

/** The msgtype part of the body: the template's card first, else the account's messageType. */
export function wecomAppMessagePart(config: WecomAppConfig, content: RenderedMessage): Record<string, unknown> {
  const extras = wecomExtrasOf(content);
  const messageType = config.messageType ?? 'markdown';
  const card = extras.templateCard ?? (messageType === 'template_card' && content.url ? { title: content.title, description: content.summary, url: content.url } : undefined);
  if (card) {
    return {
      msgtype: 'template_card',
      template_card: {
        card_type: 'text_notice',
        main_title: { title: card.title, desc: card.description },
        sub_title_text: 'subTitle' in card ? card.subTitle : undefined,
        card_action: { type: 1, url: card.url },
      },
    };
  }
  const textcard =
    extras.textcard ??
    (messageType === 'textcard' && content.url ? { title: content.title, description: content.summary ?? content.text, url: content.url } : undefined);
  if (textcard) {
    return {
      msgtype: 'textcard',
      textcard: {
        title: utf8Prefix(textcard.title, TEXTCARD_TITLE_MAX_BYTES),
        description: utf8Prefix(textcard.description, TEXTCARD_DESCRIPTION_MAX_BYTES),
        url: textcard.url,
        btntxt: 'btnText' in textcard && textcard.btnText ? [...textcard.btnText].slice(0, TEXTCARD_BUTTON_MAX_CHARACTERS).join('') : undefined,
      },
    };
  }
  if (messageType === 'text') return { msgtype: 'text', text: { content: utf8Prefix(content.text, TEXT_MAX_BYTES) } };
  return { msgtype: 'markdown', markdown: { content: utf8Prefix(content.markdown, MARKDOWN_MAX_BYTES) } };
}

/** `invaliduser` and its siblings: the recipients WeCom accepted the call for but will not reach. */
const PARTIAL_FAILURES = [
  { field: 'invaliduser', list: 'touser', code: 'WECOM_INVALID_USER', what: 'not a member of the corp or outside the app\'s visible range' },
  { field: 'unlicenseduser', list: 'touser', code: 'WECOM_UNLICENSED_USER', what: 'has no WeCom license for this app' },
  { field: 'invalidparty', list: 'toparty', code: 'WECOM_INVALID_PARTY', what: 'not a department the app can reach' },
  { field: 'invalidtag', list: 'totag', code: 'WECOM_INVALID_TAG', what: 'not a tag the app can reach' },
] as const;

function splitIds(value: unknown): Set<string> {
  return new Set(typeof value === 'string' ? value.split('|').filter((id) => id !== '') : []);
}

/** Each request's outcome after an accepted call: failed when WeCom lists its recipient as unreachable, else sent with the msgid. */
function outcomesOfAcceptedCall(requests: readonly SendRequest[], body: Record<string, unknown>): SendOutcome[] {
  const msgid = typeof body.msgid === 'string' && body.msgid !== '' ? body.msgid : undefined;
  const listed = PARTIAL_FAILURES.map((failure) => ({ ...failure, ids: splitIds(body[failure.field]) }));
  return requests.map((request) => {
    const recipient = wecomRecipientOf(request.address ?? '');
    const failure = listed.find((candidate) => candidate.list === recipient.list && candidate.ids.has(recipient.id));
    if (failure) {
      return {
        kind: 'failed',
        code: failure.code,
        message: `WeCom did not deliver to ${recipient.list.slice(2)} "${recipient.id}": it was listed in ${failure.field} (${failure.what})`,
      };
    }
    return msgid === undefined ? { kind: 'sent' } : { kind: 'sent', providerMessageId: msgid };
  });
}

function recallOutcomeOf(outcome: SendOutcome, sentAtMs: number, nowMs: number): RecallOutcome {
  switch (outcome.kind) {
    case 'sent':
      return { kind: 'recalled' };
    case 'failed': {
      const late = nowMs - sentAtMs > RECALL_WINDOW_SECONDS * 1000;
      const hint = late ? ' (the message is more than 24 hours old: WeCom recalls only messages sent in the last 24 hours)' : '';
      return { kind: 'failed', code: outcome.code, message: outcome.message + hint };
    }
    default:
      return { kind: 'retry', code: outcome.code, message: outcome.message, retryAfterMs: outcome.retryAfterMs };
  }
}

export const wecomAppProvider: ProviderDefinition<WecomAppConfig> = {
  type: 'wecom-app',
  channel: 'wecom',
  target: 'address',
  configSchema: wecomAppConfigSchema,
  secretFields: ['corpSecret'],
  maxRecipientsPerCall: WECOM_APP_MAX_USERS_PER_CALL,
  recallWindowSeconds: RECALL_WINDOW_SECONDS,

  validateConfig(config) {
    parseOutboundUrl(config.baseUrl ?? WECOM_DEFAULT_BASE_URL, 'baseUrl');
  },

  createSender({ config }) {
    const baseUrl = config.baseUrl ?? WECOM_DEFAULT_BASE_URL;
    // Keyed by public ids only: cache keys are stored in clear.
    const tokenKey = `wecom-app:${config.corpId}:${config.agentId}`;

    const fetchToken = (context: ProviderContext) => async () => {
      const url = buildProviderUrl(baseUrl, 'cgi-bin/gettoken', { corpid: config.corpId, corpsecret: config.corpSecret });
      const { answer, outcome } = await callErrcodeApi(url, { method: 'GET', headers: {} }, context);
      if (outcome) throw new TokenFetchError(outcome);
      const token = answer.body.access_token;
      // 40001 / 40013 / 40091 (bad secret or corp id) are failed; -1 and 45009 come back later.
      const fetchOutcome = outcomeFromWecomErrcode(answer.errcode, answer.errmsg, 'gettoken');
      if (fetchOutcome.kind !== 'sent') throw new TokenFetchError(fetchOutcome);
      if (typeof token !== 'string' || token === '') {
        throw new TokenFetchError({ kind: 'retry', code: 'INVALID_RESPONSE', message: 'WeCom gettoken answered errcode 0 without an access_token' });
      }
      const expiresIn = answer.body.expires_in;
      return { token, expiresInSeconds: typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : TOKEN_LIFETIME_SECONDS };
    };

    /** POSTs `body` to `path` with the cached token, refreshed once when WeCom rejects it; rejected again is retry. */
    async function callWithToken(path: string, body: string, context: ProviderContext): Promise<ErrcodeApiResult> {
      const result = await callErrcodeApiWithToken(
        { tokens: context.tokens, key: tokenKey, fetch: fetchToken(context) },
        (token) => buildProviderUrl(baseUrl, path, { access_token: token }),
        { method: 'POST', headers: { ...JSON_HEADERS }, body },
        context,
        TOKEN_ERRCODES,
      );
      if (!result.answer || !TOKEN_ERRCODES.has(result.answer.errcode)) return result;
      const { errcode, errmsg } = result.answer;
      return { outcome: { kind: 'retry', code: `WECOM_${errcode}`, message: `WeCom ${path} errcode ${errcode} again with a fresh token: ${errmsg}` } };
    }

    async function sendBatch(requests: readonly SendRequest[], context: ProviderContext): Promise<SendOutcome[]> {
      if (requests.length === 0) return [];
      if (requests.length > WECOM_APP_MAX_USERS_PER_CALL) {
        throw new Error(`wecom-app sendBatch takes at most ${WECOM_APP_MAX_USERS_PER_CALL} requests, got ${requests.length}`);
      }
      const body = JSON.stringify({
        ...wecomRecipientFields(requests.map((request) => request.address ?? '')),
        agentid: config.agentId,
        ...wecomAppMessagePart(config, requests[0].content),
      });
      const { answer, outcome } = await callWithToken('cgi-bin/message/send', body, context);
      const callOutcome = outcome ?? outcomeFromWecomErrcode(answer.errcode, answer.errmsg, 'message/send');
      if (callOutcome.kind !== 'sent') return requests.map(() => callOutcome);
      return outcomesOfAcceptedCall(requests, answer!.body);
    }

    return {
      async send(request, context) {
        const [outcome] = await sendBatch([request], context);
        return outcome;
      },
      sendBatch,
      async recall(sent, context) {
        const { answer, outcome } = await callWithToken('cgi-bin/message/recall', JSON.stringify({ msgid: sent.providerMessageId }), context);
        return recallOutcomeOf(outcome ?? outcomeFromWecomErrcode(answer.errcode, answer.errmsg, 'message/recall'), sent.sentAtMs, context.clock.now());
      },
    };
  },
};

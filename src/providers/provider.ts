import type { TSchema } from 'typebox';
import type { Dispatcher } from 'undici';
import type { AddressedChannel, ChannelName } from '../channels/channel-catalog.ts';
import type { Clock } from '../clock.ts';
import type { OutboundPolicy } from '../security/ssrf-guard.ts';
import type { InboxSeverity } from '../storage/schema.ts';

/**
 * The one interface every channel provider implements. A provider turns a rendered
 * delivery plus a provider account into one outbound call and answers with a typed
 * outcome; the worker (src/dispatch) decides what happens next — retry, reschedule,
 * fail — never the provider.
 */

export type SendOutcome =
  /** Accepted by the provider. `providerMessageId` is its id when it gives one. */
  | { kind: 'sent'; providerMessageId?: string }
  /** Transient failure (5xx, timeout, connection error, "busy"): try again, honouring `retryAfterMs` if given. */
  | { kind: 'retry'; code: string; message: string; retryAfterMs?: number }
  /**
   * The provider throttled us (e.g. DingTalk 130101, HTTP 429): reschedule without burning an attempt.
   * `quotaExhausted`: the account's quota with the platform is used up (WeChat 45009, an Aliyun balance),
   * until `untilMs` when the platform says when it resets, else until an operator clears the mark;
   * the worker marks the account so its other deliveries wait or fail over instead of calling.
   */
  | { kind: 'rate_limited'; code: string; message: string; retryAfterMs?: number; quotaExhausted?: { untilMs?: number } }
  /**
   * Permanent failure (bad address, bad signature, unsubscribed): record and never retry.
   * `addressGone`: the platform says the address no longer exists (Web Push 404/410), so Herald
   * forgets it and later sends skip it instead of failing on it again.
   */
  | { kind: 'failed'; code: string; message: string; addressGone?: true };

/** Message priorities, most urgent first (the send API's `priority`; deliveries store the index). */
export const MESSAGE_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type MessagePriority = (typeof MESSAGE_PRIORITIES)[number];

/**
 * The content rendered for one channel (src/templates produces it). `markdown` is
 * already in the channel's own dialect; a provider picks the field it needs.
 */
export interface RenderedMessage {
  title: string;
  summary?: string;
  /** Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail. */
  text: string;
  /** Markdown in this channel's dialect (DingTalk, WeCom, Slack mrkdwn, Telegram MarkdownV2 ...). */
  markdown: string;
  /** Sanitised HTML with inlined CSS (e-mail). */
  html?: string;
  url?: string;
  /** Channel-specific structured parts from template overrides: SMS template code and params, WeChat data, cards. */
  extras?: Record<string, unknown>;
}

export interface SendRequest {
  deliveryId: string;
  messageId: string;
  appId: string;
  /** Stable across attempts: pass it where the provider deduplicates (WeChat client_msg_id, SMS OutId). */
  dedupKey: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** The resolved address (e-mail, phone, user id) or null when the account itself is the target (group robot, webhook endpoint). */
  address: string | null;
  content: RenderedMessage;
  metadata: Record<string, string>;
  /** The message's priority (Web Push maps it to `Urgency`); absent means normal. */
  priority?: MessagePriority;
  /** When Herald gives up on this delivery (epoch ms): a push service need not keep it longer (Web Push `TTL`). */
  expiresAtMs?: number;
}

/** Access tokens (WeChat, WeCom, DingTalk) cached in the database and shared by all workers. */
export interface TokenCache {
  /** Returns a cached token for `key`, or calls `fetchToken` and caches the answer until shortly before it expires. */
  get(key: string, fetchToken: () => Promise<{ token: string; expiresInSeconds: number }>): Promise<string>;
  /** Drops a token the provider rejected (40001/42001 ...), so the next `get` fetches a fresh one. */
  invalidate(key: string): Promise<void>;
}

/** A browser's push subscription (`PushSubscription.toJSON()`): where to push, and the keys to encrypt for (RFC 8291). */
export interface WebPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** An app's VAPID key pair (RFC 8292), base64url as web-push writes them: the public key is what browsers subscribe with. */
export interface VapidKeyPair {
  publicKey: string;
  privateKey: string;
}

/**
 * What the Web Push provider reads from Herald's storage, through the worker: the subscription a
 * `pushSubscription` address names (undefined once it is gone) and the app's VAPID keys.
 */
export interface WebPushDirectory {
  subscription(appId: string, subscriptionId: string): Promise<WebPushSubscription | undefined>;
  vapidKeys(appId: string): Promise<VapidKeyPair>;
}

export const INBOX_SEVERITIES = ['info', 'success', 'warning', 'error'] as const satisfies readonly InboxSeverity[];

/** A button of an inbox item. */
export interface InboxAction {
  label: string;
  url: string;
}

/** The inbox parts of a rendered message (`extras.inbox`), as src/templates writes them; title, summary and `html` are the message's own. */
export interface InboxExtras {
  link?: string;
  category?: string;
  severity?: InboxSeverity;
  actions?: InboxAction[];
  validForSeconds?: number;
  data?: Record<string, string>;
}

/** One item for a subscriber's inbox, as the inbox provider hands it over. */
export interface InboxItemDeposit {
  appId: string;
  /** The subscriber's external id. */
  subscriberId: string;
  deliveryId: string;
  messageId: string;
  title: string;
  summary: string | null;
  /** Sanitised HTML. */
  bodyHtml: string | null;
  link: string | null;
  category: string | null;
  severity: InboxSeverity;
  actions: InboxAction[];
  data: Record<string, string>;
  /** Listed from now for this long; null: until deleted. */
  validForSeconds: number | null;
}

/**
 * What the inbox provider writes to, through the worker: Herald's own inbox storage. A deposit
 * keyed by a delivery already deposited answers that delivery's item (a retried send writes once).
 */
export interface InboxDepositor {
  /** Writes the items (one per delivery, once however often deposited) and answers their ids, in order. */
  deposit(items: readonly InboxItemDeposit[]): Promise<string[]>;
}

export interface ProviderAccount<Config = Record<string, unknown>> {
  id: string;
  name: string;
  /** Config with secret fields already decrypted. */
  config: Config;
  /**
   * Where this account's delivery receipts are pushed (`<HERALD_PUBLIC_URL>/receipts/<account id>/<token>`),
   * for providers that name it per send (Twilio `StatusCallback`); absent when the provider takes
   * no receipts or Herald does not know its public URL.
   */
  receiptUrl?: string;
}

/** A receipt push as it reached Herald's receipt endpoint, for the provider to read in its own format. */
export interface ReceiptRequest {
  /** The full URL the platform called, as configured with it (Twilio signs it). */
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw body: signatures are over the bytes. */
  body: Buffer;
}

/** What a receipt says about one send: `providerMessageId` is what `sent` answered, `address` narrows it where one id covers several recipients (Aliyun BizId). */
export interface ReceiptEntry {
  providerMessageId: string;
  address?: string;
  status: 'delivered' | 'undelivered';
  /** The platform's code (`DELIVERED`, `UNDELIV`, Twilio `30003` ...). */
  code?: string;
  message?: string;
  /** When the platform says the recipient got it (or not), epoch ms. */
  atMs?: number;
}

/** The answer the platform expects back: its own success shape, so it stops pushing. */
export interface ReceiptReply {
  status: number;
  contentType: string;
  body: string;
}

export type ReceiptParse =
  | { kind: 'accepted'; entries: ReceiptEntry[]; reply: ReceiptReply }
  /** Not a receipt of this account (bad signature, unreadable body): nothing changes. */
  | { kind: 'refused'; reason: string; reply: ReceiptReply };

export interface ProviderContext {
  /** Undici dispatcher with the SSRF guard and timeouts applied; pass it to every outbound request. */
  http: Dispatcher;
  tokens: TokenCache;
  clock: Clock;
  /** Aborted when the send timeout elapses or the worker stops. */
  signal: AbortSignal;
  /** Browser subscriptions and VAPID keys, for the Web Push provider (the delivery worker provides it). */
  webPush?: WebPushDirectory;
  /** Subscribers' inboxes, for the inbox provider (the delivery worker provides it). */
  inbox?: InboxDepositor;
}

/** What a sender needs from Herald besides its account: the outbound rules for protocols that open their own sockets (SMTP). */
export interface SenderEnvironment {
  outboundPolicy: OutboundPolicy;
  connectTimeoutMs: number;
}

/** A message the platform accepted earlier, as later calls about it (recall, results) need it. */
export interface SentMessage {
  /** The id `sent` answered with (WeCom msgid, DingTalk task_id, Feishu message_id). */
  providerMessageId: string;
  /** The recipients of this delivery group that the call reached (empty for account targets). */
  addresses: readonly string[];
  /** When the platform accepted it (epoch ms): recall and result windows count from here. */
  sentAtMs: number;
}

/** A recall's answer: recalled, refused for good (window passed, not the sender ...), or worth another try. */
export type RecallOutcome =
  | { kind: 'recalled' }
  | { kind: 'failed'; code: string; message: string }
  | { kind: 'retry'; code: string; message: string; retryAfterMs?: number };

/** What the platform reports about one recipient of a sent message. */
export type RecipientResult =
  /** Not known yet: ask again later. */
  | { status: 'pending' }
  | { status: 'delivered' }
  | { status: 'read' }
  /** Accepted by the send call but not delivered (DingTalk work notice: invalid or forbidden user). */
  | { status: 'undelivered'; code: string; message: string };

/** A result query's answer: per address (missing addresses are `pending`), or a problem with the query itself. */
export type ResultsOutcome =
  | { kind: 'results'; byAddress: Readonly<Record<string, RecipientResult>> }
  | { kind: 'retry'; code: string; message: string; retryAfterMs?: number }
  | { kind: 'failed'; code: string; message: string };

/** What the platform reports about the account's quota of the API Herald sends through (WeChat openapi/quota/get), or why it could not be read. */
export type QuotaReadOutcome =
  | { kind: 'quota'; limit: number; used: number; remaining: number }
  | { kind: 'retry'; code: string; message: string; retryAfterMs?: number }
  | { kind: 'failed'; code: string; message: string };

/** Built once per account and reused across sends (holds pools, e.g. SMTP connections). */
export interface ProviderSender {
  send(request: SendRequest, context: ProviderContext): Promise<SendOutcome>;
  /**
   * Several recipients of the same content in one call; present when the definition declares
   * `maxRecipientsPerCall`. `requests` (at most that many) share `content`, `messageId` and
   * account; the answer holds one outcome per request, in order, so a platform's partial
   * success (WeCom `invaliduser`) fails only those recipients.
   */
  sendBatch?(requests: readonly SendRequest[], context: ProviderContext): Promise<SendOutcome[]>;
  /** Takes back a sent message; present when the definition declares `recallWindowSeconds`. */
  recall?(sent: SentMessage, context: ProviderContext): Promise<RecallOutcome>;
  /** Asks the platform what became of a sent message; present when the definition declares `results`. */
  fetchResults?(sent: SentMessage, context: ProviderContext): Promise<ResultsOutcome>;
  /** Asks the platform how much of the send API's quota is left; present when the definition declares `readsQuota`. */
  readQuota?(context: ProviderContext): Promise<QuotaReadOutcome>;
  close?(): Promise<void>;
}

/** At most `count` sends per `perSeconds` sliding window. */
export interface FlowLimit {
  count: number;
  perSeconds: number;
}

/** How a partly secret config field is masked; see `ProviderDefinition.secretMasks`. */
export type SecretMaskKind = 'values' | 'query';

interface ProviderDefinitionFields<Config> {
  /** Stable type id stored on channel accounts, e.g. `dingtalk-robot`. */
  type: string;
  /** TypeBox schema validating the account config (secrets included). */
  configSchema: TSchema;
  /** Config fields encrypted at rest and masked on read. */
  secretFields: readonly string[];
  /**
   * Secret fields of which only parts are secret, and so masked only there (the others read
   * back as one mask): `values` masks each value of a string record and keeps its names
   * (request headers), `query` masks the query parameter values of a URL (`?token=********`).
   */
  secretMasks?: Readonly<Record<string, SecretMaskKind>>;
  /**
   * The provider's own documented limits, applied when the account sets none; every window
   * holds at once (Feishu robot: 5 per second and 100 per minute).
   */
  defaultFlowLimits?: readonly FlowLimit[];
  /**
   * The platform sends only templates registered with it (Chinese SMS: a sign name and template
   * code): inline content, which cannot name one, is refused when the message is accepted.
   */
  sendsVendorTemplatesOnly?: boolean;
  /** Recipients one call may carry; the worker groups deliveries of the same message, account and content up to it (needs `sendBatch`). */
  maxRecipientsPerCall?: number;
  /** How long after sending the platform lets a message be recalled (needs `recall`). */
  recallWindowSeconds?: number;
  /**
   * The platform reports per-recipient results after the send (DingTalk work notice
   * getsendresult; needs `fetchResults`): ask first after `firstCheckAfterSeconds`, then
   * with growing pauses until every recipient is final or `windowSeconds` has passed.
   */
  results?: { firstCheckAfterSeconds: number; windowSeconds: number };
  /** The platform reports the account's remaining quota (needs `readQuota`); the scheduler reads it every HERALD_QUOTA_READ_INTERVAL_SECONDS. */
  readsQuota?: boolean;
  /** Checks what a schema cannot (e.g. a URL allowed by the SSRF guard); throw a HeraldError('invalid', ...) naming the field. */
  validateConfig?(config: Config): void;
  createSender(account: ProviderAccount<Config>, environment: SenderEnvironment): ProviderSender;
  /**
   * The platform pushes delivery receipts (SMS 回执) to the account's receipt endpoint: `parse`
   * reads one push in the platform's own format (verifying its signature where it has one) and
   * answers what it says plus the reply the platform expects. (When Herald cannot store a push it
   * answers 503, which every platform takes as "push again".)
   */
  receipts?: {
    parse(request: ReceiptRequest, config: Config): ReceiptParse;
  };
}

/**
 * `account`: the account is the target (group robots, webhook endpoints). `address`: one send
 * per recipient address, of the kind the channel catalog names for its channel (so only a
 * channel with an address kind can have one).
 */
export type ProviderDefinition<Config = any> = ProviderDefinitionFields<Config> &
  ({ channel: ChannelName; target: 'account' } | { channel: AddressedChannel; target: 'address' });

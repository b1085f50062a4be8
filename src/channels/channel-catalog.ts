import type { AddressKind } from './address-kinds.ts';

/**
 * What a channel is, in one table: the address its per-recipient providers read, the
 * Markdown dialect its content is formatted in, how templates write it, and its length
 * rules. Every channel list, type and schema derives from here (the send API's channel
 * enum and receiver schema, template overrides, renderers, golden tests), and tables
 * that stay per channel elsewhere are typed `Record<ChannelName, ...>` so a new entry
 * fails to compile until each has its line. Imports nothing from domain, dispatch,
 * http, templates or providers: they all stand on it.
 */

/** The dialect of `RenderedMessage.markdown`; src/templates maps each to its formatter. */
export type MarkdownDialect =
  | 'commonmark'
  | 'dingtalk-markdown'
  | 'wecom-markdown'
  | 'feishu-card-markdown'
  | 'slack-mrkdwn'
  | 'telegram-markdown-v2'
  | 'discord-markdown';

/**
 * A length rule. `truncate` cuts the document at a character boundary and marks the cut
 * with "…"; `refuse` fails the render with TEMPLATE_CONTENT_TOO_LONG (a 422 at accept
 * time), for channels where a silently cut message could lose what matters (an SMS code
 * or link).
 */
export interface ChannelLimit {
  readonly max: number;
  readonly unit: LimitUnit;
  readonly overflow: 'truncate' | 'refuse';
  /** Where the number comes from. */
  readonly basis: string;
}
export type LimitUnit = 'utf8-bytes' | 'utf16-units' | 'characters';
/** `text` (plain text), `markdown` (the channel dialect), `payload` (Feishu: the JSON of the card and of the post, each measured). */
export type LimitedField = 'text' | 'markdown' | 'payload';

export interface ChannelSpec {
  /**
   * The address its per-recipient (`target: 'address'`) providers send to: a send names it
   * as `{ "<kind>": .. }` or through a subscriber's `addresses.<kind>`. Without one, the
   * channel is reached only through accounts that are targets themselves (`{ "channelAccount": .. }`).
   */
  readonly addressKind?: AddressKind;
  readonly dialect: MarkdownDialect;
  /**
   * How a template writes `channels.<name>`. `im`: the shared `{ title, markdown }` override
   * (Markdown, formatted in the channel's dialect like the body) and the shared IM renderer
   * unless src/templates gives the channel its own. `own`: an override schema and a
   * renderer of its own in src/templates.
   */
  readonly templateOverride: 'im' | 'own';
  /** Sends only pre-approved vendor templates: a template renders here only when it configures the channel. */
  readonly vendorTemplatesOnly?: boolean;
  readonly limits: Readonly<Partial<Record<LimitedField, ChannelLimit>>>;
}

const channels = {
  email: { addressKind: 'email', dialect: 'commonmark', templateOverride: 'own', limits: {} },
  sms: {
    addressKind: 'phone',
    dialect: 'commonmark',
    templateOverride: 'own',
    limits: {
      text: { max: 1_600, unit: 'characters', overflow: 'refuse', basis: 'Twilio Body limit; a cut SMS may lose a code or link. Not applied when a vendor templateCode is what gets sent' },
    },
  },
  webhook: { dialect: 'commonmark', templateOverride: 'own', limits: {} },
  dingtalk: {
    addressKind: 'dingtalkUserId',
    dialect: 'dingtalk-markdown',
    templateOverride: 'im',
    limits: {
      markdown: { max: 20_000, unit: 'utf8-bytes', overflow: 'truncate', basis: 'DingTalk robot message size (unverified)' },
      text: { max: 20_000, unit: 'utf8-bytes', overflow: 'truncate', basis: 'DingTalk robot message size (unverified)' },
    },
  },
  wecom: {
    addressKind: 'wecomUserId',
    dialect: 'wecom-markdown',
    templateOverride: 'own',
    limits: {
      markdown: { max: 4_096, unit: 'utf8-bytes', overflow: 'truncate', basis: 'WeCom markdown content ≤ 4096 bytes' },
      text: { max: 2_048, unit: 'utf8-bytes', overflow: 'truncate', basis: 'WeCom text content ≤ 2048 bytes' },
    },
  },
  feishu: {
    addressKind: 'feishuOpenId',
    dialect: 'feishu-card-markdown',
    templateOverride: 'im',
    limits: {
      payload: { max: 18_000, unit: 'utf8-bytes', overflow: 'truncate', basis: 'Feishu bot request body ≤ 20 KB, less the envelope' },
      text: { max: 18_000, unit: 'utf8-bytes', overflow: 'truncate', basis: 'Feishu bot request body ≤ 20 KB, less the envelope' },
    },
  },
  wechat: { addressKind: 'wechatOpenId', dialect: 'commonmark', templateOverride: 'own', vendorTemplatesOnly: true, limits: {} },
  miniprogram: { addressKind: 'miniProgramOpenId', dialect: 'commonmark', templateOverride: 'own', vendorTemplatesOnly: true, limits: {} },
  inbox: { addressKind: 'subscriberId', dialect: 'commonmark', templateOverride: 'own', limits: {} },
  webpush: {
    addressKind: 'pushSubscription',
    dialect: 'commonmark',
    templateOverride: 'own',
    limits: {
      text: { max: 2_000, unit: 'utf8-bytes', overflow: 'truncate', basis: 'Web Push payload ≤ 4096 bytes with title, url and encryption' },
    },
  },
  slack: {
    addressKind: 'slackChannelId',
    dialect: 'slack-mrkdwn',
    templateOverride: 'im',
    limits: {
      markdown: { max: 40_000, unit: 'characters', overflow: 'truncate', basis: 'Slack truncates message text beyond 40,000 characters' },
    },
  },
  telegram: {
    addressKind: 'telegramChatId',
    dialect: 'telegram-markdown-v2',
    templateOverride: 'im',
    limits: {
      markdown: { max: 4_096, unit: 'utf16-units', overflow: 'truncate', basis: 'Telegram sendMessage text ≤ 4096 characters' },
      text: { max: 4_096, unit: 'utf16-units', overflow: 'truncate', basis: 'Telegram sendMessage text ≤ 4096 characters' },
    },
  },
  discord: {
    dialect: 'discord-markdown',
    templateOverride: 'im',
    limits: {
      markdown: { max: 2_000, unit: 'characters', overflow: 'truncate', basis: 'Discord message content ≤ 2000 characters' },
      text: { max: 2_000, unit: 'characters', overflow: 'truncate', basis: 'Discord message content ≤ 2000 characters' },
    },
  },
} as const satisfies Record<string, ChannelSpec>;

/** The channel names callers use in `channels: [...]`. */
export type ChannelName = keyof typeof channels;

type ChannelsWhere<Condition> = { [Name in ChannelName]: (typeof channels)[Name] extends Condition ? Name : never }[ChannelName];
/** Channels with an address kind: the only ones a `target: 'address'` provider can serve. */
export type AddressedChannel = ChannelsWhere<{ addressKind: AddressKind }>;
/** Channels written with the shared IM override. */
export type ImOverrideChannel = ChannelsWhere<{ templateOverride: 'im' }>;
/** Channels with an override and renderer of their own in src/templates. */
export type OwnOverrideChannel = ChannelsWhere<{ templateOverride: 'own' }>;

export const CHANNEL_CATALOG: { readonly [Name in ChannelName]: ChannelSpec } = channels;

/** In catalog order: the order of the API's channel enum, previews and template channel lists. */
export const CHANNELS = Object.keys(channels) as ChannelName[];

export const IM_OVERRIDE_CHANNELS = CHANNELS.filter((name): name is ImOverrideChannel => channels[name].templateOverride === 'im');

export function isOwnOverrideChannel(name: ChannelName): name is OwnOverrideChannel {
  return channels[name].templateOverride === 'own';
}

/** The address kind a `target: 'address'` provider of this channel sends to. */
export function addressKindOf(name: AddressedChannel): AddressKind {
  return channels[name].addressKind;
}

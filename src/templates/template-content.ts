import { Type, type Static, type TOptional, type TSchema } from 'typebox';
import { CHANNELS, isOwnOverrideChannel, type ChannelName, type OwnOverrideChannel } from '../channels/channel-catalog.ts';
import { INBOX_SEVERITIES } from '../providers/provider.ts';

/**
 * The content of one template version: a default part every channel renders from,
 * optional per-channel overrides, and locale variants. Every string field is a Liquid
 * template unless its description says otherwise; a variable's value is escaped for the
 * field's syntax (Markdown, HTML or plain text), so user data is always literal text.
 */

/** A Liquid template producing plain text (titles, subjects, SMS/WeChat parameters). */
const LiquidText = (description: string, maxLength = 2_000) => Type.String({ maxLength, description });
/** A Liquid template producing a document: Markdown (CommonMark + GFM tables, strikethrough, task lists) or, where said, HTML. */
const LiquidDocument = (description: string) => Type.String({ maxLength: 65_536, description });
/** A literal value that is not run through Liquid (vendor template ids and codes). */
const Literal = (description: string) => Type.String({ minLength: 1, maxLength: 128, description });
/** Named Liquid templates, one per vendor template parameter; insertion order is kept (Tencent SMS takes an ordered list). */
const LiquidTextMap = (description: string) =>
  Type.Record(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' }), LiquidText('Liquid template for this parameter', 1_000), {
    additionalProperties: false,
    maxProperties: 50,
    description,
  });
const strict = { additionalProperties: false } as const;

export const BodyFormatSchema = Type.Union([Type.Literal('markdown'), Type.Literal('text'), Type.Literal('html')], {
  description: 'How `body` is written: Markdown (default for templates), plain text, or HTML (sanitised; text is derived from it).',
});
export type BodyFormat = Static<typeof BodyFormatSchema>;

/** Who a group message @-mentions; rendered into `extras.mentions` for the providers that support it (group robots). */
export const MentionsSchema = Type.Object(
  {
    userIds: Type.Optional(LiquidText('Platform user ids to @-mention, separated by commas or spaces, e.g. "{{ oncall.userId }},zhangsan".', 1_000)),
    mobiles: Type.Optional(LiquidText('Mobile numbers to @-mention, separated by commas or spaces, e.g. "{{ oncall.mobile }}".', 1_000)),
    all: Type.Optional(Type.Boolean({ description: '@all: everyone in the group.' })),
  },
  { ...strict, description: 'Mentions in group messages (DingTalk, WeCom and Feishu robots, Feishu by user id only; ignored where the platform has none).' },
);

/** Channels the catalog marks `im`: the override is standard Markdown, converted to the channel's dialect like the body. */
const ImOverrideSchema = Type.Object(
  {
    title: Type.Optional(LiquidText('Title for this channel (DingTalk markdown title, Feishu post title).')),
    markdown: Type.Optional(LiquidDocument('Markdown replacing the body for this channel (e.g. a shorter chat version).')),
    mentions: Type.Optional(MentionsSchema),
  },
  strict,
);

/** A link field: a Liquid template that must render to an absolute http(s) URL. */
const LiquidUrl = (description: string) => LiquidText(`${description} Must render to an http(s) URL.`);

const WecomNewsArticleSchema = Type.Object(
  {
    title: LiquidText('Article title (plain text).', 500),
    description: Type.Optional(LiquidText('Article description (plain text).', 1_000)),
    url: LiquidUrl('Link the article opens.'),
    picUrl: Type.Optional(LiquidUrl('Picture shown with the article (JPG or PNG; 1068×455 for the first, 150×150 for the others).')),
  },
  strict,
);

const WecomTextcardSchema = Type.Object(
  {
    title: LiquidText('Card title (plain text, ≤ 128 bytes).', 500),
    description: LiquidText(
      'Card description; WeCom reads it as HTML with <div class="gray|normal|highlight"> and <br>, so variables are HTML-escaped (≤ 512 bytes).',
      2_000,
    ),
    url: LiquidUrl('Link the card opens.'),
    btnText: Type.Optional(LiquidText('Button text, ≤ 4 characters (default "详情").', 20)),
  },
  { ...strict, description: 'A textcard (application messages): sent instead of Markdown.' },
);

const WecomTemplateCardSchema = Type.Object(
  {
    title: LiquidText('Main title of the text_notice card (plain text).', 500),
    description: Type.Optional(LiquidText('Line under the title (plain text).', 500)),
    subTitle: Type.Optional(LiquidText('Body text of the card (plain text).', 1_000)),
    url: LiquidUrl('Link the card opens.'),
  },
  { ...strict, description: 'A text_notice template card (application messages): sent instead of Markdown or a textcard.' },
);

/** WeCom: the IM fields (Markdown, title, mentions) plus its structured messages. */
const wecomOverrideFields = {
  title: Type.Optional(LiquidText('Title for WeCom (textcard and card defaults).')),
  markdown: Type.Optional(LiquidDocument('Markdown replacing the body for WeCom (e.g. a shorter chat version).')),
  mentions: Type.Optional(MentionsSchema),
  news: Type.Optional(
    Type.Object(
      { articles: Type.Array(WecomNewsArticleSchema, { minItems: 1, maxItems: 8, description: 'The news articles, 1 to 8.' }) },
      { ...strict, description: 'A news message (group robots whose messageType is news).' },
    ),
  ),
  textcard: Type.Optional(WecomTextcardSchema),
  templateCard: Type.Optional(WecomTemplateCardSchema),
};
const WecomOverrideSchema = Type.Object(wecomOverrideFields, strict);
/** In a locale variant the cards may set only some fields: they merge over the default content's. */
const WecomVariantOverrideSchema = Type.Object(
  { ...wecomOverrideFields, textcard: Type.Optional(Type.Partial(WecomTextcardSchema)), templateCard: Type.Optional(Type.Partial(WecomTemplateCardSchema)) },
  strict,
);

const EmailOverrideSchema = Type.Object(
  {
    subject: Type.Optional(LiquidText('Subject line; defaults to the title.')),
    html: Type.Optional(LiquidDocument('HTML body fragment; variables are HTML-escaped; sanitised with an allow-list and wrapped in the e-mail layout.')),
    text: Type.Optional(LiquidText('Plain-text part; defaults to text derived from the HTML or the body.', 65_536)),
  },
  strict,
);

const SmsOverrideSchema = Type.Object(
  {
    templateCode: Type.Optional(Literal('Pre-approved vendor template code: Aliyun TemplateCode (SMS_154950909) or Tencent TemplateId (449739). Not Liquid.')),
    params: Type.Optional(
      LiquidTextMap(
        'Vendor template parameters: name → Liquid template, e.g. { "code": "{{ order.id }}" }; Tencent takes the values in this order. ' +
          'Names are letters, digits and _; each rendered value is 1-35 characters without links (checked at save and accept time).',
      ),
    ),
    signName: Type.Optional(Literal('Registered sign name (短信签名) for Aliyun and Tencent; replaces the channel account\'s. Not Liquid.')),
    text: Type.Optional(LiquidText('Free-text SMS body for vendors without templates (Twilio); defaults to the body as plain text.')),
  },
  strict,
);

const WechatOverrideSchema = Type.Object(
  {
    templateId: Literal('Official-account template id. Not Liquid.'),
    data: LiquidTextMap(
      'Template data: key (e.g. "character_string1", "amount2") → Liquid template for its value. As WeChat shows them since 2023-05-04, ' +
        'each value must fit in 20 characters on one line, and "first" and "remark" are refused (no longer shown); checked at save and accept time.',
    ),
    url: Type.Optional(LiquidText('Link opened from the message; defaults to the template url.')),
    miniprogram: Type.Optional(
      Type.Object(
        { appId: Literal('Mini-program appid. Not Liquid.'), pagePath: LiquidText('Mini-program page path.') },
        strict,
      ),
    ),
  },
  strict,
);

const MiniprogramOverrideSchema = Type.Object(
  {
    templateId: Literal('Subscribe-message template id. Not Liquid.'),
    data: LiquidTextMap(
      'Template data: key (e.g. "thing1") → Liquid template for its value. Values follow the rule of the key type (thing ≤ 20 characters, ' +
        'amount ¥ + ≤ 10 digits, phrase ≤ 5 汉字, time, date ...), checked at save and accept time; unknown types are accepted.',
    ),
    page: Type.Optional(LiquidText('Page opened from the message, e.g. "pages/order/detail?id={{ order.id }}".')),
    state: Type.Optional(Type.Union([Type.Literal('developer'), Type.Literal('trial'), Type.Literal('formal')])),
    lang: Type.Optional(Type.String({ maxLength: 16, description: 'WeChat language, e.g. zh_CN. Not Liquid.' })),
  },
  strict,
);

/** Longest inbox category after rendering: the widget shows it as a tab or filter. */
export const MAX_INBOX_CATEGORY_LENGTH = 64;
export const MAX_INBOX_ACTIONS = 3;

const InboxActionSchema = Type.Object(
  {
    label: LiquidText('Button text (plain text).', 200),
    url: LiquidUrl('Link the button opens.'),
  },
  strict,
);

const InboxOverrideSchema = Type.Object(
  {
    title: Type.Optional(LiquidText('Inbox title; defaults to the title.')),
    summary: Type.Optional(LiquidText('One-line preview in the inbox list; defaults to the summary.')),
    body: Type.Optional(LiquidDocument('Markdown body shown in the inbox; defaults to the body.')),
    link: Type.Optional(LiquidUrl('Link the item opens; defaults to the url.')),
    category: Type.Optional(LiquidText(`Category the inbox groups and filters by (plain text, at most ${MAX_INBOX_CATEGORY_LENGTH} characters once rendered).`, 500)),
    severity: Type.Optional(Type.Enum(INBOX_SEVERITIES, { description: 'How the item is shown; default info. Not Liquid.' })),
    actions: Type.Optional(Type.Array(InboxActionSchema, { maxItems: MAX_INBOX_ACTIONS, description: `Buttons shown with the item, at most ${MAX_INBOX_ACTIONS}.` })),
    validForSeconds: Type.Optional(
      Type.Integer({ minimum: 60, maximum: 31_536_000, description: "How long the item stays in the inbox; default: the inbox account's defaultValidForSeconds, else for good." }),
    ),
    data: Type.Optional(
      LiquidTextMap('Fields the widget receives as the item data: name → Liquid template. The message data is not passed on by itself (it may hold secrets).'),
    ),
  },
  strict,
);

const WebpushOverrideSchema = Type.Object(
  {
    title: Type.Optional(LiquidText('Notification title; defaults to the title.')),
    text: Type.Optional(LiquidText('Notification text; defaults to the body as plain text.')),
  },
  strict,
);

const WebhookOverrideSchema = Type.Object(
  { data: Type.Optional(LiquidTextMap('Extra string fields added to the webhook payload.')) },
  strict,
);

/** The override of each channel the catalog marks `own`; `satisfies` makes a new such channel fail to compile until it has one here. */
const OWN_OVERRIDES = {
  email: EmailOverrideSchema,
  sms: SmsOverrideSchema,
  wechat: WechatOverrideSchema,
  miniprogram: MiniprogramOverrideSchema,
  inbox: InboxOverrideSchema,
  webpush: WebpushOverrideSchema,
  webhook: WebhookOverrideSchema,
  wecom: WecomOverrideSchema,
} satisfies Record<OwnOverrideChannel, TSchema>;

type OverrideSchemas<Own extends Record<OwnOverrideChannel, TSchema>> = {
  [Channel in ChannelName]: TOptional<Channel extends OwnOverrideChannel ? Own[Channel] : typeof ImOverrideSchema>;
};

/** The overrides object, one optional field per channel in catalog order; own overrides are passed in so locale variants can make their required fields optional. */
function channelOverridesSchema<Own extends Record<OwnOverrideChannel, TSchema>>(own: Own) {
  const fields = Object.fromEntries(CHANNELS.map((channel) => [channel, Type.Optional(isOwnOverrideChannel(channel) ? own[channel] : ImOverrideSchema)]));
  return Type.Object(fields as OverrideSchemas<Own>, strict);
}

export const ChannelOverridesSchema = channelOverridesSchema(OWN_OVERRIDES);

const commonFields = {
  title: Type.Optional(LiquidText('Plain-text title: e-mail subject, inbox and push title. Defaults to the first heading of the body.', 500)),
  summary: Type.Optional(LiquidText('Plain-text one-line summary (inbox list, previews).', 1_000)),
  url: Type.Optional(LiquidText('Link to the subject of the message; must render to an http(s) URL.')),
};

/** A locale variant: any field it sets replaces the default one (objects merge field by field). */
export const TemplateVariantSchema = Type.Object(
  {
    ...commonFields,
    body: Type.Optional(LiquidDocument('Body in the template body format.')),
    channels: Type.Optional(channelOverridesSchema({ ...OWN_OVERRIDES, wechat: Type.Partial(WechatOverrideSchema), miniprogram: Type.Partial(MiniprogramOverrideSchema), wecom: WecomVariantOverrideSchema })),
  },
  strict,
);
export type TemplateVariant = Static<typeof TemplateVariantSchema>;

/** BCP 47-style locale tag, e.g. `zh-CN`, `en`, `zh-Hant-TW`; matched case-insensitively. */
export const LocaleTagSchema = Type.String({ pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$', maxLength: 35 });

export const TemplateContentSchema = Type.Object(
  {
    ...commonFields,
    body: LiquidDocument('Body in `bodyFormat` (Markdown by default).'),
    bodyFormat: Type.Optional(BodyFormatSchema),
    defaultLocale: Type.Optional(LocaleTagSchema),
    channels: Type.Optional(ChannelOverridesSchema),
    locales: Type.Optional(
      Type.Record(LocaleTagSchema, TemplateVariantSchema, {
        additionalProperties: false,
        maxProperties: 50,
        description: 'Variants per locale tag, chosen by the receiver locale (exact tag, then language, then the default content).',
      }),
    ),
  },
  strict,
);
export type TemplateContent = Static<typeof TemplateContentSchema>;

/** One declared variable. `example` feeds previews and the save-time test render. */
export const TemplateVariableSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$', description: 'Top-level name used in Liquid, e.g. `order`.' }),
    type: Type.Union([
      Type.Literal('string'),
      Type.Literal('number'),
      Type.Literal('boolean'),
      Type.Literal('object'),
      Type.Literal('array'),
    ]),
    required: Type.Optional(Type.Boolean({ description: 'A message without it is refused (422). Defaults to false.' })),
    example: Type.Optional(Type.Unknown()),
    description: Type.Optional(Type.String({ maxLength: 500 })),
  },
  strict,
);
export type TemplateVariable = Static<typeof TemplateVariableSchema>;

export const VariablesSchemaSchema = Type.Array(TemplateVariableSchema, { maxItems: 100 });
export type VariablesSchema = Static<typeof VariablesSchemaSchema>;

/** Content sent inline by a caller instead of a stored template. */
export const InlineContentSchema = Type.Object(
  {
    title: Type.Optional(LiquidText('Title.', 500)),
    summary: Type.Optional(LiquidText('Summary.', 1_000)),
    body: LiquidDocument('Body in `format`.'),
    format: Type.Optional(BodyFormatSchema),
    url: Type.Optional(LiquidText('Link; must render to an http(s) URL.')),
  },
  strict,
);
export type InlineContent = Static<typeof InlineContentSchema>;

/**
 * Inline content renders through the same path as a stored template. Its format
 * defaults to plain text: scripts and monitors send text, and text never turns
 * into accidental formatting.
 */
export function inlineTemplateContent(inline: InlineContent): TemplateContent {
  const { format, ...fields } = inline;
  return { ...fields, bodyFormat: format ?? 'text' };
}

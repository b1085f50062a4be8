import { unprocessable } from '../errors.ts';
import {
  CHANNEL_CATALOG,
  IM_OVERRIDE_CHANNELS,
  type ChannelName,
  type ImOverrideChannel,
  type LimitedField,
  type MarkdownDialect,
  type OwnOverrideChannel,
} from '../channels/channel-catalog.ts';
import type { InboxExtras, RenderedMessage } from '../providers/provider.ts';
import { measure, renderWithinLimit } from './channel-limits.ts';
import { formatCommonMark } from './formatters/commonmark-formatter.ts';
import { formatDingtalkMarkdown } from './formatters/dingtalk-markdown-formatter.ts';
import { formatDiscordMarkdown } from './formatters/discord-markdown-formatter.ts';
import { formatEmailHtml } from './formatters/email-formatter.ts';
import { feishuCard, formatFeishuCardMarkdown, formatFeishuPost } from './formatters/feishu-post-formatter.ts';
import { formatHtmlFragment } from './formatters/html-formatter.ts';
import { formatPlainText } from './formatters/plain-text-formatter.ts';
import { formatSlackBlocks, SLACK_MAX_BLOCKS, slackBlocksText } from './formatters/slack-blocks-formatter.ts';
import { formatSlackMrkdwn } from './formatters/slack-mrkdwn-formatter.ts';
import { formatTelegramMarkdownV2 } from './formatters/telegram-markdown-v2-formatter.ts';
import { formatWecomMarkdown } from './formatters/wecom-markdown-formatter.ts';
import { htmlToText, sanitizeHtmlFragment } from './html-sanitize.ts';
import { firstHeadingText, type MarkdownDocument } from './markdown-document.ts';
import { safeUrl } from './safe-url.ts';
import type { ResolvedContent } from './template-compiler.ts';
import { MAX_INBOX_CATEGORY_LENGTH } from './template-content.ts';
import { checkRenderedSmsParams } from './sms-field-rules.ts';
import { checkRenderedWechatData, templateFieldInvalid } from './wechat-field-rules.ts';

/**
 * What each channel receives. A `RenderedMessage` always carries `title`, plain `text`
 * and `markdown` in the channel's dialect (standard Markdown for channels without
 * one); `html` for e-mail and the inbox; `extras` for structured parts (SMS template
 * code and params, WeChat data, Feishu post and card, webhook fields).
 */

export interface RenderedBody {
  readonly document: MarkdownDocument;
  /** Sanitised HTML when the body is written in HTML (e-mail and inbox keep it as written). */
  readonly html?: string;
}

/** The rendered template fields of one message, produced lazily by the renderer. */
export interface MessageSource {
  readonly templateCode: string;
  /** Locale used for formatting: the chosen variant's tag, else the receiver's. */
  readonly locale: string | undefined;
  /** The variant's content, for literal fields (vendor template ids). */
  readonly content: ResolvedContent;
  /** A rendered Liquid field, or undefined when the template does not set it. */
  field(path: string): string | undefined;
  /** The rendered entries of a map field (SMS params, WeChat data), or undefined when not set. */
  fieldMap(path: string): Record<string, string> | undefined;
  /** The body, or an override for one channel when the template sets it. */
  body(override?: { path: string; format: 'markdown' | 'text' }): RenderedBody;
}

type ChannelRenderer = (source: MessageSource) => RenderedMessage;

/** One formatter per dialect the catalog names; the Record type makes a new dialect fail to compile until it has one. */
const MARKDOWN_FORMATTERS: Record<MarkdownDialect, (document: MarkdownDocument) => string> = {
  commonmark: formatCommonMark,
  'dingtalk-markdown': formatDingtalkMarkdown,
  'wecom-markdown': formatWecomMarkdown,
  'feishu-card-markdown': formatFeishuCardMarkdown,
  'slack-mrkdwn': formatSlackMrkdwn,
  'telegram-markdown-v2': formatTelegramMarkdownV2,
  'discord-markdown': formatDiscordMarkdown,
};

/**
 * Every channel with a template override of its own renders here (the type insists); an
 * IM channel only when the shared IM renderer is not enough (Feishu: a post and a card).
 */
const SPECIFIC_RENDERERS: Record<OwnOverrideChannel, ChannelRenderer> & Partial<Record<ImOverrideChannel, ChannelRenderer>> = {
  email: renderEmail,
  inbox: renderInbox,
  sms: (source) => {
    const body = source.body({ path: 'channels.sms.text', format: 'text' });
    const { templateCode, signName } = source.content.channels?.sms ?? {};
    const params = source.fieldMap('channels.sms.params');
    if (params) checkRenderedSmsParams(source.templateCode, params);
    return message(source, 'sms', body, {
      extras: templateCode !== undefined || params !== undefined ? { sms: definedOnly({ templateCode, params: params ?? {}, signName }) } : undefined,
      // With a vendor template the text is not what gets sent (only kept for the trace), so its limit does not apply.
      enforceLimits: templateCode === undefined,
    });
  },
  webhook: (source) => {
    const data = source.fieldMap('channels.webhook.data');
    return message(source, 'webhook', source.body(), { extras: data ? { webhook: { data } } : undefined });
  },
  webpush: (source) =>
    message(source, 'webpush', source.body({ path: 'channels.webpush.text', format: 'text' }), { titlePath: 'channels.webpush.title' }),
  wechat: renderWechat,
  miniprogram: renderMiniprogram,
  feishu: renderFeishu,
  slack: renderSlack,
  wecom: renderWecom,
};

const IM_RENDERERS = Object.fromEntries(IM_OVERRIDE_CHANNELS.map((channel) => [channel, imRenderer(channel)])) as Record<ImOverrideChannel, ChannelRenderer>;

const CHANNEL_RENDERERS: Record<ChannelName, ChannelRenderer> = { ...IM_RENDERERS, ...SPECIFIC_RENDERERS };

export function renderChannelMessage(channel: ChannelName, source: MessageSource): RenderedMessage {
  return CHANNEL_RENDERERS[channel](source);
}

/**
 * An IM channel: its `channels.<name>` override or the body, as Markdown in the channel's dialect, with its mentions.
 * WeCom's own override keeps these fields, so its renderer starts from this one.
 */
function imRenderer(channel: ImOverrideChannel | 'wecom'): ChannelRenderer {
  return (source) => {
    const mentions = mentionsOf(source, channel);
    return message(source, channel, source.body({ path: `channels.${channel}.markdown`, format: 'markdown' }), {
      titlePath: `channels.${channel}.title`,
      extras: mentions ? { mentions } : undefined,
    });
  };
}

/** What `RenderedMessage.extras.mentions` holds: ids and numbers rendered and split, and whether @all. */
export interface RenderedMentions {
  userIds: string[];
  mobiles: string[];
  all: boolean;
}

/** `channels.<channel>.mentions`, rendered; undefined when the template mentions nobody. */
export function mentionsOf(source: MessageSource, channel: ChannelName): RenderedMentions | undefined {
  const split = (path: string) => (source.field(`channels.${channel}.mentions.${path}`) ?? '').split(/[\s,]+/).filter((item) => item !== '');
  const declared = (source.content.channels as Record<string, { mentions?: { all?: boolean } } | undefined> | undefined)?.[channel]?.mentions;
  const mentions = { userIds: split('userIds'), mobiles: split('mobiles'), all: declared?.all === true };
  return mentions.userIds.length > 0 || mentions.mobiles.length > 0 || mentions.all ? mentions : undefined;
}

/** The fields every channel shares: title, summary, url, text and markdown within the channel's limits. */
function message(
  source: MessageSource,
  channel: ChannelName,
  body: RenderedBody,
  options: {
    titlePath?: string;
    summaryPath?: string;
    extras?: Record<string, unknown>;
    /** Apply the channel's length rules (default true). */
    enforceLimits?: boolean;
  } = {},
): RenderedMessage {
  const fit = (field: LimitedField, render: (document: MarkdownDocument) => string) =>
    options.enforceLimits === false
      ? render(body.document)
      : renderWithinLimit({ document: body.document, render, channel, field, templateCode: source.templateCode });
  return definedOnly({
    title: titleOf(source, body, options.titlePath),
    summary: summaryOf(source, options.summaryPath),
    text: fit('text', formatPlainText),
    markdown: fit('markdown', MARKDOWN_FORMATTERS[CHANNEL_CATALOG[channel].dialect]),
    url: urlOf(source, 'url'),
    extras: options.extras,
  });
}

function renderEmail(source: MessageSource): RenderedMessage {
  const body = source.body();
  const base = message(source, 'email', body, { titlePath: 'channels.email.subject' });
  const htmlOverride = source.field('channels.email.html');
  const authoredHtml = htmlOverride !== undefined ? sanitizeHtmlFragment(htmlOverride) : body.html;
  const contentHtml = authoredHtml ?? formatHtmlFragment(body.document);
  return {
    ...base,
    text: source.field('channels.email.text') ?? (htmlOverride !== undefined ? htmlToText(contentHtml) : base.text),
    html: formatEmailHtml({ subject: base.title, contentHtml, contentFrom: authoredHtml === undefined ? 'document' : 'author', locale: source.locale }),
  };
}

/** The inbox item: the shared fields, the sanitised body fragment, and `extras.inbox` (link, category, severity, actions, lifetime, widget data). */
function renderInbox(source: MessageSource): RenderedMessage {
  const body = source.body({ path: 'channels.inbox.body', format: 'markdown' });
  const base = message(source, 'inbox', body, { titlePath: 'channels.inbox.title', summaryPath: 'channels.inbox.summary' });
  const override = source.content.channels?.inbox;
  const path = 'channels.inbox';
  const category = singleLine(source.field(`${path}.category`) ?? '');
  if ([...category].length > MAX_INBOX_CATEGORY_LENGTH) {
    throw templateFieldInvalid(source.templateCode, `${path}.category`, category, {
      rule: `at most ${MAX_INBOX_CATEGORY_LENGTH} characters`,
      problem: `has ${[...category].length} characters`,
    });
  }
  const actions = (override?.actions ?? []).map((_, index) => {
    const label = singleLine(source.field(`${path}.actions.${index}.label`) ?? '');
    if (label === '') throw templateFieldInvalid(source.templateCode, `${path}.actions.${index}.label`, label, { rule: 'a button needs a label', problem: 'is empty' });
    return { label, url: requiredUrlOf(source, `${path}.actions.${index}.url`) };
  });
  const inbox: InboxExtras = definedOnly({
    link: urlOf(source, `${path}.link`) ?? base.url,
    category: category === '' ? undefined : category,
    severity: override?.severity,
    actions: actions.length > 0 ? actions : undefined,
    validForSeconds: override?.validForSeconds,
    data: source.fieldMap(`${path}.data`),
  });
  return definedOnly({
    ...base,
    // The inbox widget shows this fragment as is: sanitised, no layout, no inlined CSS.
    html: body.html ?? formatHtmlFragment(body.document),
    extras: Object.keys(inbox).length > 0 ? { inbox } : undefined,
  });
}

function renderFeishu(source: MessageSource): RenderedMessage {
  const body = source.body({ path: 'channels.feishu.markdown', format: 'markdown' });
  // The fitted card markdown below replaces `markdown`: Feishu measures the whole payload.
  const base = message(source, 'feishu', body, { titlePath: 'channels.feishu.title' });
  const { title, url } = base;
  const rendered = renderWithinLimit({
    document: body.document,
    render: (document) => {
      const markdown = formatFeishuCardMarkdown(document);
      return {
        markdown,
        feishuPost: formatFeishuPost(document, { title, locale: source.locale }),
        feishuCard: feishuCard({ title, markdown, url }),
      };
    },
    size: (output, unit) => Math.max(measure(JSON.stringify(output.feishuPost), unit), measure(JSON.stringify(output.feishuCard), unit)),
    channel: 'feishu',
    field: 'payload',
    templateCode: source.templateCode,
  });
  // Mentions stay apart from the post and card: only the group bot adds them, in each message type's own syntax.
  const mentions = mentionsOf(source, 'feishu');
  return { ...base, markdown: rendered.markdown, extras: { feishuPost: rendered.feishuPost, feishuCard: rendered.feishuCard, ...(mentions ? { mentions } : {}) } };
}

/** The IM rendering plus `extras.slackBlocks`: Block Kit from the same document, within Slack's block and length limits. */
function renderSlack(source: MessageSource): RenderedMessage {
  const base = imRenderer('slack')(source);
  const slackBlocks = renderWithinLimit({
    document: source.body({ path: 'channels.slack.markdown', format: 'markdown' }).document,
    render: (document) => formatSlackBlocks(document, { title: base.title }),
    // More than 50 blocks never fit: the document is cut until they do.
    size: (blocks, unit) => (blocks.length > SLACK_MAX_BLOCKS ? Number.POSITIVE_INFINITY : measure(slackBlocksText(blocks), unit)),
    channel: 'slack',
    field: 'markdown',
    templateCode: source.templateCode,
  });
  return { ...base, extras: { ...base.extras, slackBlocks } };
}

/** The IM rendering plus `extras.wecom`: news articles, a textcard and a text_notice card, each when the template sets it. */
function renderWecom(source: MessageSource): RenderedMessage {
  const base = imRenderer('wecom')(source);
  const override = source.content.channels?.wecom;
  const path = 'channels.wecom';
  const text = (field: string) => singleLine(source.field(`${path}.${field}`) ?? '');
  const optionalText = (field: string) => text(field) || undefined;
  const news = override?.news && {
    articles: override.news.articles.map((_, index) =>
      definedOnly({
        title: text(`news.articles.${index}.title`),
        description: optionalText(`news.articles.${index}.description`),
        url: requiredUrlOf(source, `${path}.news.articles.${index}.url`),
        picUrl: urlOf(source, `${path}.news.articles.${index}.picUrl`),
      }),
    ),
  };
  const textcard =
    override?.textcard &&
    definedOnly({
      title: text('textcard.title'),
      // HTML-escaped as it renders (WeCom reads <div class> markup here); only trimmed.
      description: (source.field(`${path}.textcard.description`) ?? '').trim(),
      url: requiredUrlOf(source, `${path}.textcard.url`),
      btnText: optionalText('textcard.btnText'),
    });
  const templateCard =
    override?.templateCard &&
    definedOnly({
      title: text('templateCard.title'),
      description: optionalText('templateCard.description'),
      subTitle: optionalText('templateCard.subTitle'),
      url: requiredUrlOf(source, `${path}.templateCard.url`),
    });
  const wecom = definedOnly({ news, textcard, templateCard });
  return Object.keys(wecom).length === 0 ? base : { ...base, extras: { ...base.extras, wecom } };
}

function renderWechat(source: MessageSource): RenderedMessage {
  const wechat = source.content.channels?.wechat;
  const data = source.fieldMap('channels.wechat.data');
  if (!wechat?.templateId || !data) throw needsVendorTemplate(source, 'wechat', 'channels.wechat.templateId and channels.wechat.data');
  checkRenderedWechatData('wechat', source.templateCode, data);
  const base = message(source, 'wechat', source.body());
  const miniprogram = wechat.miniprogram?.appId
    ? { appId: wechat.miniprogram.appId, pagePath: source.field('channels.wechat.miniprogram.pagePath') ?? '' }
    : undefined;
  const url = urlOf(source, 'channels.wechat.url') ?? base.url;
  return { ...base, extras: { wechat: definedOnly({ templateId: wechat.templateId, data, url, miniprogram }) } };
}

function renderMiniprogram(source: MessageSource): RenderedMessage {
  const miniprogram = source.content.channels?.miniprogram;
  const data = source.fieldMap('channels.miniprogram.data');
  if (!miniprogram?.templateId || !data) {
    throw needsVendorTemplate(source, 'miniprogram', 'channels.miniprogram.templateId and channels.miniprogram.data');
  }
  checkRenderedWechatData('miniprogram', source.templateCode, data);
  return {
    ...message(source, 'miniprogram', source.body()),
    extras: {
      miniprogram: definedOnly({
        templateId: miniprogram.templateId,
        data,
        page: source.field('channels.miniprogram.page'),
        state: miniprogram.state,
        lang: miniprogram.lang,
      }),
    },
  };
}

function needsVendorTemplate(source: MessageSource, channel: ChannelName, fields: string) {
  return unprocessable(
    'TEMPLATE_CHANNEL_UNSUPPORTED',
    `Template "${source.templateCode}" cannot be sent on ${channel}: that channel only sends pre-approved vendor templates; set ${fields}.`,
    { templateCode: source.templateCode, channel },
  );
}

/** A channel title, else the template title, else the body's first heading. One line: it becomes a mail header. */
function titleOf(source: MessageSource, body: RenderedBody, overridePath?: string): string {
  const candidates = [overridePath && source.field(overridePath), source.field('title'), firstHeadingText(body.document)];
  return singleLine(candidates.find((candidate) => candidate && candidate.trim() !== '') || '');
}

function summaryOf(source: MessageSource, overridePath?: string): string | undefined {
  const summary = (overridePath && source.field(overridePath)) || source.field('summary');
  return summary && summary.trim() !== '' ? singleLine(summary) : undefined;
}

function urlOf(source: MessageSource, path: string): string | undefined {
  const rendered = source.field(path)?.trim();
  if (!rendered) return undefined;
  const url = safeUrl(rendered, ['http', 'https']);
  if (url) return url;
  throw unprocessable(
    'TEMPLATE_URL_INVALID',
    `Template "${source.templateCode}" renders ${path} to ${JSON.stringify(rendered.slice(0, 200))}, which is not an absolute http(s) URL.`,
    { templateCode: source.templateCode, field: path },
  );
}

/** A url field the payload cannot do without: rendering it empty is as wrong as rendering it to a bad URL. */
function requiredUrlOf(source: MessageSource, path: string): string {
  const url = urlOf(source, path);
  if (url) return url;
  throw unprocessable('TEMPLATE_URL_INVALID', `Template "${source.templateCode}" renders ${path} empty; it must be an absolute http(s) URL.`, {
    templateCode: source.templateCode,
    field: path,
  });
}

function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Drops undefined fields, so payloads and their JSON carry only what is set. */
function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

import type { RenderedMessage } from './provider.ts';

/**
 * The WeCom parts of a rendered message, as src/templates writes them (`extras.wecom`,
 * `extras.mentions`) and the WeCom providers read them back. Extras come out of the
 * database as JSON, so they are read defensively: a malformed part counts as absent.
 */

export interface WecomNewsArticle {
  title: string;
  description?: string;
  url: string;
  picUrl?: string;
}

export interface WecomTextcard {
  title: string;
  description: string;
  url: string;
  btnText?: string;
}

/** A `text_notice` template card: a title, an optional description and emphasis line, opening `url` when tapped. */
export interface WecomTextNoticeCard {
  title: string;
  description?: string;
  subTitle?: string;
  url: string;
}

export interface WecomExtras {
  news?: { articles: WecomNewsArticle[] };
  textcard?: WecomTextcard;
  templateCard?: WecomTextNoticeCard;
}

/** Who a group message @-mentions (`extras.mentions`). */
export interface MessageMentions {
  userIds: string[];
  mobiles: string[];
  all: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const optionalText = (value: unknown) => (isText(value) ? value : undefined);
const stringList = (value: unknown) => (Array.isArray(value) ? value.filter(isText) : []);

function readArticle(value: unknown): WecomNewsArticle | undefined {
  if (!isRecord(value) || !isText(value.title) || !isText(value.url)) return undefined;
  return { title: value.title, description: optionalText(value.description), url: value.url, picUrl: optionalText(value.picUrl) };
}

export function wecomExtrasOf(content: RenderedMessage): WecomExtras {
  const wecom = content.extras?.wecom;
  if (!isRecord(wecom)) return {};
  const extras: WecomExtras = {};
  if (isRecord(wecom.news) && Array.isArray(wecom.news.articles)) {
    const articles = wecom.news.articles.map(readArticle).filter((article) => article !== undefined);
    if (articles.length > 0) extras.news = { articles };
  }
  const { textcard, templateCard } = wecom;
  if (isRecord(textcard) && isText(textcard.title) && isText(textcard.description) && isText(textcard.url)) {
    extras.textcard = { title: textcard.title, description: textcard.description, url: textcard.url, btnText: optionalText(textcard.btnText) };
  }
  if (isRecord(templateCard) && isText(templateCard.title) && isText(templateCard.url)) {
    extras.templateCard = {
      title: templateCard.title,
      description: optionalText(templateCard.description),
      subTitle: optionalText(templateCard.subTitle),
      url: templateCard.url,
    };
  }
  return extras;
}

export function mentionsOf(content: RenderedMessage): MessageMentions {
  const mentions = content.extras?.mentions;
  if (!isRecord(mentions)) return { userIds: [], mobiles: [], all: false };
  return { userIds: stringList(mentions.userIds), mobiles: stringList(mentions.mobiles), all: mentions.all === true };
}

import type { RenderedMessage } from './provider.ts';

/**
 * The Feishu message bodies both Feishu providers send (custom bot and app bot): a card, a
 * rich-text post or plain text, taken from what the `feishu` renderer put in `extras`. The
 * two APIs wrap them differently (the bot takes objects, im/v1 a JSON string), so this
 * module only builds the parts.
 */

/** Both Feishu APIs (custom bot webhooks and the open API) live on the open platform's host; Lark's is https://open.larksuite.com. */
export const FEISHU_DEFAULT_BASE_URL = 'https://open.feishu.cn';

export type FeishuMessageType = 'interactive' | 'post' | 'text';

/** The card is the default: it carries the channel's own dialect (card Markdown), a title header and the link. */
export const DEFAULT_FEISHU_MESSAGE_TYPE: FeishuMessageType = 'interactive';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Who a group message @-mentions: open_ids (or user_ids), and everyone. Feishu bots cannot mention by mobile number. */
export interface FeishuMentions {
  userIds: readonly string[];
  all: boolean;
}

/** Ids that fit inside Feishu's `<at>` tags unescaped (open_id `ou_..`, user_id); anything else could break out of the tag. */
const MENTIONABLE_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * The template's `extras.mentions` merged with an account's own; undefined when nobody is
 * mentioned. Mobile numbers are dropped (Feishu mentions by id only), and ids that are not
 * plain ids are skipped rather than written into markup.
 */
export function feishuMentionsOf(content: RenderedMessage, account: { userIds?: readonly string[]; all?: boolean } = {}): FeishuMentions | undefined {
  const rendered = content.extras?.mentions as { userIds?: unknown; all?: unknown } | undefined;
  const renderedIds = Array.isArray(rendered?.userIds) ? rendered.userIds.filter((id): id is string => typeof id === 'string') : [];
  const userIds = [...new Set([...(account.userIds ?? []), ...renderedIds])].filter((id) => MENTIONABLE_ID.test(id) && id !== 'all');
  const all = account.all === true || rendered?.all === true;
  return userIds.length > 0 || all ? { userIds, all } : undefined;
}

const mentionIds = (mentions: FeishuMentions) => [...mentions.userIds, ...(mentions.all ? ['all'] : [])];

/** The card to send: the rendered one, with the mentions in an element of their own. */
export function feishuCardOf(content: RenderedMessage, mentions?: FeishuMentions): JsonObject {
  const card = renderedCardOf(content);
  if (!mentions) return card;
  // Card Markdown mentions: <at id=ou_..></at>, <at id=all></at>.
  const element = { tag: 'markdown', content: mentionIds(mentions).map((id) => `<at id=${id}></at>`).join(' ') };
  if (Array.isArray(card.elements)) return { ...card, elements: [...card.elements, element] };
  const body = card.body;
  if (isObject(body) && Array.isArray(body.elements)) return { ...card, body: { ...body, elements: [...body.elements, element] } };
  return card; // a template card has no place for them
}

/**
 * `extras.feishuCard`, or for content rendered without it (another channel's rendering, a
 * plain API send) the same card shape the renderer makes from the title and Markdown.
 */
function renderedCardOf(content: RenderedMessage): JsonObject {
  const card = content.extras?.feishuCard;
  if (isObject(card)) return card;
  return {
    config: { wide_screen_mode: true },
    header: { title: { tag: 'plain_text', content: content.title } },
    elements: [{ tag: 'markdown', content: content.markdown }],
    ...(content.url ? { card_link: { url: content.url } } : {}),
  };
}

/** The post to send: the rendered one, with a last line of `at` elements in every language. */
export function feishuPostOf(content: RenderedMessage, mentions?: FeishuMentions): JsonObject {
  const post = renderedPostOf(content);
  if (!mentions) return post;
  const line = mentionIds(mentions).map((id) => ({ tag: 'at', user_id: id }));
  return Object.fromEntries(
    Object.entries(post).map(([language, body]) =>
      isObject(body) && Array.isArray(body.content) ? [language, { ...body, content: [...body.content, line] }] : [language, body],
    ),
  );
}

/** `extras.feishuPost` (`{ zh_cn: { title, content } }`), or one text line per line of the plain text. */
function renderedPostOf(content: RenderedMessage): JsonObject {
  const post = content.extras?.feishuPost;
  if (isObject(post)) return post;
  const lines: JsonObject[][] = content.text.split('\n').map((line) => [{ tag: 'text', text: line }]);
  if (content.url) lines.push([{ tag: 'a', text: content.url, href: content.url }]);
  return { zh_cn: { title: content.title, content: lines } };
}

/** The `text` message's content; mentions are `<at user_id="ou_.."></at>` after the text. */
export function feishuTextOf(content: RenderedMessage, mentions?: FeishuMentions): { text: string } {
  if (!mentions) return { text: content.text };
  return { text: `${content.text}\n${mentionIds(mentions).map((id) => `<at user_id="${id}"></at>`).join(' ')}` };
}

/**
 * The message as the older APIs take it, content as an object: the custom bot's body and
 * v4 batch_send's (`{"msg_type":"post","content":{"post":{..}}}`, a card in `card`).
 */
export function feishuObjectMessage(messageType: FeishuMessageType, content: RenderedMessage, mentions?: FeishuMentions): Record<string, unknown> {
  switch (messageType) {
    case 'text':
      return { msg_type: 'text', content: feishuTextOf(content, mentions) };
    case 'post':
      return { msg_type: 'post', content: { post: feishuPostOf(content, mentions) } };
    case 'interactive':
      return { msg_type: 'interactive', card: feishuCardOf(content, mentions) };
  }
}

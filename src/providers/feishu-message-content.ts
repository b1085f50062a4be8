import type { RenderedMessage } from './provider.ts';

/**
 * The Feishu message bodies both Feishu providers send (custom bot and app bot): a card, a
 * rich-text post or plain text, taken from what the `feishu` renderer put in `extras`. The
 * two APIs wrap them differently (the bot takes objects, im/v1 a JSON string), so this
 * module only builds the parts.
 */

export type FeishuMessageType = 'interactive' | 'post' | 'text';

/** The card is the default: it carries the channel's own dialect (card Markdown), a title header and the link. */
export const DEFAULT_FEISHU_MESSAGE_TYPE: FeishuMessageType = 'interactive';

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `extras.feishuCard`, or for content rendered without it (another channel's rendering, a
 * plain API send) the same card shape the renderer makes from the title and Markdown.
 */
export function feishuCardOf(content: RenderedMessage): JsonObject {
  const card = content.extras?.feishuCard;
  if (isObject(card)) return card;
  return {
    config: { wide_screen_mode: true },
    header: { title: { tag: 'plain_text', content: content.title } },
    elements: [{ tag: 'markdown', content: content.markdown }],
    ...(content.url ? { card_link: { url: content.url } } : {}),
  };
}

/** `extras.feishuPost` (`{ zh_cn: { title, content } }`), or one text line per line of the plain text. */
export function feishuPostOf(content: RenderedMessage): JsonObject {
  const post = content.extras?.feishuPost;
  if (isObject(post)) return post;
  const lines: JsonObject[][] = content.text.split('\n').map((line) => [{ tag: 'text', text: line }]);
  if (content.url) lines.push([{ tag: 'a', text: content.url, href: content.url }]);
  return { zh_cn: { title: content.title, content: lines } };
}

/** The `text` message's content. */
export function feishuTextOf(content: RenderedMessage): { text: string } {
  return { text: content.text };
}

/**
 * The message as the older APIs take it, content as an object: the custom bot's body and
 * v4 batch_send's (`{"msg_type":"post","content":{"post":{..}}}`, a card in `card`).
 */
export function feishuObjectMessage(messageType: FeishuMessageType, content: RenderedMessage): Record<string, unknown> {
  switch (messageType) {
    case 'text':
      return { msg_type: 'text', content: feishuTextOf(content) };
    case 'post':
      return { msg_type: 'post', content: { post: feishuPostOf(content) } };
    case 'interactive':
      return { msg_type: 'interactive', card: feishuCardOf(content) };
  }
}

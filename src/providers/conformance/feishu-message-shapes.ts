/**
 * What Feishu accepts as a post, a card and an old-style message body (custom bot, v4
 * batch_send), checked the way the platform documents them; shared by the Feishu test
 * servers. Each check answers the problem, or undefined when the shape is right.
 */

export const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);
export const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** `{ zh_cn: { title?, content: [[{ tag, .. }]] } }`: languages directly, one or more. */
export function feishuPostProblem(post: unknown, where: string): string | undefined {
  if (!isObject(post) || Object.keys(post).length === 0) return `${where} must hold a language, e.g. zh_cn`;
  for (const [language, body] of Object.entries(post)) {
    if (!isObject(body)) return `${where}.${language} must be an object`;
    if (body.title !== undefined && typeof body.title !== 'string') return `${where}.${language}.title must be a string`;
    if (!Array.isArray(body.content)) return `${where}.${language}.content must be an array of lines`;
    for (const line of body.content) {
      if (!Array.isArray(line) || !line.every((element) => isObject(element) && isText(element.tag))) {
        return `${where}.${language}.content: every line is an array of elements with a tag`;
      }
      if (line.some((element) => element.tag === 'at' && !isText(element.user_id))) return `${where}.${language}: an at element needs a user_id`;
    }
  }
  return undefined;
}

/** A 1.0 card (`elements`), a 2.0 card (`schema` + `body`) or a template card. */
export function feishuCardProblem(card: unknown, where: string): string | undefined {
  if (!isObject(card)) return `${where} must be an object`;
  const isV1 = Array.isArray(card.elements);
  const isV2 = card.schema === '2.0' && isObject(card.body);
  const isTemplate = card.type === 'template' && isObject(card.data);
  return isV1 || isV2 || isTemplate ? undefined : `${where} needs elements, a 2.0 body or a template`;
}

/** `{ msg_type, content: { text } | { post: {..} } }` or `{ msg_type: 'interactive', card }`, plus the caller's own fields. */
export function feishuObjectMessageProblem(body: Record<string, any>, otherFields: ReadonlySet<string>): string | undefined {
  const unknown = Object.keys(body).filter((key) => !['msg_type', 'content', 'card'].includes(key) && !otherFields.has(key));
  if (unknown.length > 0) return `unknown fields ${unknown.join(', ')}`;
  switch (body.msg_type) {
    case 'text':
      if (body.card !== undefined) return 'card is only for msg_type interactive';
      return isObject(body.content) && isText(body.content.text) ? undefined : 'content.text is required (content is an object)';
    case 'post':
      if (body.card !== undefined) return 'card is only for msg_type interactive';
      return isObject(body.content) ? feishuPostProblem(body.content.post, 'content.post') : 'content must be an object';
    case 'interactive':
      if (body.content !== undefined) return 'an interactive message carries card, not content';
      return feishuCardProblem(body.card, 'card');
    default:
      return `unsupported msg_type ${JSON.stringify(body.msg_type)}`;
  }
}

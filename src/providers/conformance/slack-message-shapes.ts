/**
 * What Slack accepts as a message payload (`text` and Block Kit `blocks`), checked as Slack
 * documents it; shared by the Slack test servers. Answers Slack's error word for the first
 * problem (`no_text`, `invalid_blocks`), or undefined when the payload is right.
 */

const isObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);
const characters = (text: string) => [...text].length;

function textObjectProblem(text: unknown, types: readonly string[], maxCharacters: number): boolean {
  return !isObject(text) || !types.includes(text.type) || typeof text.text !== 'string' || text.text.length === 0 || characters(text.text) > maxCharacters;
}

function blockProblem(block: unknown): boolean {
  if (!isObject(block)) return true;
  switch (block.type) {
    case 'header':
      return textObjectProblem(block.text, ['plain_text'], 150);
    case 'section':
      return textObjectProblem(block.text, ['mrkdwn', 'plain_text'], 3000);
    case 'divider':
      return Object.keys(block).some((key) => key !== 'type' && key !== 'block_id');
    case 'context':
      return !Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10 || block.elements.some((element: unknown) => textObjectProblem(element, ['mrkdwn', 'plain_text'], 3000));
    default:
      return true;
  }
}

/** `fields`: the payload's allowed top-level fields besides text and blocks. */
export function slackPayloadProblem(payload: unknown, otherFields: ReadonlySet<string> = new Set()): string | undefined {
  if (!isObject(payload)) return 'invalid_payload';
  if (Object.keys(payload).some((key) => key !== 'text' && key !== 'blocks' && !otherFields.has(key))) return 'invalid_payload';
  if (payload.text !== undefined && typeof payload.text !== 'string') return 'invalid_payload';
  if (payload.blocks !== undefined) {
    if (!Array.isArray(payload.blocks) || payload.blocks.length === 0 || payload.blocks.length > 50 || payload.blocks.some(blockProblem)) return 'invalid_blocks';
  }
  if (!payload.text && payload.blocks === undefined) return 'no_text';
  if (payload.text !== undefined && characters(payload.text) > 40_000) return 'msg_too_long';
  return undefined;
}

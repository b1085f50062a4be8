import { inlineText, type BlockNode, type MarkdownDocument } from '../markdown-document.ts';
import { formatSlackMrkdwn } from './slack-mrkdwn-formatter.ts';

/**
 * Slack Block Kit from the Markdown document: the title as a `header` block, then one
 * `section` (mrkdwn) per paragraph, heading, list, quote, code block or table, and a
 * `divider` for `---`. Within Slack's documented limits: header text ≤ 150 characters,
 * section text ≤ 3000 (longer blocks are split at a line break or space), ≤ 50 blocks (when
 * there would be more, neighbouring sections share a block; the renderer truncates the rest).
 */

export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji: true } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string } }
  | { type: 'divider' };

export const SLACK_MAX_BLOCKS = 50;
export const SLACK_MAX_SECTION_CHARACTERS = 3000;
export const SLACK_MAX_HEADER_CHARACTERS = 150;

const characterCount = (text: string) => [...text].length;

function cutToCharacters(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('').trimEnd()}…`;
}

/** Splits near the middle, preferring a line break, then a space, and never inside a surrogate pair. */
function splitInTwo(text: string): [string, string] {
  const middle = Math.floor(text.length / 2);
  for (const separator of ['\n', ' ']) {
    const before = text.lastIndexOf(separator, middle);
    const after = text.indexOf(separator, middle);
    const candidates = [before, after].filter((index) => index > 0 && index < text.length - 1);
    if (candidates.length > 0) {
      const at = candidates.reduce((best, index) => (Math.abs(index - middle) < Math.abs(best - middle) ? index : best));
      return [text.slice(0, at), text.slice(at + 1)];
    }
  }
  const low = text.charCodeAt(middle);
  const at = low >= 0xdc00 && low <= 0xdfff ? middle + 1 : middle;
  return [text.slice(0, at), text.slice(at)];
}

/** Section texts of at most 3000 characters; a code block is split into several fenced blocks, never through its fence. */
function sectionTexts(block: BlockNode): string[] {
  const render = (node: BlockNode) => formatSlackMrkdwn({ blocks: [node] });
  const fit = (node: BlockNode): string[] => {
    const text = render(node);
    if (characterCount(text) <= SLACK_MAX_SECTION_CHARACTERS) return text.trim() === '' ? [] : [text];
    if (node.type === 'code-block') return splitInTwo(node.code).flatMap((code) => fit({ ...node, code }));
    return fitText(text);
  };
  const fitText = (text: string): string[] =>
    characterCount(text) <= SLACK_MAX_SECTION_CHARACTERS ? (text.trim() === '' ? [] : [text]) : splitInTwo(text).flatMap(fitText);
  return fit(block);
}

const section = (text: string): SlackBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

/** Neighbouring sections joined into as few blocks as fit 3000 characters each; dividers stay where they are. */
function packSections(blocks: readonly SlackBlock[]): SlackBlock[] {
  const packed: SlackBlock[] = [];
  for (const block of blocks) {
    const previous = packed.at(-1);
    if (block.type === 'section' && previous?.type === 'section') {
      const joined = `${previous.text.text}\n\n${block.text.text}`;
      if (characterCount(joined) <= SLACK_MAX_SECTION_CHARACTERS) {
        packed[packed.length - 1] = section(joined);
        continue;
      }
    }
    packed.push(block);
  }
  return packed;
}

export function formatSlackBlocks(document: MarkdownDocument, input: { title: string }): SlackBlock[] {
  const title = input.title.trim();
  const [first, ...rest] = document.blocks;
  // The header already shows a first heading that repeats the title.
  const repeatsTitle = first?.type === 'heading' && inlineText(first.children).trim() === title;
  const body = (repeatsTitle ? rest : document.blocks).flatMap((block): SlackBlock[] =>
    block.type === 'rule' ? [{ type: 'divider' }] : sectionTexts(block).map(section),
  );
  const header: SlackBlock[] = title === '' ? [] : [{ type: 'header', text: { type: 'plain_text', text: cutToCharacters(title, SLACK_MAX_HEADER_CHARACTERS), emoji: true } }];
  if (header.length + body.length <= SLACK_MAX_BLOCKS) return [...header, ...body];
  const packed = packSections(body);
  if (header.length + packed.length <= SLACK_MAX_BLOCKS) return [...header, ...packed];
  // Dividers are only decoration: drop them before any content.
  return [...header, ...packSections(body.filter((block) => block.type !== 'divider'))];
}

/** The text the blocks show, for the channel's length rule (measured in the rule's unit). */
export function slackBlocksText(blocks: readonly SlackBlock[]): string {
  return blocks.map((block) => (block.type === 'divider' ? '' : block.text.text)).join('');
}

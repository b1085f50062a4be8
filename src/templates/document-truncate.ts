import type { BlockNode, InlineNode, MarkdownDocument } from './markdown-document.ts';

/**
 * Truncation on the document, not on rendered output: cutting the tree keeps every
 * dialect well formed (a cut inside `*bold*` still closes it, which matters for
 * Telegram, whose API rejects broken entities). Lengths count grapheme clusters, so a
 * cut never splits a character, a surrogate pair or an emoji sequence.
 */
export const ELLIPSIS = '…';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (segment) => segment.segment);
}

/** Visible characters in the document; breaks, rules and images count one. */
export function documentLength(document: MarkdownDocument): number {
  let length = 0;
  const countInlines = (nodes: readonly InlineNode[]) => {
    for (const node of nodes) {
      if (node.type === 'text') length += graphemes(node.text).length;
      else if (node.type === 'code') length += graphemes(node.code).length;
      else if (node.type === 'break' || node.type === 'image') length += 1;
      else countInlines(node.children);
    }
  };
  const countBlocks = (blocks: readonly BlockNode[]) => {
    for (const block of blocks) {
      switch (block.type) {
        case 'heading':
        case 'paragraph':
          countInlines(block.children);
          break;
        case 'list':
          block.items.forEach(countBlocks);
          break;
        case 'quote':
          countBlocks(block.children);
          break;
        case 'code-block':
          length += graphemes(block.code).length;
          break;
        case 'rule':
          length += 1;
          break;
        case 'table':
          block.header.forEach(countInlines);
          block.rows.forEach((row) => row.forEach(countInlines));
      }
    }
  };
  countBlocks(document.blocks);
  return length;
}

/**
 * Keeps the first `keep` visible characters; when anything is dropped, "…" marks the
 * cut. Containers left empty disappear.
 */
export function truncateDocument(document: MarkdownDocument, keep: number): MarkdownDocument {
  let remaining = keep;
  let cut = false;

  /** The part of `text` that fits, ending in the ellipsis when it is cut. Undefined once cut. */
  const take = (text: string): string | undefined => {
    if (cut) return undefined;
    const parts = graphemes(text);
    if (parts.length <= remaining) {
      remaining -= parts.length;
      return text;
    }
    cut = true;
    return parts.slice(0, remaining).join('').trimEnd() + ELLIPSIS;
  };
  /** Whether a one-character node (break, rule, image) fits; if not, the cut happens here. */
  const fitsAtom = (): boolean => {
    if (cut || remaining < 1) return false;
    remaining -= 1;
    return true;
  };
  const ellipsisHere = (): boolean => {
    if (cut) return false;
    cut = true;
    return true;
  };

  const inlines = (nodes: readonly InlineNode[]): InlineNode[] => {
    const kept: InlineNode[] = [];
    for (const node of nodes) {
      if (cut) break;
      switch (node.type) {
        case 'text': {
          const text = take(node.text);
          if (text) kept.push({ type: 'text', text });
          break;
        }
        case 'code': {
          const code = take(node.code);
          if (code) kept.push({ type: 'code', code });
          break;
        }
        case 'break':
        case 'image':
          if (fitsAtom()) kept.push(node);
          else if (ellipsisHere()) kept.push({ type: 'text', text: ELLIPSIS });
          break;
        default: {
          const children = inlines(node.children);
          if (children.length > 0) kept.push({ ...node, children });
        }
      }
    }
    return kept;
  };

  const blocks = (nodes: readonly BlockNode[]): BlockNode[] => {
    const kept: BlockNode[] = [];
    for (const block of nodes) {
      if (cut) break;
      const truncated = truncateBlock(block);
      if (truncated) kept.push(truncated);
    }
    return kept;
  };

  const truncateBlock = (block: BlockNode): BlockNode | undefined => {
    switch (block.type) {
      case 'heading':
      case 'paragraph': {
        const children = inlines(block.children);
        return children.length > 0 ? { ...block, children } : undefined;
      }
      case 'list': {
        const items: BlockNode[][] = [];
        for (const item of block.items) {
          if (cut) break;
          const kept = blocks(item);
          if (kept.length > 0) items.push(kept);
        }
        return items.length > 0 ? { ...block, items } : undefined;
      }
      case 'quote': {
        const children = blocks(block.children);
        return children.length > 0 ? { ...block, children } : undefined;
      }
      case 'code-block': {
        const code = take(block.code);
        return code ? { ...block, code } : undefined;
      }
      case 'rule':
        if (fitsAtom()) return block;
        return ellipsisHere() ? { type: 'paragraph', children: [{ type: 'text', text: ELLIPSIS }] } : undefined;
      case 'table': {
        const header = block.header.map(inlines);
        const rows: InlineNode[][][] = [];
        for (const row of block.rows) {
          if (cut) break;
          rows.push(row.map(inlines));
        }
        return header.some((cell) => cell.length > 0) ? { ...block, header, rows } : undefined;
      }
    }
  };

  return { blocks: blocks(document.blocks) };
}

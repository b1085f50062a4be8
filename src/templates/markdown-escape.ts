/**
 * Backslash escapes that make text literal in CommonMark (and the dialects built on it).
 * They escape only what can start formatting, so output stays readable in clients
 * that render escapes loosely.
 */

/** Characters that start inline formatting anywhere; `_` only at a word edge (intraword `_` is literal). */
const INLINE_SPECIAL = /[\\`*[\]<|~]|&(?=#?[A-Za-z0-9]+;)|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu;
/**
 * Only for values: `)` would close a link destination around `[text]({{ url }})`, and
 * GFM autolinks (`https://…`, `www.…`, `a@b.c`) would turn data into links, swallowing
 * the escapes around them.
 */
const VALUE_SPECIAL = /[()]|:(?=\/\/)|(?<=\bwww)\.|@(?=[\w-])/gi;
/** `1. ` / `1) ` opens an ordered list only when followed by a space or the line end ("1.5" stays). */
const ORDERED_LIST_START = /^( {0,3})(\d{1,9})([.)])(?=[ \t]|$)/gm;
/** `>` always quotes; `#`, `-`, `+` need a space or the line end; a line of only `-`/`=` is a rule or setext underline. */
const BLOCK_START = /^( {0,3})(>|#(?=#{0,5}(?:[ \t]|$))|[-+](?=[ \t]|$)|[-=](?=[-= \t]*$))/gm;

/** Escapes characters that start inline formatting. */
export function escapeMarkdownInline(text: string): string {
  return text.replace(INLINE_SPECIAL, '\\$&');
}

/** Escapes what would start a block (heading, quote, list, setext underline) at the start of any line of `text`. */
export function escapeMarkdownLineStarts(text: string): string {
  return text.replace(ORDERED_LIST_START, '$1$2\\$3').replace(BLOCK_START, '$1\\$2');
}

/**
 * Escapes a Liquid output value placed into Markdown source. The value may land at
 * the start of a line or inside a link destination, so both are covered.
 */
export function escapeMarkdownValue(value: string): string {
  return escapeMarkdownLineStarts(escapeMarkdownInline(value).replace(VALUE_SPECIAL, '\\$&'));
}

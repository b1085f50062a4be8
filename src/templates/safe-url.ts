import { SAFE_LINK_SCHEMES } from './html-sanitize.ts';

/**
 * Returns the URL, normalised (no whitespace or control characters, spaces and quotes
 * percent-encoded), when it is absolute and uses an allowed scheme; else undefined.
 * Relative URLs are refused too: a message is read far from the site it came from.
 */
export function safeUrl(candidate: string, schemes: readonly string[] = SAFE_LINK_SCHEMES): string | undefined {
  const trimmed = candidate.trim();
  if (!URL.canParse(trimmed)) return undefined;
  const url = new URL(trimmed);
  return schemes.includes(url.protocol.slice(0, -1)) ? url.href : undefined;
}

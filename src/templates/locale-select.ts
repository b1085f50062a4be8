/**
 * Chooses the locale variant for a receiver: the exact tag, then ever shorter
 * prefixes of it (`zh-Hant-TW` → `zh-Hant` → `zh`), then any variant of the same
 * language (`zh-TW` reads a `zh-CN` variant rather than another language), else the
 * default content. The template's `defaultLocale` competes like a variant, so an
 * English receiver of an English default does not get an `en-GB` variant by accident.
 * Tags compare case-insensitively; `_` is read as `-` (`zh_CN`).
 *
 * Returns the variant tag as written in the template, or undefined for the default content.
 */
export function selectLocale(input: {
  requested: string | undefined;
  variants: readonly string[];
  defaultLocale?: string;
}): string | undefined {
  if (!input.requested) return undefined;
  const candidates = new Map<string, string | undefined>();
  for (const tag of input.variants) candidates.set(normalise(tag), tag);
  // Added last so that a variant with the same tag as the default content wins.
  const defaultTag = input.defaultLocale ? normalise(input.defaultLocale) : undefined;
  if (defaultTag && !candidates.has(defaultTag)) candidates.set(defaultTag, undefined);

  const subtags = normalise(input.requested).split('-');
  for (let length = subtags.length; length > 0; length--) {
    const prefix = subtags.slice(0, length).join('-');
    if (candidates.has(prefix)) return candidates.get(prefix);
  }
  const language = subtags[0];
  for (const [tag, variant] of candidates) {
    if (tag.split('-')[0] === language) return variant;
  }
  return undefined;
}

function normalise(tag: string): string {
  return tag.trim().replace(/_/g, '-').toLowerCase();
}

import { ADDRESS_KINDS, normalizeAddress, type AddressKind } from '../../channels/address-kinds.ts';
import { invalid } from '../../errors.ts';
import { canonicalTimeZone } from '../../zoned-time.ts';

/**
 * Checks and normalises the fields of a subscriber. Free of Node.js APIs: the console's subscriber
 * form runs the same checks before sending. Every error names the field by its
 * full path (`items[3].addresses.email` in a bulk call), so the caller can fix it directly.
 */

export type SubscriberAddresses = Partial<Record<AddressKind, string>>;

/**
 * The kinds a subscriber's `addresses` hold: browsers register their push subscriptions themselves
 * (/push-subscriptions), several per subscriber; a subscriber's inbox is its external id.
 */
export const SUBSCRIBER_ADDRESS_KINDS = ADDRESS_KINDS.filter((kind) => kind !== 'pushSubscription' && kind !== 'subscriberId');

export const MAX_EXTERNAL_ID_LENGTH = 128;
export const MAX_ADDRESS_LENGTH = 254;
export const MAX_LOCALE_LENGTH = 35;
/** JSON size of `data`: it rides along with every delivery to the template renderer. */
export const MAX_DATA_BYTES = 16_384;

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function checkExternalId(externalId: string, field: string): void {
  if (externalId === '' || externalId.length > MAX_EXTERNAL_ID_LENGTH || CONTROL_CHARACTERS.test(externalId)) {
    throw invalid('SUBSCRIBER_EXTERNAL_ID_INVALID', `${field}: expected 1-${MAX_EXTERNAL_ID_LENGTH} characters without control characters`, { field });
  }
}

/** The addresses as stored: each checked, phone numbers in E.164. */
export function normalizeAddresses(addresses: SubscriberAddresses, field: string): SubscriberAddresses {
  const normalized: SubscriberAddresses = {};
  for (const kind of SUBSCRIBER_ADDRESS_KINDS) {
    const value = addresses[kind];
    if (value !== undefined) normalized[kind] = normalizeAddress(kind, value, `${field}.${kind}`);
  }
  return normalized;
}

/** A BCP 47 language tag in its canonical spelling (`zh-cn` → `zh-CN`). */
export function normaliseLocale(locale: string, field: string): string {
  try {
    if (locale.length <= MAX_LOCALE_LENGTH) return Intl.getCanonicalLocales(locale)[0]!;
  } catch {
    // Falls through to the error below.
  }
  throw invalid('SUBSCRIBER_LOCALE_INVALID', `${field}: "${locale}" is not a BCP 47 language tag like en, zh-CN or pt-BR`, { field });
}

/** An IANA time zone in its canonical spelling (`asia/shanghai` → `Asia/Shanghai`). */
export function normaliseTimezone(timezone: string, field: string): string {
  const canonical = canonicalTimeZone(timezone);
  if (canonical === undefined) throw invalid('SUBSCRIBER_TIMEZONE_INVALID', `${field}: "${timezone}" is not an IANA time zone like Asia/Shanghai or Europe/Berlin`, { field });
  return canonical;
}

export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 64;

/** Tags as stored: each 1-64 characters without control characters, duplicates dropped, sorted. */
export function normaliseTags(tags: readonly string[], field: string): string[] {
  if (tags.length > MAX_TAGS) throw invalid('SUBSCRIBER_TAGS_TOO_MANY', `${field}: at most ${MAX_TAGS} tags`, { field });
  for (const tag of tags) {
    if (tag === '' || tag.length > MAX_TAG_LENGTH || CONTROL_CHARACTERS.test(tag)) {
      throw invalid('SUBSCRIBER_TAG_INVALID', `${field}: "${tag}" is not a tag; expected 1-${MAX_TAG_LENGTH} characters without control characters`, { field });
    }
  }
  return [...new Set(tags)].sort();
}

/** The JSON text of `data`, checked against the size limit. */
export function serialiseData(data: Record<string, unknown>, field: string): string {
  const json = JSON.stringify(data);
  // TextEncoder rather than Buffer: the console checks the same limit in the browser.
  if (new TextEncoder().encode(json).length > MAX_DATA_BYTES) {
    throw invalid('SUBSCRIBER_DATA_TOO_LARGE', `${field}: the custom data is larger than ${MAX_DATA_BYTES} bytes of JSON; keep large content out of subscriber profiles`, {
      field,
    });
  }
  return json;
}

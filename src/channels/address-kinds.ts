import type * as libphonenumberModule from 'libphonenumber-js/min';
import { lazyRequire } from '../lazy-require.ts';
import { invalid } from '../errors.ts';

/**
 * The addresses a per-recipient provider sends to. A kind's name is also the field that
 * carries it, both in a send's receiver (`{ "phone": "+8613800138000" }`) and in a
 * subscriber's `addresses`; each channel that sends to addresses names its kind in the
 * channel catalog. A new kind is one entry here.
 */

export interface AddressKindSpec {
  /** Longest value the send API's receiver schema accepts; `normalize` may be stricter. */
  readonly maxLength: number;
  /**
   * The address as it is stored and sent (a phone number in E.164), or throws
   * HeraldError('invalid', ...) naming `field` (its full request path) when `value` is not such an address.
   */
  normalize(value: string, field: string): string;
}

const MAX_EMAIL_LENGTH = 254;
const MAX_PROVIDER_USER_ID_LENGTH = 128;
const EMAIL_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;
/** How people write international numbers: a plus, then digits with spaces, dashes, dots or brackets between them. */
const WRITTEN_PHONE = /^\+[\d\s().-]+$/;
const MAX_WRITTEN_PHONE_LENGTH = 32;
const PHONE_PROBLEMS: Record<string, string> = {
  INVALID_COUNTRY: 'its country calling code is unknown',
  NOT_A_NUMBER: 'it is not a phone number',
  TOO_SHORT: 'it is too short',
  TOO_LONG: 'it is too long',
  INVALID_LENGTH: 'it has a length no number of its country has',
};

/** A Telegram chat: a numeric id (negative for groups, -100… for supergroups and channels) or a public `@username` (5-32 characters). */
const TELEGRAM_CHAT_ID = /^(-?[1-9]\d{0,15}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;

/** Strict enough to catch typos and header injection (SMTP recipients and senders use it too). */
export const isEmailAddress = (value: string) => EMAIL_ADDRESS.test(value);

/** A user id on an IM or WeChat platform: opaque, so only its shape is checked. */
const providerUserId: AddressKindSpec = {
  maxLength: MAX_PROVIDER_USER_ID_LENGTH,
  normalize(value, field) {
    if (value === '' || value.length > MAX_PROVIDER_USER_ID_LENGTH || WHITESPACE_OR_CONTROL.test(value)) {
      throw invalid('ADDRESS_INVALID', `${field}: expected 1-${MAX_PROVIDER_USER_ID_LENGTH} characters without spaces or control characters`, { field });
    }
    return value;
  },
};

/**
 * A phone number in E.164 (`+86 138-0013-8000` → `+8613800138000`), read with libphonenumber-js.
 * Its `min` metadata checks the country calling code and the lengths each country's numbers
 * have, not which prefixes are allocated: a number allocated after the metadata was built is
 * never refused, and the vendor still refuses a number nobody has.
 */
/** Loaded on the first phone number: its metadata costs ~10 MiB of RSS to load, which a process that never reads a phone number keeps. */
const libphonenumber = lazyRequire<typeof libphonenumberModule>('libphonenumber-js/min');

export function normalizePhoneNumber(value: string, field: string): string {
  const refuse = (why: string) =>
    invalid('PHONE_INVALID', `${field}: "${value}" is not a phone number Herald can send to: ${why}. write + and the country code, e.g. +8613800138000 (spaces and dashes may separate the digits)`, {
      field,
    });
  if (value.length > MAX_WRITTEN_PHONE_LENGTH || !WRITTEN_PHONE.test(value)) {
    throw refuse(value.startsWith('+') ? 'only digits, spaces, dashes, dots and brackets may follow the +' : 'it does not start with + and a country code');
  }
  const { parsePhoneNumberWithError, ParseError, validatePhoneNumberLength } = libphonenumber();
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(value);
  } catch (error) {
    if (error instanceof ParseError) throw refuse(PHONE_PROBLEMS[error.message] ?? error.message);
    throw error;
  }
  if (!parsed.isValid()) {
    const lengthProblem = validatePhoneNumberLength(value);
    throw refuse(lengthProblem ? (PHONE_PROBLEMS[lengthProblem] ?? lengthProblem) : `it is not a valid number of ${parsed.country ?? `country code +${parsed.countryCallingCode}`}`);
  }
  return parsed.number;
}

/** An id of a fixed shape, kept as written; `problem` completes "<field>: "<value>" ...". */
function matching(pattern: RegExp, maxLength: number, code: string, problem: string): AddressKindSpec {
  return {
    maxLength,
    normalize(value, field) {
      if (!pattern.test(value)) throw invalid(code, `${field}: "${value}" ${problem}`, { field });
      return value;
    },
  };
}

const addressKinds = {
  email: {
    maxLength: MAX_EMAIL_LENGTH,
    normalize(value, field) {
      if (value.length > MAX_EMAIL_LENGTH || !isEmailAddress(value)) {
        throw invalid('EMAIL_INVALID', `${field}: "${value}" is not an e-mail address like user@example.com`, { field });
      }
      return value;
    },
  },
  phone: { maxLength: MAX_WRITTEN_PHONE_LENGTH, normalize: normalizePhoneNumber },
  wecomUserId: providerUserId,
  dingtalkUserId: providerUserId,
  feishuOpenId: providerUserId,
  wechatOpenId: providerUserId,
  miniProgramOpenId: providerUserId,
  telegramChatId: matching(TELEGRAM_CHAT_ID, 33, 'ADDRESS_INVALID', 'is not a Telegram chat id; write the numeric id (e.g. 123456789, or -1001234567890 for a group) or @channelusername'),
  /** Where chat.postMessage posts: a channel (C.., G..), a DM (D..) or a user (U.., W..: Slack opens the DM). */
  slackChannelId: matching(/^[CDGUW][A-Z0-9]{2,31}$/, 32, 'SLACK_CHANNEL_ID_INVALID', 'is not a Slack channel or user id like C0123456789 or U0123456789'),
  /** A browser's Web Push subscription, by the id Herald gave it (`wps_...`); a subscriber's are those registered under its push-subscriptions. */
  pushSubscription: matching(
    /^wps_[0-9a-hjkmnp-tv-z]{26}$/,
    30,
    'PUSH_SUBSCRIPTION_ID_INVALID',
    'is not a push subscription id like wps_01jh...; see /v1/subscribers/{externalId}/push-subscriptions',
  ),
  /** An inbox, named by the app's own id for its user: a subscriber's external id (a subscriber needs no stored address for it). */
  subscriberId: providerUserId,
} as const satisfies Record<string, AddressKindSpec>;

export type AddressKind = keyof typeof addressKinds;

export const ADDRESS_KIND_CATALOG: { readonly [Kind in AddressKind]: AddressKindSpec } = addressKinds;

/** In catalog order, which is also the order of the receiver schema's alternatives. */
export const ADDRESS_KINDS = Object.keys(addressKinds) as AddressKind[];

/** The address as stored and sent; throws HeraldError('invalid', ...) naming `field` when it is none of this kind. */
export function normalizeAddress(kind: AddressKind, value: string, field: string): string {
  return ADDRESS_KIND_CATALOG[kind].normalize(value, field);
}

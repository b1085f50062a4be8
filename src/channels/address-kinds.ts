import { invalid } from '../errors.ts';

/**
 * The addresses a per-recipient provider sends to. A kind's name is also the field that
 * carries it, both in a send's receiver (`{ "phone": "+8613800138000" }`) and in a
 * subscriber's `addresses`; each channel that sends to addresses names its kind in the
 * channel catalog. A new kind is one entry here.
 */

export interface AddressKindSpec {
  /** Longest value the send API's receiver schema accepts; `check` may be stricter. */
  readonly maxLength: number;
  /** Throws HeraldError('invalid', ...) naming `field` (its full request path) when `value` is not such an address. */
  check(value: string, field: string): void;
}

const MAX_EMAIL_LENGTH = 254;
const MAX_PROVIDER_USER_ID_LENGTH = 128;
const EMAIL_ADDRESS = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+$/;
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;
/** E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
const E164_PHONE = /^\+[1-9]\d{6,14}$/;

/** A Telegram chat: a numeric id (negative for groups, -100… for supergroups and channels) or a public `@username` (5-32 characters). */
const TELEGRAM_CHAT_ID = /^(-?[1-9]\d{0,15}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;

/** Strict enough to catch typos and header injection (SMTP recipients and senders use it too). */
export const isEmailAddress = (value: string) => EMAIL_ADDRESS.test(value);

/** A user id on an IM or WeChat platform: opaque, so only its shape is checked. */
const providerUserId: AddressKindSpec = {
  maxLength: MAX_PROVIDER_USER_ID_LENGTH,
  check(value, field) {
    if (value === '' || value.length > MAX_PROVIDER_USER_ID_LENGTH || WHITESPACE_OR_CONTROL.test(value)) {
      throw invalid('ADDRESS_INVALID', `${field}: expected 1-${MAX_PROVIDER_USER_ID_LENGTH} characters without spaces or control characters`, { field });
    }
  },
};

const addressKinds = {
  email: {
    maxLength: MAX_EMAIL_LENGTH,
    check(value, field) {
      if (value.length > MAX_EMAIL_LENGTH || !isEmailAddress(value)) {
        throw invalid('EMAIL_INVALID', `${field}: "${value}" is not an e-mail address like user@example.com`, { field });
      }
    },
  },
  phone: {
    maxLength: 32,
    check(value, field) {
      if (!E164_PHONE.test(value)) {
        throw invalid('PHONE_INVALID', `${field}: "${value}" is not an E.164 number; write + and the country code, without spaces, e.g. +8613800138000`, {
          field,
        });
      }
    },
  },
  wecomUserId: providerUserId,
  dingtalkUserId: providerUserId,
  feishuOpenId: providerUserId,
  wechatOpenId: providerUserId,
  miniProgramOpenId: providerUserId,
  telegramChatId: {
    maxLength: 33,
    check(value, field) {
      if (!TELEGRAM_CHAT_ID.test(value)) {
        throw invalid('ADDRESS_INVALID', `${field}: "${value}" is not a Telegram chat id; write the numeric id (e.g. 123456789, or -1001234567890 for a group) or @channelusername`, {
          field,
        });
      }
    },
  },
  /** Where chat.postMessage posts: a channel (C.., G..), a DM (D..) or a user (U.., W..: Slack opens the DM). */
  slackChannelId: {
    maxLength: 32,
    check(value, field) {
      if (!/^[CDGUW][A-Z0-9]{2,31}$/.test(value)) {
        throw invalid('SLACK_CHANNEL_ID_INVALID', `${field}: "${value}" is not a Slack channel or user id like C0123456789 or U0123456789`, { field });
      }
    },
  },
  /** A browser's Web Push subscription, by the id Herald gave it (`wps_...`); a subscriber's are those registered under its push-subscriptions. */
  pushSubscription: {
    maxLength: 30,
    check(value, field) {
      if (!/^wps_[0-9a-hjkmnp-tv-z]{26}$/.test(value)) {
        throw invalid('PUSH_SUBSCRIPTION_ID_INVALID', `${field}: "${value}" is not a push subscription id like wps_01jh...; see /v1/subscribers/{externalId}/push-subscriptions`, { field });
      }
    },
  },
} as const satisfies Record<string, AddressKindSpec>;

export type AddressKind = keyof typeof addressKinds;

export const ADDRESS_KIND_CATALOG: { readonly [Kind in AddressKind]: AddressKindSpec } = addressKinds;

/** In catalog order, which is also the order of the receiver schema's alternatives. */
export const ADDRESS_KINDS = Object.keys(addressKinds) as AddressKind[];

export function checkAddress(kind: AddressKind, value: string, field: string): void {
  ADDRESS_KIND_CATALOG[kind].check(value, field);
}

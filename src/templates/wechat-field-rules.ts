import { unprocessable, type HeraldError } from '../errors.ts';
import type { TemplateContent } from './template-content.ts';

/**
 * What WeChat accepts in template data, checked when a template is saved (literal values)
 * and when a message is rendered (every value), so a message the platform would refuse
 * (47003 `data.thing1.value invalid`) or silently cut is refused with a 422 instead.
 *
 * Mini-program subscribe messages: the value rules by key type, the key name minus its
 * number (`thing1` → thing). Keys of a type not listed here (`enum`, or types WeChat adds
 * later) are accepted: the templates are the platform's and only it knows their values.
 *
 * Official-account template messages, as displayed since 2023-05-04: `first` and `remark`
 * are no longer shown, so those keys are refused (what they carry would be lost); a keyword
 * value shows at most 20 characters on one line, so a longer value or a line break is
 * refused rather than cut by the platform. Empty values pass: a keyword may be blank.
 */

export interface FieldRuleProblem {
  /** The rule broken: the key type (`thing`, `amount`) or `template-message`. */
  rule: string;
  /** What is wrong with the value, for the error message. */
  problem: string;
}

const HAN = /\p{Script=Han}/u;
const LINE_BREAK = /[\r\n\u2028\u2029]/;
/** Characters, not UTF-16 units: a 汉字 or an emoji counts as one, as WeChat counts. */
const lengthOf = (value: string) => [...value].length;
const isSymbol = (char: string) => /^[\p{P}\p{S}]$/u.test(char);

const HOUR_MINUTE = String.raw`(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?`;
const DAY = String.raw`\d{4}(?:年(?:0?[1-9]|1[0-2])月(?:0?[1-9]|[12]\d|3[01])日|(?<sep>[-/.])(?:0?[1-9]|1[0-2])\k<sep>(?:0?[1-9]|[12]\d|3[01]))`;
const TIME_PATTERN = rangeOf(`(?:${DAY}\\s*)?${HOUR_MINUTE}`);
const DATE_PATTERN = rangeOf(`${DAY}(?:\\s*${HOUR_MINUTE})?`);

/** One value, or a range of two joined with `~`; each half is matched on its own. */
function rangeOf(single: string): (value: string) => boolean {
  const one = new RegExp(`^${single}$`, 'u');
  return (value) => {
    const parts = value.split(/\s*~\s*/);
    return parts.length <= 2 && parts.every((part) => one.test(part));
  };
}

type ValueRule = { describe: string; check(value: string): string | undefined };

const upTo = (max: number, value: string, what: string) => (lengthOf(value) > max ? `is ${lengthOf(value)} characters; at most ${max} ${what} are allowed` : undefined);

/** The subscribe-message value rules by key type, as the mini-program documentation states them. */
export const MINIPROGRAM_VALUE_RULES: Readonly<Record<string, ValueRule>> = {
  thing: { describe: 'at most 20 characters', check: (value) => upTo(20, value, 'characters') },
  number: {
    describe: 'at most 32 digits, decimals allowed',
    check: (value) =>
      !/^\d+(?:\.\d+)?$/.test(value) ? 'must be digits, with an optional decimal part' : value.replace('.', '').length > 32 ? 'has more than 32 digits' : undefined,
  },
  letter: { describe: 'at most 32 letters', check: (value) => (!/^[A-Za-z]+$/.test(value) ? 'must be letters only' : upTo(32, value, 'letters')) },
  symbol: { describe: 'at most 5 symbols', check: (value) => ([...value].every(isSymbol) ? upTo(5, value, 'symbols') : 'must be symbols only') },
  character_string: {
    describe: 'at most 32 digits, letters or symbols',
    check: (value) => ([...value].every((char) => /^[A-Za-z0-9]$/.test(char) || isSymbol(char)) ? upTo(32, value, 'characters') : 'must be digits, letters or symbols only (no 汉字, no spaces)'),
  },
  time: {
    describe: '24-hour time, optionally after a date (15:01, 2019年10月1日 15:01); a range joins two with ~',
    check: (value) => (TIME_PATTERN(value) ? undefined : 'is not a 24-hour time such as 15:01 or 2019年10月1日 15:01'),
  },
  date: {
    describe: 'a date, optionally followed by a time (2019年10月1日, 2019年10月1日 15:01); a range joins two with ~',
    check: (value) => (DATE_PATTERN(value) ? undefined : 'is not a date such as 2019年10月1日 or 2019-10-01 15:01'),
  },
  amount: {
    describe: 'an optional currency sign and at most 10 digits, decimals allowed, optionally ending with 元',
    check: (value) => {
      const match = /^\p{Sc}?(\d+)(?:\.\d+)?元?$/u.exec(value);
      if (!match) return 'must be a currency sign and a plain number such as ¥1299.50 or 1299.50元 (no thousands separators)';
      return match[1].length > 10 ? 'has more than 10 digits' : undefined;
    },
  },
  phone_number: {
    describe: 'at most 17 digits and symbols (+86-0766-66888866)',
    check: (value) => ([...value].every((char) => /^\d$/.test(char) || isSymbol(char)) && /\d/.test(value) ? upTo(17, value, 'characters') : 'must be digits and symbols only'),
  },
  car_number: {
    describe: 'at most 8 characters: letters and digits, the first and last may be 汉字 (粤A8Z888挂)',
    check: (value) => {
      const chars = [...value];
      const fits = chars.every((char, index) => /^[A-Za-z0-9]$/.test(char) || (HAN.test(char) && (index === 0 || index === chars.length - 1)));
      return fits ? upTo(8, value, 'characters') : 'must be letters and digits, with 汉字 only first or last';
    },
  },
  name: {
    describe: 'at most 10 汉字, or at most 20 letters and symbols (mixed counts as Chinese)',
    check: (value) => {
      if (!/^[\p{L}\p{P}\p{S} ]+$/u.test(value)) return 'must be 汉字, letters or symbols only';
      return HAN.test(value) ? upTo(10, value, 'characters with 汉字') : upTo(20, value, 'letters and symbols');
    },
  },
  phrase: { describe: 'at most 5 汉字', check: (value) => (/^\p{Script=Han}+$/u.test(value) ? upTo(5, value, '汉字') : 'must be 汉字 only') },
};

/** `thing1` → `thing`, `character_string12` → `character_string`; undefined for a key without a number. */
export function miniprogramKeyType(key: string): string | undefined {
  return /^([A-Za-z_]+?)\d+$/.exec(key)?.[1];
}

/** The rule a subscribe-message value breaks, or undefined (also for key types the table does not know). */
export function checkMiniprogramValue(key: string, value: string): FieldRuleProblem | undefined {
  const type = miniprogramKeyType(key);
  const rule = type === undefined ? undefined : Object.hasOwn(MINIPROGRAM_VALUE_RULES, type) ? MINIPROGRAM_VALUE_RULES[type] : undefined;
  if (!rule) return undefined;
  if (value.trim() === '') return { rule: `${type} (${rule.describe})`, problem: 'is empty; WeChat refuses empty values' };
  const problem = rule.check(value);
  return problem ? { rule: `${type} (${rule.describe})`, problem } : undefined;
}

/** Keys official-account templates no longer show (2023-05-04). */
const HIDDEN_TEMPLATE_KEYS = new Set(['first', 'remark']);
const TEMPLATE_MESSAGE_RULE = 'template-message (keyword values show at most 20 characters on one line; first and remark are not shown)';

/** A key the template message no longer shows, whatever its value. */
export function checkWechatTemplateKey(key: string): FieldRuleProblem | undefined {
  return HIDDEN_TEMPLATE_KEYS.has(key)
    ? { rule: TEMPLATE_MESSAGE_RULE, problem: `is not shown since 2023-05-04; put what matters into the keyword fields` }
    : undefined;
}

/** The rule a template-message value breaks, or undefined. */
export function checkWechatTemplateValue(key: string, value: string): FieldRuleProblem | undefined {
  const hidden = checkWechatTemplateKey(key);
  if (hidden) return hidden;
  if (LINE_BREAK.test(value)) return { rule: TEMPLATE_MESSAGE_RULE, problem: 'contains a line break, which WeChat removes' };
  if (lengthOf(value) > 20) return { rule: TEMPLATE_MESSAGE_RULE, problem: `is ${lengthOf(value)} characters; WeChat shows only the first 20` };
  return undefined;
}

export type WechatDataChannel = 'wechat' | 'miniprogram';

const checkerOf: Record<WechatDataChannel, (key: string, value: string) => FieldRuleProblem | undefined> = {
  wechat: checkWechatTemplateValue,
  miniprogram: checkMiniprogramValue,
};

/** 422 TEMPLATE_FIELD_INVALID naming the field path, the rule and the value's problem. */
export function templateFieldInvalid(templateCode: string, field: string, value: string, { rule, problem }: FieldRuleProblem): HeraldError {
  const shown = lengthOf(value) > 60 ? `${[...value].slice(0, 60).join('')}…` : value;
  return unprocessable(
    'TEMPLATE_FIELD_INVALID',
    `Template "${templateCode}" gives ${field} the value ${JSON.stringify(shown)}, which ${problem}. Rule: ${rule}.`,
    { templateCode, field, rule },
  );
}

/** Accept time: the rendered data of one channel, every value. */
export function checkRenderedWechatData(channel: WechatDataChannel, templateCode: string, data: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(data)) {
    const problem = checkerOf[channel](key, value);
    if (problem) throw templateFieldInvalid(templateCode, `channels.${channel}.data.${key}`, value, problem);
  }
}

const hasLiquidMarkup = (source: string) => /\{\{|\{%/.test(source);

/**
 * Save time: the data of both WeChat channels, in the default content and each locale
 * variant. A value without Liquid markup renders to itself, so it is checked as it is;
 * values with markup wait for the example render and for each message. Keys are checked
 * either way. Fields are named from the request root: `content.locales.en.channels.wechat.data.first`.
 */
export function checkWechatDataAtSave(templateCode: string, content: TemplateContent): void {
  type WechatData = { wechat?: { data?: Record<string, string> }; miniprogram?: { data?: Record<string, string> } } | undefined;
  const parts: Array<[string, WechatData]> = [
    ['content', content.channels],
    ...Object.entries(content.locales ?? {}).map(([tag, variant]): [string, WechatData] => [`content.locales.${tag}`, variant.channels]),
  ];
  for (const [root, channels] of parts) {
    for (const channel of ['wechat', 'miniprogram'] as const) {
      for (const [key, source] of Object.entries(channels?.[channel]?.data ?? {})) {
        const field = `${root}.channels.${channel}.data.${key}`;
        const keyProblem = channel === 'wechat' ? checkWechatTemplateKey(key) : undefined;
        const problem = keyProblem ?? (hasLiquidMarkup(source) ? undefined : checkerOf[channel](key, source));
        if (problem) throw templateFieldInvalid(templateCode, field, source, problem);
      }
    }
  }
}

import type { TemplateContent } from './template-content.ts';
import { templateFieldInvalid, type FieldRuleProblem } from './wechat-field-rules.ts';

/**
 * What the Chinese SMS vendors accept in a template's SMS override, checked when a template
 * is saved (literal values) and when a message is rendered (every value), so a send the
 * vendor would refuse is a 422 naming the field instead of a failed delivery. The override
 * is vendor-neutral, so each rule holds for both Aliyun and Tencent:
 *
 * - templateCode: Aliyun codes are `SMS_` and digits (SMS_154950909), Tencent template ids
 *   are digits (449739); anything else is no registered template.
 * - params names: Aliyun `${name}` variables are letters, digits and underscores; Tencent's
 *   `{1}` are digits.
 * - params values: not empty (Aliyun: 变量内容不能为空); at most 35 characters, Aliyun's cap
 *   for notification variables since 2018-01-10 (verification-code variables are 4-6, but
 *   the template's type is the vendor's to know); no links, which both vendors refuse in
 *   variables (Aliyun: links only in the template's fixed text; Tencent
 *   InvalidParameterValue.ProhibitedUseUrlInTemplateParameter).
 * - signName: a literal without line breaks or control characters.
 */

const TEMPLATE_CODE = /^(?:SMS_\d{1,20}|\d{1,20})$/;
const PARAM_NAME = /^[A-Za-z0-9_]{1,64}$/;
const PARAM_MAX_CHARACTERS = 35;
const LINK = /https?:\/\/|\bwww\./i;
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/;

const TEMPLATE_CODE_RULE = 'sms-template-code (Aliyun SMS_ and digits, or Tencent digits)';
const PARAM_NAME_RULE = 'sms-param-name (letters, digits and _, at most 64)';
const PARAM_VALUE_RULE = `sms-param-value (1-${PARAM_MAX_CHARACTERS} characters, no links)`;
const SIGN_NAME_RULE = 'sms-sign-name (no line breaks or control characters)';

export function checkSmsTemplateCode(code: string): FieldRuleProblem | undefined {
  return TEMPLATE_CODE.test(code) ? undefined : { rule: TEMPLATE_CODE_RULE, problem: 'is not a vendor template code such as SMS_154950909 or 449739' };
}

export function checkSmsParamName(name: string): FieldRuleProblem | undefined {
  return PARAM_NAME.test(name) ? undefined : { rule: PARAM_NAME_RULE, problem: 'is not a name the vendors use for template variables' };
}

export function checkSmsParamValue(value: string): FieldRuleProblem | undefined {
  const length = [...value].length;
  if (value.trim() === '') return { rule: PARAM_VALUE_RULE, problem: 'is empty; the vendors refuse empty variables' };
  if (length > PARAM_MAX_CHARACTERS) return { rule: PARAM_VALUE_RULE, problem: `is ${length} characters; at most ${PARAM_MAX_CHARACTERS} are allowed` };
  if (LINK.test(value)) return { rule: PARAM_VALUE_RULE, problem: 'holds a link; the vendors take links only in the fixed text of the registered template' };
  return undefined;
}

export function checkSmsSignName(signName: string): FieldRuleProblem | undefined {
  return CONTROL.test(signName) || signName.trim() !== signName ? { rule: SIGN_NAME_RULE, problem: 'holds a line break, a control character or surrounding spaces' } : undefined;
}

/** Render time: the rendered params of a message, every value. */
export function checkRenderedSmsParams(templateCode: string, params: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(params)) {
    const problem = checkSmsParamValue(value);
    if (problem) throw templateFieldInvalid(templateCode, `channels.sms.params.${name}`, value, problem);
  }
}

const hasLiquidMarkup = (source: string) => /\{\{|\{%/.test(source);

/**
 * Save time: the SMS override of the default content and of each locale variant. Codes,
 * sign names and param names are literal and checked as they are; a param value without
 * Liquid markup renders to itself and is checked too, the others wait for the render.
 */
export function checkSmsOverrideAtSave(templateCode: string, content: TemplateContent): void {
  type SmsOverride = { templateCode?: string; signName?: string; params?: Record<string, string> } | undefined;
  const parts: Array<[string, SmsOverride]> = [
    ['content', content.channels?.sms],
    ...Object.entries(content.locales ?? {}).map(([tag, variant]): [string, SmsOverride] => [`content.locales.${tag}`, variant.channels?.sms]),
  ];
  for (const [root, sms] of parts) {
    const field = `${root}.channels.sms`;
    const literal: Array<[string, string | undefined, (value: string) => FieldRuleProblem | undefined]> = [
      [`${field}.templateCode`, sms?.templateCode, checkSmsTemplateCode],
      [`${field}.signName`, sms?.signName, checkSmsSignName],
    ];
    for (const [path, value, check] of literal) {
      const problem = value === undefined ? undefined : check(value);
      if (problem) throw templateFieldInvalid(templateCode, path, value!, problem);
    }
    for (const [name, source] of Object.entries(sms?.params ?? {})) {
      const path = `${field}.params.${name}`;
      const problem = checkSmsParamName(name) ?? (hasLiquidMarkup(source) ? undefined : checkSmsParamValue(source));
      if (problem) throw templateFieldInvalid(templateCode, path, problem.rule === PARAM_NAME_RULE ? name : source, problem);
    }
  }
}

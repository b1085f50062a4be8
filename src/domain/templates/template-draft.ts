import { firstSchemaProblem, schemaErrors } from '../../validation/schema-problem.ts';
import type { Static, TSchema } from 'typebox';
import { HeraldError, invalid } from '../../errors.ts';
import { CHANNEL_CATALOG, CHANNELS, type ChannelName } from '../../channels/channel-catalog.ts';
import { TemplateContentSchema, VariablesSchemaSchema, type TemplateContent, type VariablesSchema } from '../../templates/template-content.ts';
import { checkVariables, exampleData } from '../../templates/variables-check.ts';
import { checkSmsOverrideAtSave } from '../../templates/sms-field-rules.ts';
import { checkWechatDataAtSave } from '../../templates/wechat-field-rules.ts';

/**
 * Checks the parts of a template draft when it is saved. Every error names the request
 * field by its full path (`content.locales.en.title`, `variables[2].example`), and a
 * Liquid error also the line and column, so a malformed template is refused at save
 * time rather than when a message is sent.
 */

/** Stable codes callers send with, e.g. `order.paid`. */
const CODE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** Channels that only send pre-approved vendor templates: they render only when the content configures them. */
const VENDOR_TEMPLATE_CHANNELS: readonly ChannelName[] = CHANNELS.filter((channel) => CHANNEL_CATALOG[channel].vendorTemplatesOnly);

export const isTemplateCode = (code: string): boolean => CODE_PATTERN.test(code);

export function assertTemplateCode(code: string): void {
  if (!isTemplateCode(code)) {
    throw invalid('TEMPLATE_CODE_INVALID', `code: "${code}" must be 1-128 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit, e.g. order.paid`, {
      field: 'code',
    });
  }
}

/**
 * Schema-checks the content and the WeChat data and SMS override values that need no render (literal values,
 * refused keys); its Liquid is parsed on a render thread (checkedContent in template-service.ts).
 */
export function checkTemplateContent(code: string, content: unknown): TemplateContent {
  assertMatches(TemplateContentSchema, content, 'content', 'TEMPLATE_CONTENT_INVALID');
  checkWechatDataAtSave(code, content);
  checkSmsOverrideAtSave(code, content);
  return content;
}

/** A Liquid error in saved content names the request field: `content.locales.en.title`. */
export function contentFieldError(error: unknown): unknown {
  if (!(error instanceof HeraldError) || typeof error.details.field !== 'string') return error;
  return new HeraldError(error.kind, error.code, error.message, { ...error.details, field: `content.${error.details.field}` });
}

/** Schema-checks the declared variables; names are unique and every example has its variable's type. */
export function checkVariablesSchema(code: string, variables: unknown): VariablesSchema {
  assertMatches(VariablesSchemaSchema, variables, 'variables', 'TEMPLATE_VARIABLES_INVALID');
  const seen = new Map<string, number>();
  variables.forEach((variable, index) => {
    const earlier = seen.get(variable.name);
    if (earlier !== undefined) {
      const field = `variables[${index}].name`;
      throw invalid('TEMPLATE_VARIABLES_INVALID', `${field}: "${variable.name}" is already declared at variables[${earlier}]`, { field });
    }
    seen.set(variable.name, index);
    try {
      // Examples alone, as optional variables: only their types are in question here.
      checkVariables([{ ...variable, required: false }], exampleData([variable]), code);
    } catch (error) {
      if (!(error instanceof HeraldError)) throw error;
      const field = `variables[${index}].example`;
      throw invalid('TEMPLATE_VARIABLES_INVALID', `${field}: the example of "${variable.name}" must be ${article(variable.type)}`, { field });
    }
  });
  return variables;
}

export function checkDefaultChannels(channels: readonly string[]): ChannelName[] {
  channels.forEach((channel, index) => {
    if (!(CHANNELS as readonly string[]).includes(channel)) {
      const field = `defaultChannels[${index}]`;
      throw invalid('TEMPLATE_CHANNEL_UNKNOWN', `${field}: unknown channel "${channel}"; channels are ${CHANNELS.join(', ')}`, { field });
    }
  });
  const duplicate = channels.findIndex((channel, index) => channels.indexOf(channel) !== index);
  if (duplicate >= 0) throw invalid('TEMPLATE_CHANNEL_DUPLICATE', `defaultChannels[${duplicate}]: "${channels[duplicate]}" is listed twice`, { field: `defaultChannels[${duplicate}]` });
  return channels as ChannelName[];
}

/**
 * The channels a template is meant for: its default channels and the channels it has
 * overrides for (in any locale); when it names none, every channel that can render it.
 * Previews default to these, and publishing test-renders them.
 */
export function templateChannels(content: TemplateContent, defaultChannels: readonly ChannelName[]): ChannelName[] {
  const named = new Set<ChannelName>(defaultChannels);
  for (const overrides of [content.channels, ...Object.values(content.locales ?? {}).map((variant) => variant.channels)]) {
    for (const channel of Object.keys(overrides ?? {})) named.add(channel as ChannelName);
  }
  if (named.size > 0) return CHANNELS.filter((channel) => named.has(channel));
  return CHANNELS.filter((channel) => !VENDOR_TEMPLATE_CHANNELS.includes(channel));
}

function assertMatches<Schema extends TSchema>(schema: Schema, value: unknown, root: string, code: string): asserts value is Static<Schema> {
  const errors = schemaErrors(schema, value);
  if (errors.length === 0) return;
  const { field, message } = firstSchemaProblem(errors, root);
  throw invalid(code, message, { field });
}


function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

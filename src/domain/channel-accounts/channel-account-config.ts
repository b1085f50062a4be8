import type { TLocalizedValidationError } from 'typebox/error';
import { Value } from 'typebox/value';
import { HeraldError, invalid } from '../../errors.ts';
import type { ProviderDefinition } from '../../providers/provider.ts';
import { firstSchemaProblem } from '../../validation/schema-problem.ts';

/**
 * A channel account's provider config: checked against the provider's schema and rules,
 * split into plain fields and secret fields (stored encrypted), masked on read, and
 * patched field by field without the caller ever seeing a stored secret again.
 */

export type ProviderConfig = Record<string, unknown>;

/** Shown in place of every stored secret; sent back unchanged in a PATCH, it keeps the stored value. */
export const SECRET_MASK = '********';

function topLevelProperties(provider: ProviderDefinition): Record<string, { description?: string }> {
  return (provider.configSchema as { properties?: Record<string, { description?: string }> }).properties ?? {};
}

function describeProperty(provider: ProviderDefinition, name: string): string {
  const description = topLevelProperties(provider)[name]?.description;
  return description ? ` (${description})` : '';
}

/** The one error a person should fix first, phrased as "config.field: what is expected". */
function schemaProblem(provider: ProviderDefinition, errors: TLocalizedValidationError[]): { field: string; message: string } {
  return firstSchemaProblem(errors, 'config', {
    unknownFieldHint: (path) => (path === '' ? `; ${provider.type} accepts ${Object.keys(topLevelProperties(provider)).join(', ')}` : ''),
    requiredHint: (path, name) => (path === '' ? describeProperty(provider, name) : ''),
  });
}

/**
 * Checks a complete config: the provider's schema first (code CHANNEL_ACCOUNT_CONFIG_INVALID),
 * then its own rules (`validateConfig`, keeping the provider's code). Fields are named
 * `config.<path>`; messages never repeat a value, so no secret ends up in a response or log.
 */
export function assertValidConfig(provider: ProviderDefinition, config: ProviderConfig): void {
  const errors = Value.Errors(provider.configSchema, config);
  if (errors.length > 0) {
    const { field, message } = schemaProblem(provider, errors);
    throw invalid('CHANNEL_ACCOUNT_CONFIG_INVALID', message, { field });
  }
  try {
    provider.validateConfig?.(config);
  } catch (error) {
    if (!(error instanceof HeraldError) || typeof error.details.field !== 'string') throw error;
    throw new HeraldError(error.kind, error.code, `config.${error.message}`, { ...error.details, field: `config.${error.details.field}` });
  }
}

/** A new account has no stored secret for the mask to stand for. */
export function assertNoMaskedSecrets(provider: ProviderDefinition, config: ProviderConfig): void {
  for (const name of provider.secretFields) {
    if (config[name] === SECRET_MASK) {
      const field = `config.${name}`;
      throw invalid('CHANNEL_ACCOUNT_CONFIG_INVALID', `${field}: "${SECRET_MASK}" is the mask Herald shows in place of a stored secret; send the secret itself`, { field });
    }
  }
}

/**
 * Applies a top-level merge patch (RFC 7396 style) to the current config: a field given
 * replaces, `null` removes, an omitted field stays; a secret field sent as the mask stays.
 */
export function patchConfig(provider: ProviderDefinition, current: ProviderConfig, patch: ProviderConfig): ProviderConfig {
  const next = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete next[name];
    else if (!(value === SECRET_MASK && provider.secretFields.includes(name))) next[name] = value;
  }
  return next;
}

export function splitSecrets(provider: Pick<ProviderDefinition, 'secretFields'>, config: ProviderConfig): { plain: ProviderConfig; secrets: ProviderConfig } {
  const plain: ProviderConfig = {};
  const secrets: ProviderConfig = {};
  for (const [name, value] of Object.entries(config)) {
    if (provider.secretFields.includes(name)) secrets[name] = value;
    else plain[name] = value;
  }
  return { plain, secrets };
}

/** The config as shown on read: every stored secret replaced by the mask. */
export function maskSecrets(plain: ProviderConfig, secrets: ProviderConfig): ProviderConfig {
  return { ...plain, ...Object.fromEntries(Object.keys(secrets).map((name) => [name, SECRET_MASK])) };
}

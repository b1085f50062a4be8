import type { TLocalizedValidationError } from 'typebox/error';
import { HeraldError, invalid } from '../../errors.ts';
import type { ProviderConfig } from '../../deliveries/channel-account-row.ts';
import type { ProviderDefinition } from '../../providers/provider.ts';
import { firstSchemaProblem, schemaErrors } from '../../validation/schema-problem.ts';

/**
 * A channel account's provider config: checked against the provider's schema and rules,
 * masked on read, and patched field by field without the caller ever seeing a stored
 * secret again (how it is stored: deliveries/channel-account-row.ts).
 */

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
  const errors = schemaErrors(provider.configSchema, config);
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

type SecretFieldsOf = Pick<ProviderDefinition, 'secretFields' | 'secretMasks'>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function maskWithoutSecret(field: string, what = ''): HeraldError {
  return invalid(
    'CHANNEL_ACCOUNT_CONFIG_INVALID',
    `${field}: ${what}"${SECRET_MASK}" is the mask Herald shows in place of a stored secret, and none is stored here; send the secret itself`,
    { field },
  );
}

interface QueryParameter {
  /** Undefined for a parameter without "=", which is all value (`?s3cret`). */
  name: string | undefined;
  value: string;
}

/** A URL cut around its query, which is split into raw parameters; joining the parts gives the URL back unchanged. */
function splitQuery(url: string): { head: string; parameters: QueryParameter[]; tail: string } {
  const hash = url.indexOf('#');
  const beforeHash = hash === -1 ? url : url.slice(0, hash);
  const tail = hash === -1 ? '' : url.slice(hash);
  const question = beforeHash.indexOf('?');
  if (question === -1) return { head: beforeHash, parameters: [], tail };
  const parameters = beforeHash
    .slice(question + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals === -1 ? { name: undefined, value: pair } : { name: pair.slice(0, equals), value: pair.slice(equals + 1) };
    });
  return { head: beforeHash.slice(0, question + 1), parameters, tail };
}

function joinQuery({ head, parameters, tail }: ReturnType<typeof splitQuery>): string {
  return head + parameters.map(({ name, value }) => (name === undefined ? value : `${name}=${value}`)).join('&') + tail;
}

function maskValue(provider: SecretFieldsOf, name: string, value: unknown): unknown {
  const kind = provider.secretMasks?.[name];
  if (kind === 'values' && isRecord(value)) return Object.fromEntries(Object.keys(value).map((key) => [key, SECRET_MASK]));
  if (kind === 'query' && typeof value === 'string') {
    const url = splitQuery(value);
    return joinQuery({ ...url, parameters: url.parameters.map((parameter) => (parameter.value === '' ? parameter : { ...parameter, value: SECRET_MASK })) });
  }
  return SECRET_MASK;
}

/**
 * The value to keep for secret field `name` given `sent`, in which masks stand for the
 * corresponding parts of `stored` (the same header; the same query parameter, by name and
 * position). A mask standing for nothing stored is refused rather than saved as a secret.
 */
function restoreMasked(provider: SecretFieldsOf, name: string, sent: unknown, stored: unknown): unknown {
  const field = `config.${name}`;
  const kind = provider.secretMasks?.[name];
  if (kind === 'values' && isRecord(sent)) {
    return Object.fromEntries(
      Object.entries(sent).map(([key, value]) => {
        if (value !== SECRET_MASK) return [key, value];
        if (!isRecord(stored) || !Object.hasOwn(stored, key)) throw maskWithoutSecret(`${field}.${key}`);
        return [key, stored[key]];
      }),
    );
  }
  if (kind === 'query' && typeof sent === 'string') {
    const url = splitQuery(sent);
    const storedParameters = typeof stored === 'string' ? splitQuery(stored).parameters : [];
    const seen = new Map<string | undefined, number>();
    const parameters = url.parameters.map((parameter) => {
      const position = seen.get(parameter.name) ?? 0;
      seen.set(parameter.name, position + 1);
      if (parameter.value !== SECRET_MASK) return parameter;
      const original = storedParameters.filter((candidate) => candidate.name === parameter.name)[position];
      if (!original) throw maskWithoutSecret(field, parameter.name === undefined ? 'the query reads ' : `query parameter "${parameter.name}" reads `);
      return original;
    });
    return joinQuery({ ...url, parameters });
  }
  if (sent !== SECRET_MASK) return sent;
  if (stored === undefined) throw maskWithoutSecret(field);
  return stored;
}

/** A new account has no stored secret for a mask to stand for. */
export function assertNoMaskedSecrets(provider: SecretFieldsOf, config: ProviderConfig): void {
  for (const name of provider.secretFields) {
    if (config[name] !== undefined) restoreMasked(provider, name, config[name], undefined);
  }
}

/**
 * Applies a top-level merge patch (RFC 7396 style) to the current config: a field given
 * replaces, `null` removes, an omitted field stays; masks in a secret field keep what they stand for.
 */
export function patchConfig(provider: SecretFieldsOf, current: ProviderConfig, patch: ProviderConfig): ProviderConfig {
  const next = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete next[name];
    else next[name] = provider.secretFields.includes(name) ? restoreMasked(provider, name, value, current[name]) : value;
  }
  return next;
}

/** The config as shown on read: every secret field, or its secret parts, replaced by the mask. */
export function maskSecrets(provider: SecretFieldsOf, config: ProviderConfig): ProviderConfig {
  return Object.fromEntries(Object.entries(config).map(([name, value]) => [name, provider.secretFields.includes(name) ? maskValue(provider, name, value) : value]));
}

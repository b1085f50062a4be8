import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { invalid, type HeraldError } from '../errors.ts';

// ajv-formats is CommonJS; its default export is the plugin function.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

/**
 * The validators of every edge that takes requests (HTTP routes, broker messages), so a request is
 * judged alike whichever way it comes. Two of them: query strings and path params are text, so
 * they are coerced ("20" → 20); JSON bodies are not — a number where a string belongs is an error,
 * not silently converted. Unknown fields are rejected by `additionalProperties: false`.
 */
export function createRequestValidators(): { body: Ajv; text: Ajv } {
  const build = (coerceTypes: false | 'array') => {
    const ajv = new Ajv({ removeAdditional: false, useDefaults: true, coerceTypes, allErrors: false, strict: false });
    addFormats(ajv);
    return ajv;
  };
  return { body: build(false), text: build('array') };
}

/** The refusal of a request part (`body`, `querystring` ...) that failed its schema: VALIDATION_FAILED naming the field. */
export function validationFailed(errors: readonly ErrorObject[] | null | undefined, where: string): HeraldError {
  const first = errors?.[0];
  const field = [where, ...(first?.instancePath ?? '').split('/').filter(Boolean)].join('.');
  const params = (first?.params ?? {}) as Record<string, unknown>;
  let message = `${field} ${first?.message ?? 'is invalid'}`;
  if (first?.keyword === 'additionalProperties') message = `${field} has an unknown property "${String(params.additionalProperty)}"`;
  if (first?.keyword === 'required') message = `${field} is missing the required property "${String(params.missingProperty)}"`;
  if (first?.keyword === 'enum') message = `${field} must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
  return invalid('VALIDATION_FAILED', message, { field });
}

/** Checks `value` against a compiled body schema, throwing `validationFailed` as the HTTP edge answers it. */
export function assertValid<T>(validate: ValidateFunction<T>, value: unknown, where = 'body'): T {
  if (!validate(value)) throw validationFailed(validate.errors, where);
  return value;
}

import type { TSchema } from 'typebox';
import type { TLocalizedValidationError } from 'typebox/error';
import type * as typeboxValueModule from 'typebox/value';
import { lazyRequire } from '../lazy-require.ts';

/**
 * Turns TypeBox validation errors into the one problem a person should fix first,
 * phrased as "field.path: what is expected", with the field named from `root`.
 */

const JSON_TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

export interface SchemaProblemHints {
  /** Appended to "unknown field" at a path, e.g. the fields that are accepted there. */
  unknownFieldHint?(instancePath: string): string;
  /** Appended to "required" for a missing property, e.g. its description. */
  requiredHint?(instancePath: string, name: string): string;
}

/**
 * TypeBox's value module (some 300 files with the schema engine it checks with) is loaded when a
 * first config, draft or alarm rule is checked: a process that never checks one keeps ~8 MiB less.
 */
const typeboxValue = lazyRequire<typeof typeboxValueModule>('typebox/value');

/** Every way `value` differs from `schema`, as TypeBox reports them (empty when it matches). */
export function schemaErrors(schema: TSchema, value: unknown): TLocalizedValidationError[] {
  return typeboxValue().Value.Errors(schema, value);
}

export function schemaFieldPath(root: string, instancePath: string, ...more: string[]): string {
  const segments = [...instancePath.split('/').slice(1), ...more].map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment}`), root);
}

export function firstSchemaProblem(errors: readonly TLocalizedValidationError[], root: string, hints: SchemaProblemHints = {}): { field: string; message: string } {
  // `boolean` echoes an additionalProperties error ("schema is false"); the latter says more.
  const first = errors.find((error) => error.keyword !== 'boolean') ?? errors[0]!;
  const at = (...more: string[]) => schemaFieldPath(root, first.instancePath, ...more);
  switch (first.keyword) {
    case 'additionalProperties': {
      const [name] = (first.params as { additionalProperties: string[] }).additionalProperties;
      return { field: at(name!), message: `${at(name!)}: unknown field${hints.unknownFieldHint?.(first.instancePath) ?? ''}` };
    }
    case 'required': {
      const [name] = (first.params as { requiredProperties: string[] }).requiredProperties;
      return { field: at(name!), message: `${at(name!)}: required${hints.requiredHint?.(first.instancePath, name!) ?? ''}` };
    }
    case 'type': {
      const { type } = first.params as { type: string | string[] };
      const expected = [type].flat().map((name) => JSON_TYPE_NAMES[name] ?? name).join(' or ');
      return { field: at(), message: `${at()}: expected ${expected}` };
    }
    case 'const': {
      // A union of literals reports one `const` error per allowed value at the same path.
      const allowed = errors
        .filter((error) => error.keyword === 'const' && error.instancePath === first.instancePath)
        .map((error) => JSON.stringify((error.params as { allowedValue: unknown }).allowedValue));
      return { field: at(), message: `${at()}: expected ${allowed.length > 1 ? `one of ${allowed.join(', ')}` : allowed[0]}` };
    }
    default:
      return { field: at(), message: `${at()}: ${first.message}` };
  }
}

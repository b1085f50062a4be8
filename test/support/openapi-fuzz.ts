import fc from 'fast-check';

/**
 * Request generators for property-based tests driven by Herald's own OpenAPI document: every
 * operation, its path and query parameters and its JSON body are generated from their schemas,
 * then mutated (wrong types, extreme lengths, unicode, NUL, deep nesting, unknown and missing
 * fields, huge numbers, broken encodings).
 */

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
}

interface OpenApiParameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface FuzzOperation {
  method: string;
  /** OpenAPI path template, e.g. `/v1/subscribers/{externalId}`. */
  path: string;
  pathParams: OpenApiParameter[];
  queryParams: OpenApiParameter[];
  headerParams: OpenApiParameter[];
  body: JsonSchema | undefined;
  /** The documented answers by status (`200`, `204`, `default` …), each with its schema per media type. */
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiResponse {
  content?: Record<string, { schema?: JsonSchema }>;
}

export interface FuzzRequest {
  method: string;
  url: string;
  /** Exact body bytes, when there is a body. */
  payload?: string | Buffer;
  headers: Record<string, string>;
}

/** Values the tests seeded, by path parameter name, so some requests reach existing rows. */
export type KnownValues = Record<string, string[]>;

export function operationsOf(spec: { paths: Record<string, Record<string, { parameters?: OpenApiParameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> }; responses?: Record<string, OpenApiResponse> }>> }): FuzzOperation[] {
  const operations: FuzzOperation[] = [];
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = operation.parameters ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        headerParams: parameters.filter((p) => p.in === 'header'),
        body: operation.requestBody?.content['application/json']?.schema,
        responses: operation.responses ?? {},
      });
    }
  }
  return operations;
}

/** `arbitrary` about once in `times` draws, null otherwise (fc.option's `freq` sets how rarely it is null). */
const onceIn = <T>(times: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: times - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

// ---- hostile values -------------------------------------------------------------------------

const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

const hostileStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff\ud800y',
  '😀'.repeat(40),
  'e\u0301\u0301\u0301',
  '\u202eevil',
  '\ufeffbom',
  '%00',
  '%zz',
  '../../etc/passwd',
  "'; drop table apps; --",
  '{{ missing }}',
  '{{ x | shout }}',
  '{% for i in (1..1000000) %}x{% endfor %}',
  '{% raw %}',
  '<script>alert(1)</script>',
  '\r\n\t',
  'null',
  '1e309',
  '-0',
  '2026-02-30T25:61:00Z',
  '0000-01-01T00:00:00Z',
  '+99999-01-01T00:00:00Z',
  'msg_00000000000000000000000000',
  'http://169.254.169.254/latest',
  'a@b',
  '+8613800138000',
  'x'.repeat(300),
  'x'.repeat(70_000),
);

const hostileNumbers = fc.constantFrom(0, -1, 1.5, -0, 1e308, -1e308, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, 1e-300, 99_999_999_999);

const hostileStructures = fc.constantFrom<unknown>(
  null,
  true,
  false,
  [],
  {},
  [null],
  nested(70),
  Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])),
  Array.from({ length: 2000 }, () => null),
  JSON.parse('{"__proto__":{"polluted":true}}'),
  { constructor: { prototype: { polluted: true } } },
);

/** A value chosen to break things: odd strings, extreme numbers, odd shapes. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileStrings },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: hostileNumbers },
  { weight: 1, arbitrary: fc.double().filter(Number.isFinite) },
  { weight: 2, arbitrary: hostileStructures },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

// ---- values from schemas ----------------------------------------------------------------------

const typesOf = (schema: JsonSchema): string[] => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []);

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uri' || schema.format === 'url') return fc.webUrl();
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 40, Math.max(minLength, 40));
  const units = fc.oneof(fc.string({ minLength, maxLength }), fc.string({ unit: 'grapheme', minLength, maxLength }));
  if (schema.maxLength === undefined) return units;
  // The boundaries: exactly the limit, and one past it.
  return fc.oneof({ weight: 8, arbitrary: units }, { weight: 1, arbitrary: fc.constant('y'.repeat(schema.maxLength)) }, { weight: 1, arbitrary: fc.constant('y'.repeat(schema.maxLength + 1)) });
}

function integerFor(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1_000_000;
  const max = schema.maximum ?? 1_000_000;
  return fc.oneof({ weight: 8, arbitrary: fc.integer({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1) });
}

/**
 * A value of the schema's shape whose parts are, now and then, hostile: `depth` bounds how deep
 * the generator builds before it stops descending.
 */
export function fuzzedValue(schema: JsonSchema, depth = 4): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 7, arbitrary: shapedValue(schema, depth) }, { weight: 1, arbitrary: hostileValue });
}

function shapedValue(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => shapedValue(choice, depth)));
  const types = typesOf(schema);
  if (types.length === 0) return depth > 0 ? fc.jsonValue({ maxDepth: 2 }) : fc.string();
  return fc.oneof(...types.map((type) => valueOfType(type, schema, depth)));
}

function valueOfType(type: string, schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return integerFor(schema);
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schema.items ?? {};
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? 4, Math.max(minLength, 4));
      const small = depth > 0 ? fc.array(fuzzedValue(items, depth - 1), { minLength, maxLength }) : fc.constant([]);
      if (schema.maxItems === undefined || depth === 0) return small;
      // One item past the limit, each a valid value.
      const overLimit = shapedValue(items, 0).map((item) => Array.from({ length: schema.maxItems! + 1 }, () => item));
      return fc.oneof({ weight: 12, arbitrary: small }, { weight: 1, arbitrary: overLimit });
    }
    case 'object':
      return objectFor(schema, depth);
    default:
      return fc.constant(null);
  }
}

function objectFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const names = Object.keys(properties);
  const members = fc.record(
    Object.fromEntries(names.map((name) => [name, depth > 0 ? fuzzedValue(properties[name]!, depth - 1) : shapedValue(properties[name]!, 0)])),
    { requiredKeys: names.filter((name) => required.has(name)) },
  );
  const extra =
    typeof schema.additionalProperties === 'object' && depth > 0
      ? fc.dictionary(fc.string({ maxLength: 12 }), fuzzedValue(schema.additionalProperties, depth - 1), { maxKeys: 3 })
      : fc.constant({});
  // Now and then a required member goes missing, or a member nobody declared appears.
  const dropRequired = onceIn(6, fc.constantFrom(...(required.size > 0 ? [...required] : [''])));
  const unknown = onceIn(8, fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), hostileValue));
  return fc.tuple(members, extra, dropRequired, unknown).map(([known, more, drop, surprise]) => {
    const value: Record<string, unknown> = { ...more, ...known };
    if (drop) delete value[drop];
    if (surprise) value[surprise[0]] = surprise[1];
    return value;
  });
}

// ---- mutating known-good examples -------------------------------------------------------------

type Path = Array<string | number>;

function pathsOf(value: unknown, path: Path = [], into: Path[] = []): Path[] {
  into.push(path);
  if (Array.isArray(value)) value.forEach((item, index) => pathsOf(item, [...path, index], into));
  else if (value !== null && typeof value === 'object') for (const [key, member] of Object.entries(value)) pathsOf(member, [...path, key], into);
  return into;
}

interface Mutation {
  at: number;
  kind: 'replace' | 'delete' | 'add';
  key: string;
  value: unknown;
}

function applyMutation(root: unknown, { at, kind, key, value }: Mutation): unknown {
  const paths = pathsOf(root);
  const path = paths[at % paths.length]!;
  if (path.length === 0) return kind === 'replace' ? value : root;
  const parent = path.slice(0, -1).reduce<any>((node, step) => node[step], root);
  const last = path.at(-1)!;
  if (kind === 'replace') parent[last] = value;
  else if (kind === 'delete') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
  else {
    const target = parent[last];
    if (Array.isArray(target)) target.push(value);
    else if (target !== null && typeof target === 'object') target[key] = value;
    else parent[last] = value;
  }
  return root;
}

/** A known-good body with one to three parts replaced, removed or added. */
export function mutatedExample(example: unknown): fc.Arbitrary<unknown> {
  // Hostile values, or plain ones that keep the body plausible enough to reach deeper code.
  const value = fc.oneof(hostileValue, fc.jsonValue({ maxDepth: 1 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
  const mutation = fc.record<Mutation>({ at: fc.nat(), kind: fc.constantFrom('replace', 'delete', 'add'), key: fc.string({ maxLength: 12 }), value });
  return fc.array(mutation, { minLength: 1, maxLength: 3 }).map((mutations) => mutations.reduce(applyMutation, structuredClone(example)));
}

// ---- whole requests ---------------------------------------------------------------------------

/** encodeURIComponent, except that text it cannot encode (a lone surrogate) is sent as the bytes Node would write. */
function encodeComponent(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
  }
}

const brokenEncodings = fc.constantFrom('%zz', '%', '%C3%28', '%ED%A0%80', '%00', '%2F..%2F', '%E4%B8');

function pathValue(param: OpenApiParameter, known: KnownValues): fc.Arbitrary<string> {
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');
  return fc.oneof(
    { weight: known[param.name]?.length ? 6 : 0, arbitrary: known[param.name]?.length ? fc.constantFrom(...known[param.name]!).map(encodeComponent) : fc.constant('x') },
    { weight: 4, arbitrary: fuzzedValue(param.schema, 0).map((value) => encodeComponent(text(value))) },
    { weight: 1, arbitrary: brokenEncodings },
    { weight: 1, arbitrary: fc.constantFrom('a'.repeat(257), 'ü'.repeat(200)).map(encodeComponent) },
  );
}

function queryString(params: OpenApiParameter[], known: KnownValues): fc.Arbitrary<string> {
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '');
  const pair = (name: string, value: fc.Arbitrary<string>) => value.map((v) => `${encodeComponent(name)}=${v}`);
  const declared = params.map((param) =>
    onceIn(
      2,
      pair(
        param.name,
        fc.oneof(
          { weight: 6, arbitrary: fuzzedValue(param.schema, 0).map((value) => encodeComponent(text(value))) },
          { weight: known[param.name]?.length ? 2 : 0, arbitrary: fc.constantFrom(...(known[param.name] ?? ['x'])).map(encodeComponent) },
          { weight: 1, arbitrary: brokenEncodings },
        ),
      ),
    ),
  );
  const surprise = onceIn(10, pair('surprise', hostileStrings.map(encodeComponent)));
  const repeated = params.length > 0 ? onceIn(10, fc.constantFrom(...params).chain((param) => pair(param.name, fc.string({ maxLength: 8 }).map(encodeComponent)))) : fc.constant(null);
  return fc.tuple(fc.tuple(...declared), surprise, repeated).map(([chosen, extra, again]) => {
    const parts = [...chosen, extra, again].filter((part): part is string => part !== null);
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  });
}

/** Header values must be sendable: visible ASCII, no surrounding spaces. */
const headerText = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('x'.repeat(200), '%00', '{}')).map((value) => value.trim()).filter((value) => value.length > 0);

const rawBodies = fc.constantFrom<string | Buffer>(
  '{"a":',
  '{"a":1}}',
  'null',
  '"just a string"',
  '[1,2,3]',
  `{"data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
  '{"a":1,"a":2}',
  '',
  `"${'x'.repeat(1_100_000)}"`,
);

const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'application/JSON');

/**
 * Requests for one operation: a known-good body mutated, a body generated from the schema with
 * hostile parts, raw bytes that are not the JSON the schema wants, odd content types, and path and
 * query parameters from the seeded values, the schema and broken encodings.
 */
export function requestsFor(operation: FuzzOperation, known: KnownValues, examples: unknown[] = []): fc.Arbitrary<FuzzRequest> {
  const path = fc.tuple(...operation.pathParams.map((param) => pathValue(param, known).map((value) => [param.name, value] as const))).map((values) =>
    values.reduce((template, [name, value]) => template.replace(`{${name}}`, value), operation.path),
  );
  const jsonBody = (value: unknown) => JSON.stringify(value) ?? 'null';
  const schemaBody = operation.body ? fuzzedValue(operation.body).map(jsonBody) : fc.constant(undefined);
  const body = fc.oneof(
    { weight: operation.body ? 6 : 0, arbitrary: schemaBody },
    { weight: examples.length > 0 ? 8 : 0, arbitrary: examples.length > 0 ? fc.constantFrom(...examples).chain(mutatedExample).map(jsonBody) : fc.constant(undefined) },
    { weight: examples.length > 0 ? 2 : 0, arbitrary: examples.length > 0 ? fc.constantFrom(...examples).map(jsonBody) : fc.constant(undefined) },
    { weight: 1, arbitrary: rawBodies },
    { weight: operation.body ? 0 : 8, arbitrary: fc.constant(undefined) },
  );
  const headers = fc.tuple(
    fc.tuple(...operation.headerParams.map((param) => onceIn(2, headerText.map((value) => [param.name, value] as const)))),
    onceIn(8, contentTypes),
  );
  return fc.tuple(path, queryString(operation.queryParams, known), body, headers).map(([url, query, payload, [declared, contentType]]) => {
    const headerMap: Record<string, string> = {};
    for (const header of declared) if (header) headerMap[header[0]] = header[1];
    if (payload !== undefined) headerMap['content-type'] = contentType ?? 'application/json';
    return { method: operation.method, url: `${url}${query}`, ...(payload !== undefined ? { payload } : {}), headers: headerMap };
  });
}

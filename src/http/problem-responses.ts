/** The parts of an OpenAPI document this touches. */
interface OpenApiDocument {
  paths?: Record<string, Record<string, { responses?: Record<string, unknown> } | undefined> | undefined>;
  components?: { schemas?: Record<string, unknown> };
}

/** RFC 9457 problem details as every refusal carries them (src/problem.ts builds them). */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string', description: 'A URI naming the problem kind' },
    title: { type: 'string', description: "The HTTP status's phrase" },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    code: { type: 'string', description: 'Stable machine-readable code, e.g. VALIDATION_FAILED, SIGNATURE_REPLAYED, STORAGE_UNAVAILABLE' },
    detail: { type: 'string', description: 'What went wrong and what to do about it, for a person' },
    instance: { type: 'string' },
  },
  additionalProperties: true,
  description: 'Problem details (RFC 9457) with members a problem kind may add (field, errors, retryAfterSeconds, …)',
} as const;

const PROBLEM_RESPONSE = {
  description: 'Refused or failed: problem details with a stable `code`. A dependency that is down answers 503 with Retry-After; a rate limit 429 with Retry-After.',
  headers: { 'Retry-After': { description: 'Seconds to wait, on 429 and 503', schema: { type: 'integer', minimum: 0 } } },
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Every operation of the document answers its refusals the same way (the error handler turns every
 * error into problem+json), so the document says so once per operation as its `default` response:
 * clients generated from it get a typed error, and a client checking statuses against the document
 * finds every 4xx and 5xx described.
 */
export function addProblemResponses(document: OpenApiDocument): void {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  for (const path of Object.values(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = path?.[method];
      if (operation) operation.responses = { ...operation.responses, default: PROBLEM_RESPONSE };
    }
  }
}

import type { FastifyError, FastifyInstance } from 'fastify';
import { HeraldError } from '../errors.ts';
import { isStorageUnavailable, storageUnavailableError } from '../storage/storage-unavailable.ts';
import { problem, STATUS_BY_KIND, type Problem } from './problem.ts';

/**
 * The one place where errors become HTTP responses (problem+json). Domain code
 * throws HeraldError; Fastify's own errors (validation, body size, parsing) are
 * translated here so a client never sees a bare 500 for bad input.
 */
export function installErrorHandling(server: FastifyInstance<any, any, any, any, any>, bodyLimitBytes: number): void {
  server.setErrorHandler((error: FastifyError | HeraldError | Error, request, reply) => {
    const body = toProblem(error, bodyLimitBytes);
    body.instance = request.url.split('?')[0];
    body.requestId = request.id;
    if (body.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: body.code, status: body.status }, 'request rejected');
    if (typeof body.retryAfterSeconds === 'number') reply.header('retry-after', String(body.retryAfterSeconds));
    return reply.status(body.status).type('application/problem+json').send(body);
  });

  server.setNotFoundHandler((request, reply) => {
    const body = problem(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}; see /docs for the API`);
    return reply.status(404).type('application/problem+json').send(body);
  });
}

function toProblem(error: FastifyError | HeraldError | Error, bodyLimitBytes: number): Problem {
  // A database that is down, full or read-only is an outage (503 + Retry-After), whichever statement hit it.
  if (!(error instanceof HeraldError) && isStorageUnavailable(error)) error = storageUnavailableError(error);
  if (error instanceof HeraldError) {
    return problem(STATUS_BY_KIND[error.kind], error.code, error.message, error.details);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const first = fastifyError.validation[0];
    const where = fastifyError.validationContext ?? 'body';
    const field = [where, ...(first?.instancePath ?? '').split('/').filter(Boolean)].join('.');
    const params = (first?.params ?? {}) as Record<string, unknown>;
    let message = `${field} ${first?.message ?? 'is invalid'}`;
    if (first?.keyword === 'additionalProperties') message = `${field} has an unknown property "${String(params.additionalProperty)}"`;
    if (first?.keyword === 'required') message = `${field} is missing the required property "${String(params.missingProperty)}"`;
    if (first?.keyword === 'enum') message = `${field} must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    return problem(400, 'VALIDATION_FAILED', message, { field });
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'BODY_TOO_LARGE', `The request body is larger than the limit of ${bodyLimitBytes} bytes; split it into several requests`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'INVALID_JSON', 'The body is empty but Content-Type says JSON');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(400, 'INVALID_JSON', `The body is not valid JSON: ${fastifyError.message}`);
  }
  if (error instanceof SyntaxError) return problem(400, 'INVALID_JSON', `The body is not valid JSON: ${error.message}`);
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return problem(fastifyError.statusCode, 'BAD_REQUEST', fastifyError.message);
  }
  return problem(500, 'INTERNAL_ERROR', 'Herald failed to handle this request; the request id is in the logs');
}

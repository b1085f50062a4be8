import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HeraldError } from '../errors.ts';
import { isStorageUnavailable, isTransactionConflict, storageUnavailableError, transactionConflictError } from '../storage/storage-unavailable.ts';
import type { ErrorObject } from 'ajv';
import { problem, problemOf, type Problem } from '../problem.ts';
import { validationFailed } from '../validation/request-validators.ts';

/**
 * The one place where errors become HTTP responses (problem+json). Domain code
 * throws HeraldError; Fastify's own errors (validation, body size, parsing, the
 * router's and the HTTP parser's refusals) are translated here so a client never
 * sees a bare 500 or a body of another shape for bad input.
 */
export function installErrorHandling(server: FastifyInstance<any, any, any, any, any>): void {
  server.setErrorHandler(answerWithProblem);

  server.setNotFoundHandler((request, reply) => {
    const body = problem(404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${pathOf(request.url)}; see /docs for the API`);
    return reply.status(404).type('application/problem+json').send(body);
  });
}

/** Also Fastify's `frameworkErrors` option: the router's refusals (bad percent-encoding, an over-long path parameter) go here. */
export function answerWithProblem(error: FastifyError | HeraldError | Error, request: FastifyRequest, reply: FastifyReply) {
  const body = toProblem(error, request);
  body.instance = pathOf(request.url);
  body.requestId = request.id;
  // An outage answers every request with 503 for a while: one line each, not a stack trace each.
  if (body.status === 503) request.log.warn({ code: body.code, cause: error.message }, 'request refused: a dependency is unavailable');
  else if (body.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: body.code, status: body.status }, 'request rejected');
  if (typeof body.retryAfterSeconds === 'number') reply.header('retry-after', String(body.retryAfterSeconds));
  return reply.status(body.status).type('application/problem+json').send(body);
}

/**
 * Fastify's `clientErrorHandler` option: what Node's HTTP parser refuses before any request exists
 * (headers over the size limit, a request line that is not HTTP) is answered on the socket itself.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problem(431, 'HEADERS_TOO_LARGE', 'The request headers are larger than the server accepts; send fewer or shorter headers')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problem(408, 'REQUEST_TIMEOUT', 'The request was not received in time; send it again')
        : problem(400, 'MALFORMED_REQUEST', 'The request is not valid HTTP/1.1');
  const body = JSON.stringify(answer);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${answer.status} ${answer.title}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

const MAX_ECHOED_PATH_LENGTH = 200;

/**
 * The path a problem may echo: never the query (tokens), nor the scheme and authority of an
 * absolute-form target (`http://user:password@host/...`), and not unboundedly long.
 */
function pathOf(url: string): string {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').split(/[?#]/, 1)[0]!;
  return path.length > MAX_ECHOED_PATH_LENGTH ? `${path.slice(0, MAX_ECHOED_PATH_LENGTH)}…` : path;
}

function toProblem(error: FastifyError | HeraldError | Error, request: FastifyRequest): Problem {
  // A database that is down, full or read-only is an outage (503 + Retry-After), whichever statement hit it.
  if (!(error instanceof HeraldError) && isStorageUnavailable(error)) error = storageUnavailableError(error);
  if (!(error instanceof HeraldError) && isTransactionConflict(error)) error = transactionConflictError(error);
  if (error instanceof HeraldError) {
    return problemOf(error);
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return problemOf(validationFailed(fastifyError.validation as ErrorObject[], fastifyError.validationContext ?? 'body'));
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'BODY_TOO_LARGE', `The request body is larger than the limit of ${request.routeOptions.bodyLimit} bytes; split it into several requests`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'INVALID_JSON', 'The body is empty but Content-Type says JSON');
    case 'FST_ERR_BAD_URL':
      return problem(400, 'INVALID_URL', 'The path has a broken percent-encoding (like %zz) or one that is not UTF-8; encode it with encodeURIComponent');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem(414, 'URI_TOO_LONG', 'A path segment is longer than any id or name Herald stores; check the URL');
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

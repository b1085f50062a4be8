import { randomUUID } from 'node:crypto';
import Fastify, { type FastifySerializerCompiler } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { ValidateFunction } from 'ajv';
import { createRequestValidators } from '../validation/request-validators.ts';
import type { ApiServices } from './api-services.ts';
import { answerClientError, answerWithProblem, installErrorHandling } from './error-handler.ts';
import { addProblemResponses } from './problem-responses.ts';
import { installJsonBodyParser } from './json-body-parser.ts';
import { refuseNulInUrl } from './nul-character.ts';
import type { HeraldServer } from './route-module.ts';
import { registerConsoleAuthRoutes } from './routes/console-auth-routes.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerReceiptRoutes } from './routes/receipt-routes.ts';
import { registerAckRoutes } from './routes/ack-routes.ts';
import { registerWidgetRoutes } from './routes/widget-routes.ts';
import { registerConsoleRoutes } from './routes/console-routes.ts';
import { registerMetricsRoutes } from './routes/metrics-routes.ts';
import { installHttpRequestMetrics } from './metrics/http-request-metrics.ts';
import { registerSignedApi } from './signed-api-plugin.ts';
import { registerInboxApi } from './inbox-api-plugin.ts';
import './auth/principal.ts';

/**
 * A validator that compiles its schema when it first judges a request. Fastify asks for every
 * route's validators when it gets ready; compiling them all then (Ajv generates and evaluates
 * code per schema) grew an idle process by ~15 MiB of RSS that V8 never gave back, for routes most
 * processes never see. A route's first request pays its own compile once.
 */
function compiledOnFirstUse(compile: () => ValidateFunction): ((data: unknown) => boolean) & Pick<ValidateFunction, 'errors'> {
  let compiled: ValidateFunction | undefined;
  const validate = Object.assign(
    (data: unknown) => {
      compiled ??= compile();
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    },
    { errors: null as ValidateFunction['errors'] },
  );
  return validate;
}

/**
 * Response serializers (fast-json-stringify, Fastify's own) compiled on their route's first answer,
 * for the reason validators are: compiled at start they kept ~5 MiB of an idle process.
 */
function createSerializers(): FastifySerializerCompiler<unknown> {
  const compile = SerializerSelector()({}, {});
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data: unknown) => (serialize ??= compile(route as Parameters<typeof compile>[0]))(data);
  };
}

/** Each route's schemas are compiled by the edge's shared validators (src/validation/request-validators.ts). */
function createValidators() {
  const { body, text } = createRequestValidators();
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => compiledOnFirstUse(() => (httpPart === 'body' ? body : text).compile(schema));
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export async function createHttpServer(services: ApiServices): Promise<HeraldServer> {
  const { config, logger } = services.context;
  const server = Fastify({
    loggerInstance: logger,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    // Path parameters reach their route's schema (a 400 naming the limit) up to twice the longest id Herald
    // stores (128 characters; astral ones count twice), beyond that the router refuses them (414 URI_TOO_LONG).
    routerOptions: { maxParamLength: 256 },
    frameworkErrors: answerWithProblem,
    clientErrorHandler: answerClientError,
    // Accept the caller's request id when it looks like one, so logs can be correlated across systems.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  server.setValidatorCompiler(createValidators());
  server.setSerializerCompiler(createSerializers());
  server.decorateRequest('rawBody', undefined);
  // The API speaks JSON only; anything else is a clear 415 instead of a confusing validation error.
  server.removeAllContentTypeParsers();
  installJsonBodyParser(server, { maxDepth: config.http.jsonMaxDepth });
  server.addHook('onRequest', refuseNulInUrl);
  installHttpRequestMetrics(server, services.metrics);
  server.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await server.register(cookie);
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Herald API', version: '1', description: 'Unified message push platform. Sign /v1 requests with AWS Signature V4 (service "herald", any region).' },
      components: {
        securitySchemes: {
          sigv4: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'AWS4-HMAC-SHA256 Credential=AK/date/region/herald/aws4_request, SignedHeaders=..., Signature=...' },
          session: { type: 'apiKey', in: 'cookie', name: 'herald_session' },
          inboxSubscriber: { type: 'apiKey', in: 'header', name: 'X-Herald-Subscriber', description: "Inbox API: the subscriber's external id (or ?subscriber=)" },
          inboxSubscriberHash: { type: 'apiKey', in: 'header', name: 'X-Herald-Subscriber-Hash', description: 'Inbox API: hex HMAC-SHA256 of the subscriber id with the app inbox secret (or ?subscriberHash=)' },
          inboxToken: { type: 'http', scheme: 'bearer', description: 'Inbox API: a token from POST /v1/apps/{app}/inbox-tokens (or ?token=)' },
        },
      },
    },
    transformObject: (document) => {
      if (!('openapiObject' in document)) return document.swaggerObject;
      addProblemResponses(document.openapiObject as Parameters<typeof addProblemResponses>[0]);
      return document.openapiObject;
    },
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });
  installErrorHandling(server);

  await registerSignedApi(server, services);
  await registerInboxApi(server, services);
  for (const register of [registerConsoleRoutes, registerHealthRoutes, registerConsoleAuthRoutes, registerReceiptRoutes, registerAckRoutes, registerWidgetRoutes, registerMetricsRoutes]) register(server, services);
  server.get('/openapi.json', { schema: { hide: true } }, async () => server.swagger());
  return server;
}

import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { ApiServices } from './api-services.ts';
import { createProblemResponder, installErrorHandling } from './error-handler.ts';
import { registerConsoleAuthRoutes } from './routes/console-auth-routes.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerSignedApi } from './signed-api-plugin.ts';
import './auth/principal.ts';

export type HeraldServer = FastifyInstance<any, any, any, any, TypeBoxTypeProvider>;

/** A route module: registers its routes on the server with the services it needs. */
export type RouteModule = (server: HeraldServer, services: ApiServices) => void;

/**
 * Two validators: query strings and path params are text, so they are coerced
 * ("20" → 20); JSON bodies are not — a number where a string belongs is an error,
 * not silently converted. Unknown fields are rejected by `additionalProperties: false`.
 */
// ajv-formats is CommonJS; its default export is the plugin function.
const addFormats = addFormatsPlugin as unknown as (ajv: Ajv) => Ajv;

function createValidators() {
  const build = (coerceTypes: false | 'array') => {
    const ajv = new Ajv({ removeAdditional: false, useDefaults: true, coerceTypes, allErrors: false, strict: false });
    addFormats(ajv);
    return ajv;
  };
  const strict = build(false);
  const coercing = build('array');
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? strict : coercing).compile(schema);
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export async function createHttpServer(services: ApiServices): Promise<HeraldServer> {
  const { config, logger } = services.context;
  const server = Fastify({
    loggerInstance: logger,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    // Requests the router cannot even decode (a malformed percent-escape) get problem+json too.
    frameworkErrors: createProblemResponder(config.http.bodyLimitBytes),
    // Accept the caller's request id when it looks like one, so logs can be correlated across systems.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  server.setValidatorCompiler(createValidators());
  server.decorateRequest('rawBody', undefined);
  // The API speaks JSON only; anything else is a clear 415 instead of a confusing validation error.
  server.removeAllContentTypeParsers();
  // Signature verification hashes the exact bytes received, so keep them.
  server.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    if (raw.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(raw.toString('utf8')));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
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
        },
      },
    },
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });
  installErrorHandling(server, config.http.bodyLimitBytes);

  await registerSignedApi(server, services);
  for (const register of [registerHealthRoutes, registerConsoleAuthRoutes]) register(server, services);
  server.get('/openapi.json', { schema: { hide: true } }, async () => server.swagger());
  return server;
}

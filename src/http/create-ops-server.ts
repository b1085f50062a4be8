import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ApiServices } from './api-services.ts';
import { answerClientError, answerWithProblem, installErrorHandling } from './error-handler.ts';
import type { HeraldServer } from './route-module.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerMetricsRoutes } from './routes/metrics-routes.ts';

/**
 * What a process without the api role serves on HERALD_OPS_PORT: the probes an orchestrator
 * needs and the process's own metrics. A worker's send counters and durations live only in
 * the worker process, so without this they could not be scraped at all.
 */
export async function createOpsServer(services: ApiServices): Promise<HeraldServer> {
  const server = Fastify({ loggerInstance: services.context.logger, frameworkErrors: answerWithProblem, clientErrorHandler: answerClientError }).withTypeProvider<TypeBoxTypeProvider>();
  installErrorHandling(server);
  registerHealthRoutes(server, services);
  registerMetricsRoutes(server, services);
  return server;
}

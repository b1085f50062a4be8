import { createMetricsAccess } from '../metrics/metrics-access.ts';
import type { RouteModule } from '../route-module.ts';

/** Prometheus text exposition; kept out of the OpenAPI document (it is for scrapers, not API clients). */
export const registerMetricsRoutes: RouteModule = (server, { context, metrics }) => {
  const checkAccess = createMetricsAccess(context.config.metrics);
  server.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    checkAccess(request);
    const text = await metrics.exposition();
    return reply.type(metrics.registry.contentType).send(text);
  });
};

import type { HeraldServer } from '../route-module.ts';
import type { HeraldMetrics } from './herald-metrics.ts';

/** Requests no route matched share one label, so scanners cannot grow the series. */
const UNMATCHED_ROUTE = 'unmatched';

/** Counts and times every answered request by its matched route pattern (`/v1/messages/:id`), never the raw URL. */
export function installHttpRequestMetrics(server: HeraldServer, metrics: HeraldMetrics): void {
  server.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const method = request.method;
    metrics.httpRequests.inc({ method, route, status: String(reply.statusCode) });
    metrics.httpRequestDuration.observe({ method, route }, reply.elapsedTime / 1000);
  });
}

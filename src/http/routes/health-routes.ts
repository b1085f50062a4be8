import { checkReadiness } from '../readiness-check.ts';
import type { RouteModule } from '../route-module.ts';

export const registerHealthRoutes: RouteModule = (server, { context }) => {
  server.get('/healthz', { schema: { tags: ['health'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));
  server.get('/readyz', { schema: { tags: ['health'], summary: 'The database takes writes; reports the worker lag and the live workers' } }, async () => checkReadiness(context));
};

import { storageUnavailableError } from '../../storage/storage-unavailable.ts';
import type { RouteModule } from '../route-module.ts';

export const registerHealthRoutes: RouteModule = (server, { context }) => {
  server.get('/healthz', { schema: { tags: ['health'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));
  server.get('/readyz', { schema: { tags: ['health'], summary: 'The database takes writes' } }, async () => {
    if (!(await context.database.ping())) throw storageUnavailableError();
    return { status: 'ready', database: context.database.dialect };
  });
};

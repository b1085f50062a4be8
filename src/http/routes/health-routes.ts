import { HeraldError } from '../../errors.ts';
import type { RouteModule } from '../create-http-server.ts';

export const registerHealthRoutes: RouteModule = (server, { context }) => {
  server.get('/healthz', { schema: { tags: ['health'], summary: 'The process is up' } }, async () => ({ status: 'ok' }));
  server.get('/readyz', { schema: { tags: ['health'], summary: 'The database answers' } }, async () => {
    if (!(await context.database.ping())) throw new HeraldError('unavailable', 'DATABASE_UNAVAILABLE', 'The database does not answer');
    return { status: 'ready', database: context.database.dialect };
  });
};

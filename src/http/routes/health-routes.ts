import { Type } from 'typebox';
import { createReadinessCheck } from '../readiness-check.ts';
import type { RouteModule } from '../route-module.ts';

const ReadinessSchema = Type.Object({
  status: Type.Literal('ready'),
  database: Type.String({ description: 'sqlite or postgres' }),
  workerLagSeconds: Type.Number({ description: 'How long the oldest due delivery has waited for a worker; 0 when none is due' }),
  liveWorkers: Type.Integer({ description: 'Worker processes whose last heartbeat is within HERALD_WORKER_DEAD_AFTER_SECONDS' }),
});

export const registerHealthRoutes: RouteModule = (server, { context }) => {
  server.get('/healthz', { schema: { tags: ['health'], summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({ status: 'ok' as const }));
  server.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'The database takes writes; reports the worker lag and the live workers (503 WORKER_LAG_TOO_HIGH past HERALD_READY_MAX_LAG_SECONDS)',
        response: { 200: ReadinessSchema },
      },
    },
    createReadinessCheck(context),
  );
};

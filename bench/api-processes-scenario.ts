import { singleSendBody } from './bench-content.ts';
import { compareIngest } from './ingest-scenario.ts';
import { compared, type ScenarioContext, type ScenarioResult } from './scenario-kit.ts';

/**
 * Scenario 9: the ingest load of scenario 1 against one api process and against two
 * (`herald start --role api --processes 2`), each beside a bare Fastify route run the same way
 * (one process; two node:cluster workers sharing the port). It tells how much a second process
 * on the same machine adds, against how much it adds to a route that does nothing. PostgreSQL
 * only: several processes cannot share an embedded SQLite database.
 */
export async function runApiProcessesScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { connections, durationSeconds, warmupSeconds } = context.scale.ingest;
  const load = { path: '/v1/messages', body: singleSendBody(), connections, durationSeconds, warmupSeconds };
  const one = await compareIngest(context, { ...load, processes: 1 });
  const two = await compareIngest(context, { ...load, processes: 2 });
  const perSecond = (comparison: typeof one) => [comparison.herald.succeededPerSecond, comparison.bareRoute.succeededPerSecond] as const;
  const [herald1, bare1] = perSecond(one);
  const [herald2, bare2] = perSecond(two);
  return {
    scenario: 'api-processes',
    dialect: context.dialect,
    figures: [
      compared('accepted messages/s, 1 api process', herald1, '/s', 'bare Fastify route, 1 process', bare1),
      compared('accepted messages/s, 2 api processes', herald2, '/s', 'bare Fastify route, 2 processes', bare2, { text: '≥ 30% of the bare route', met: (ratio) => ratio >= 0.3 }),
      compared('gain of the 2nd process (2 ÷ 1)', herald2 / herald1, '×', "the bare route's gain", bare2 / bare1),
      compared('latency p99, 2 api processes', two.herald.latency.p99Ms, 'ms', 'bare Fastify route, 2 processes', two.bareRoute.latency.p99Ms),
    ],
    details: { connections, durationSeconds, warmupSeconds, oneProcess: one, twoProcesses: two },
  };
}

import { startBareRouteServer } from './bare-route-server.ts';
import { singleSendBody } from './bench-content.ts';
import { createBenchHerald } from './bench-herald.ts';
import { startLoadGenerator, type ClosedLoopJob, type LoadResult } from './load-generator.ts';
import { compared, expectNoFailures, MEBIBYTE, withCleanup, type ScenarioContext, type ScenarioResult } from './scenario-kit.ts';
import { atLeastRatio, PERFORMANCE_TARGETS } from './performance-targets.ts';

/** Nothing is dispatched while ingest is measured (api role only); the account just has to exist. */
export const UNUSED_SINK_URL = 'http://127.0.0.1:9/unused';

export interface IngestComparison {
  herald: LoadResult;
  bareRoute: LoadResult;
  /** Messages in Herald's database afterwards (warm-up included). */
  storedMessages: number;
  /** Deliveries in Herald's database afterwards (warm-up included). */
  storedDeliveries: number;
  heraldIdleRssBytes: number;
  bareRouteIdleRssBytes: number;
}

/**
 * The same closed-loop load, from the same client process, first against a bare Fastify
 * route and then against Herald's api role (nothing is dispatched meanwhile). Every 202 must
 * have stored its message.
 */
export async function compareIngest(
  context: ScenarioContext,
  load: { path: string; body: Record<string, unknown>; connections: number; durationSeconds: number; warmupSeconds: number; processes?: number },
): Promise<IngestComparison> {
  const processes = load.processes ?? 1;
  return withCleanup(async (register) => {
    const [{ herald, api }, bare, generator] = await Promise.all([
      createBenchHerald({ dialect: context.dialect, postgresAdminUrl: context.postgresAdminUrl, execArgv: context.heraldExecArgv }).then(async (h) => {
        register(h, (r) => r.close());
        const started = await h.start(['api'], { processes });
        await h.createSinkAccount(started, UNUSED_SINK_URL);
        return { herald: h, api: started };
      }),
      startBareRouteServer({ processes }).then((b) => register(b, (r) => r.stop())),
      startLoadGenerator().then((g) => register(g, (r) => r.stop())),
    ]);
    const heraldIdleRssBytes = api.memory().rssBytes;
    const bareRouteIdleRssBytes = bare.process.memory().rssBytes;

    const job = (origin: string): ClosedLoopJob => ({
      origin,
      request: { method: 'POST', path: load.path, body: load.body, credentials: herald.credentials },
      connections: load.connections,
      durationSeconds: load.durationSeconds,
      warmupSeconds: load.warmupSeconds,
      expectStatus: 202,
    });
    const on = processes > 1 ? `, ${processes} processes` : '';
    context.log(`POST ${load.path} to the bare route${on}, ${load.connections} connections, ${load.durationSeconds} s`);
    const bareRoute = await generator.closedLoop(job(bare.origin));
    expectNoFailures('bare route', bareRoute);
    context.log(`POST ${load.path} to Herald (${context.dialect}${on}), ${load.connections} connections, ${load.durationSeconds} s`);
    const measured = await generator.closedLoop(job(api.origin!));
    expectNoFailures('Herald', measured);
    const storedMessages = await herald.messageCount();
    if (storedMessages !== measured.succeededIncludingWarmup) {
      throw new Error(`Herald answered 202 ${measured.succeededIncludingWarmup} times but stored ${storedMessages} messages`);
    }
    const storedDeliveries = Object.values(await herald.deliveryStatusCounts()).reduce((sum, count) => sum + count, 0);
    return { herald: measured, bareRoute, storedMessages, storedDeliveries, heraldIdleRssBytes, bareRouteIdleRssBytes };
  });
}

/** Scenario 1: signed single-message `POST /v1/messages` at a fixed number of connections. */
export async function runIngestScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { connections, durationSeconds, warmupSeconds } = context.scale.ingest;
  const result = await compareIngest(context, { path: '/v1/messages', body: singleSendBody(), connections, durationSeconds, warmupSeconds });
  if (result.storedDeliveries !== result.storedMessages) throw new Error(`${result.storedMessages} messages stored with ${result.storedDeliveries} deliveries; expected one each`);
  const { herald, bareRoute } = result;
  return {
    scenario: 'ingest',
    dialect: context.dialect,
    figures: [
      compared('accepted messages/s', herald.succeededPerSecond, '/s', 'bare Fastify route', bareRoute.succeededPerSecond, atLeastRatio(PERFORMANCE_TARGETS[context.dialect].ingestVsBareRoute, 'the bare route')),
      compared('latency p50', herald.latency.p50Ms, 'ms', 'bare Fastify route', bareRoute.latency.p50Ms),
      compared('latency p99', herald.latency.p99Ms, 'ms', 'bare Fastify route', bareRoute.latency.p99Ms),
    ],
    memory: [compared('RSS, api role idle', result.heraldIdleRssBytes / MEBIBYTE, 'MiB', 'bare Fastify process idle', result.bareRouteIdleRssBytes / MEBIBYTE)],
    details: { connections, durationSeconds, warmupSeconds, ...result },
  };
}

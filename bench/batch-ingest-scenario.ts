import { batchSendBody } from './bench-content.ts';
import { compareIngest } from './ingest-scenario.ts';
import { compared, type ScenarioContext, type ScenarioResult } from './scenario-kit.ts';
import { atLeast, PERFORMANCE_TARGETS } from './performance-targets.ts';

/**
 * Scenario 2: `POST /v1/messages/batch` with 1,000 receivers per request, each with its own
 * template variables (what the batch API is for), against Herald and the bare route.
 */
export async function runBatchIngestScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { receiversPerRequest, connections, durationSeconds, warmupSeconds } = context.scale.batchIngest;
  const result = await compareIngest(context, {
    path: '/v1/messages/batch',
    body: batchSendBody(receiversPerRequest, { perReceiverData: true }),
    connections,
    durationSeconds,
    warmupSeconds,
  });
  const expectedDeliveries = result.storedMessages * receiversPerRequest;
  if (result.storedDeliveries !== expectedDeliveries) throw new Error(`${result.storedMessages} batches stored ${result.storedDeliveries} deliveries; expected ${expectedDeliveries}`);
  const { herald, bareRoute } = result;
  return {
    scenario: 'batch-ingest',
    dialect: context.dialect,
    figures: [
      compared('accepted receivers/s', herald.succeededPerSecond * receiversPerRequest, '/s', 'bare Fastify route', bareRoute.succeededPerSecond * receiversPerRequest, atLeast(PERFORMANCE_TARGETS[context.dialect].batchReceiversPerSecond, '/s')),
      compared('batch latency p50', herald.latency.p50Ms, 'ms', 'bare Fastify route', bareRoute.latency.p50Ms),
      compared('batch latency p99', herald.latency.p99Ms, 'ms', 'bare Fastify route', bareRoute.latency.p99Ms),
    ],
    details: { receiversPerRequest, connections, durationSeconds, warmupSeconds, ...result },
  };
}

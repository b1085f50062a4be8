import { request } from 'undici';
import { SINK_ACCOUNT_NAME } from './bench-content.ts';
import { createBenchHerald } from './bench-herald.ts';
import { UNUSED_SINK_URL } from './ingest-scenario.ts';
import { summarizeLatencies, type LatencySummary } from './latency-summary.ts';
import { startLoadGenerator } from './load-generator.ts';
import { compared, withCleanup, type ScenarioContext, type ScenarioResult } from './scenario-kit.ts';

/**
 * Scenario 7: can one tenant stall the server by making it render? An abusive app sends
 * batches in parallel — every receiver with its own data, and a template whose loop makes
 * each batch cost seconds of rendering — while the bench process asks `/healthz` every few
 * milliseconds. Each probe is timed from when it was due (open loop), so a stalled event
 * loop shows as every probe it held up, not as one slow sample. Baseline: the same probes
 * against the same idle Herald just before.
 */

/** Each receiver renders its own name `turns` times: per receiver cheap, per batch costly. */
function abusiveBatch(receivers: number, turns: number): Record<string, unknown> {
  return {
    receivers: Array.from({ length: receivers }, (_, index) => ({ to: { channelAccount: SINK_ACCOUNT_NAME }, data: { name: `Receiver ${index}`, turns } })),
    content: { title: 'Report for {{ name }}', body: '{% for i in (1..turns) %}**{{ name }}** line {{ i }}, {% endfor %}', format: 'markdown' },
    metadata: { campaign: 'abuse' },
  };
}

interface HealthProbes {
  /** Failed probes count with the time until they failed. */
  latency: LatencySummary;
  failed: number;
  failureSamples: string[];
}

async function probeHealth(origin: string, intervalMs: number, durationMs: number): Promise<HealthProbes> {
  const latencies: number[] = [];
  const probes: Promise<void>[] = [];
  const failureSamples: string[] = [];
  let failed = 0;
  const started = performance.now();
  const probe = async (dueAt: number) => {
    try {
      const response = await request(`${origin}/healthz`);
      await response.body.dump();
      if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
    } catch (error) {
      if (++failed <= 3) failureSamples.push(String(error));
    }
    latencies.push(performance.now() - dueAt);
  };
  for (let sent = 0; sent * intervalMs < durationMs; ) {
    const due = Math.floor((performance.now() - started) / intervalMs) + 1;
    for (; sent < due && sent * intervalMs < durationMs; sent++) probes.push(probe(started + sent * intervalMs));
    await new Promise((resolve) => setTimeout(resolve, intervalMs / 2));
  }
  await Promise.all(probes);
  return { latency: summarizeLatencies(latencies), failed, failureSamples };
}

export async function runRenderAbuseScenario(context: ScenarioContext): Promise<ScenarioResult> {
  const { receiversPerRequest, loopTurnsPerReceiver, connections, durationSeconds, probeIntervalMs } = context.scale.renderAbuse;
  return withCleanup(async (register) => {
    const herald = register(await createBenchHerald({ dialect: context.dialect, postgresAdminUrl: context.postgresAdminUrl, execArgv: context.heraldExecArgv }), (h) => h.close());
    const generator = register(await startLoadGenerator(), (g) => g.stop());
    const api = await herald.start(['api']);
    await herald.createSinkAccount(api, UNUSED_SINK_URL);
    const origin = api.origin!;

    context.log(`render-abuse: /healthz every ${probeIntervalMs} ms, idle`);
    const idle = await probeHealth(origin, probeIntervalMs, Math.min(3000, durationSeconds * 1000));
    context.log(`render-abuse: ${connections} connections of ${receiversPerRequest}-receiver batches (${loopTurnsPerReceiver} loop turns each) for ${durationSeconds} s, /healthz every ${probeIntervalMs} ms`);
    const [abuse, underAbuse] = await Promise.all([
      generator.closedLoop({
        origin,
        request: { method: 'POST', path: '/v1/messages/batch', body: abusiveBatch(receiversPerRequest, loopTurnsPerReceiver), credentials: herald.credentials },
        connections,
        durationSeconds,
        warmupSeconds: 0,
        expectStatus: 202,
      }),
      probeHealth(origin, probeIntervalMs, durationSeconds * 1000),
    ]);
    // A refusal must be the render budget (422), never an error or a stall.
    const unexpected = abuse.failureSamples.filter((sample) => !sample.startsWith('422') || !sample.includes('RENDER_BUDGET_EXCEEDED'));
    if (unexpected.length > 0) throw new Error(`abusive batches got unexpected answers:\n${unexpected.join('\n')}`);
    return {
      scenario: 'render-abuse',
      dialect: context.dialect,
      figures: [
        compared('/healthz p50 under abuse', underAbuse.latency.p50Ms, 'ms', '/healthz idle', idle.latency.p50Ms),
        compared('/healthz p99 under abuse', underAbuse.latency.p99Ms, 'ms', '/healthz idle', idle.latency.p99Ms, { text: 'p99 < 100 ms', met: (_ratio, value) => value < 100 }),
      ],
      details: {
        receiversPerRequest,
        loopTurnsPerReceiver,
        connections,
        durationSeconds,
        probeIntervalMs,
        idle,
        underAbuse,
        abuse: { accepted: abuse.succeeded, refusedOverBudget: abuse.failed, batchLatency: abuse.latency, failureSamples: abuse.failureSamples },
      },
    };
  });
}

import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { testDialects } from '../test/support/test-databases.ts';
import { BENCH_SCALES } from './bench-scales.ts';
import { formatReport } from './results-report.ts';
import { runBenchmarks } from './run-benchmarks.ts';
import { POSTGRES_ONLY_SCENARIOS, SCENARIO_NAMES, type ScenarioResult } from './scenario-kit.ts';

/**
 * Every scenario at tiny size, so the benchmark harness cannot rot: they must complete, count
 * exactly, and produce sane numbers. Dialects run side by side (each starts its own processes).
 */
const scale = BENCH_SCALES.tiny;
// Most of a tiny run is processes starting; Node's compile cache makes the starts after the first cheaper.
process.env.NODE_COMPILE_CACHE ??= path.join(os.tmpdir(), 'herald-bench-compile-cache');

function details(results: ScenarioResult[], scenario: string): any {
  const result = results.find((r) => r.scenario === scenario);
  assert.ok(result, `no ${scenario} result`);
  for (const figure of result.figures) {
    assert.ok(Number.isFinite(figure.value), `${scenario} ${figure.label}: ${figure.value}`);
    if (figure.baseline) assert.ok(Number.isFinite(figure.baseline.value) && Number.isFinite(figure.ratio), `${scenario} ${figure.label} baseline`);
  }
  return result.details;
}

describe('benchmarks at tiny size', { concurrency: true }, () => {
  for (const dialect of testDialects) {
    // Template rendering uses no database: once is enough. Several Herald processes need PostgreSQL.
    const scenarios = SCENARIO_NAMES.filter((name) => (name !== 'template-render' || dialect === testDialects[0]) && (dialect === 'postgres' || !POSTGRES_ONLY_SCENARIOS.has(name)));
    test(`every scenario runs on ${dialect}`, async () => {
      const report = await runBenchmarks({
        scale,
        dialects: [dialect],
        scenarios,
        postgresAdminUrl: process.env.HERALD_TEST_POSTGRES_URL,
        log: () => undefined,
      });
      assert.deepEqual(report.failures, []);
      const { results } = report;

      const ingest = details(results, 'ingest');
      assert.ok(ingest.herald.succeeded > 0 && ingest.bareRoute.succeeded > 0);
      assert.equal(ingest.storedMessages, ingest.herald.succeededIncludingWarmup);
      assert.equal(ingest.storedDeliveries, ingest.storedMessages);
      assert.ok(ingest.herald.succeededPerSecond > 0 && ingest.herald.latency.p99Ms >= ingest.herald.latency.p50Ms);

      const batch = details(results, 'batch-ingest');
      assert.ok(batch.herald.succeeded > 0);
      assert.equal(batch.storedDeliveries, batch.storedMessages * scale.batchIngest.receiversPerRequest);

      const dispatch = details(results, 'dispatch');
      const { deliveries } = scale.dispatch;
      assert.deepEqual(dispatch.herald.statuses, { sent: deliveries });
      assert.deepEqual([dispatch.herald.sink.requests, dispatch.herald.sink.uniqueDeliveries, dispatch.herald.sink.duplicates], [deliveries, deliveries, 0]);
      assert.deepEqual([dispatch.rawUndici.sink.requests, dispatch.rawUndici.sink.uniqueDeliveries], [deliveries, deliveries]);
      assert.equal(dispatch.bullmq.duplicates, 0);
      for (const rate of [dispatch.herald.deliveriesPerSecond, dispatch.rawUndici.deliveriesPerSecond, dispatch.bullmq.deliveriesPerSecond]) assert.ok(rate > 0);
      assert.ok(dispatch.herald.workerPeakRssBytes > 10 * 2 ** 20);

      const endToEnd = details(results, 'end-to-end');
      const expected = scale.endToEnd.ratePerSecond * scale.endToEnd.durationSeconds;
      for (const run of [endToEnd.herald, endToEnd.bullmqPipeline]) {
        assert.equal(run.load.succeeded, expected);
        assert.equal(run.acceptToSink.count, expected);
        assert.ok(run.requestToSink.p50Ms >= 0 && run.requestToSink.p99Ms >= run.requestToSink.p50Ms);
      }
      assert.deepEqual(endToEnd.herald.statuses, { sent: expected });
      assert.ok(endToEnd.herald.idleRssBytes > 10 * 2 ** 20);

      const abuse = details(results, 'render-abuse');
      assert.ok(abuse.underAbuse.latency.count > 0 && abuse.idle.latency.count > 0, 'health was probed idle and under abuse');
      assert.deepEqual([abuse.idle.failed, abuse.underAbuse.failed], [0, 0], 'every /healthz probe was answered');
      assert.ok(abuse.abuse.accepted + abuse.abuse.refusedOverBudget > 0, 'abusive batches were sent');

      const inbox = details(results, 'inbox');
      const sizes = scale.inbox;
      assert.equal(inbox.publish.count, sizes.publishes);
      assert.deepEqual(
        [inbox.rowsAfterPublishing.announcements - inbox.rowsBeforePublishing.announcements, inbox.rowsAfterPublishing.announcementStates - inbox.rowsBeforePublishing.announcementStates],
        [sizes.publishes, 0],
        'an announcement to everybody is one row',
      );
      assert.equal(inbox.counts.count, sizes.countRequests);
      assert.deepEqual([inbox.streams.held, inbox.streams.heldAtEnd, inbox.bareStreams.held], [sizes.streams, sizes.streams, sizes.streams]);
      assert.equal(inbox.sendToShown.count, sizes.sendTargets);
      assert.equal(inbox.announcementToShown.count, sizes.streams);
      assert.ok(inbox.sendToShown.p50Ms > 0 && inbox.announcementToShown.maxMs >= inbox.announcementToShown.p50Ms);

      if (scenarios.includes('api-processes')) {
        const scaling = details(results, 'api-processes');
        for (const run of [scaling.oneProcess, scaling.twoProcesses]) {
          assert.ok(run.herald.succeeded > 0 && run.bareRoute.succeeded > 0);
          assert.equal(run.storedMessages, run.herald.succeededIncludingWarmup);
        }
      }

      const memory = results.find((r) => r.scenario === 'memory');
      assert.ok(memory && memory.figures.length === 4 && memory.figures.every((f) => f.value > 10));

      if (scenarios.includes('template-render')) {
        const templates = details(results, 'template-render');
        assert.ok(templates.liquidBodyOnlyPerSecond > 0 && Object.values(templates.rendersPerSecondByChannel).every((rate) => (rate as number) > 0));
        assert.ok(templates.renderThreadPerSecond.grouped > 0 && templates.renderThreadPerSecond.oneAtATime > 0);
      }

      const table = formatReport(report);
      for (const scenario of [...scenarios, 'memory']) assert.match(table, new RegExp(`^${scenario} `, 'm'));
    });
  }
});

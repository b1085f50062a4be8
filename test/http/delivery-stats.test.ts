import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startWebhookTestServer, type WebhookTestServer } from '../../src/providers/webhook/webhook-test-server.ts';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Figures {
  sent: number;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
}

/**
 * GET /v1/stats/accepted and /v1/stats/latency (issue 15): counted by real accepts and real sends
 * to a loopback webhook (api and worker roles, on a ManualClock), read back per channel and bucket;
 * seeded counters show the bucketing, the app's own rows only, and the refusals.
 */
for (const dialect of testDialects) {
  describe(`GET /v1/stats/accepted and /v1/stats/latency on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let other: AppCredentials;
    let hook: WebhookTestServer;
    // A second into the minute at T0: the default range ends now, and a range's end is exclusive.
    const clock = new ManualClock(T0 + 1000);
    const get = (url: string, credentials = app) => signedInject(herald, credentials, { method: 'GET', url });

    before(async () => {
      // The clock moves while sends are in flight: long leases and heartbeats keep the worker's work its own.
      herald = await createTestHerald(dialect, {
        clock,
        roles: ['api', 'worker'],
        env: { HERALD_POLL_INTERVAL_MS: '50', HERALD_LEASE_SECONDS: '3600', HERALD_WORKER_DEAD_AFTER_SECONDS: '3600' },
      });
      await herald.start();
      app = await createAppWithKey(herald, 'dash-app');
      other = await createAppWithKey(herald, 'dash-other');
      hook = await startWebhookTestServer();
      const account = await signedInject(herald, app, { method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name: 'hook', config: { url: hook.url } } });
      assert.equal(account.statusCode, 201, account.body);
    });
    after(async () => {
      await herald.close();
      await hook.close();
    });

    test('accepts and sends are counted: deliveries accepted per channel, and latency percentiles from the histogram', async () => {
      const send = async (body: Record<string, unknown>) => {
        const response = await signedInject(herald, app, { method: 'POST', url: '/v1/messages', body: { to: [{ channelAccount: 'hook' }], content: { title: 't', body: 'b' }, ...body } });
        assert.equal(response.statusCode, 202, response.body);
      };
      await send({});
      await send({ sendAt: iso(T0 + 4000) });
      const sentCounted = (count: number) =>
        waitFor(
          async () => {
            const body = (await get('/v1/stats/latency')).json();
            return body.series[0]?.sent === count && body;
          },
          { what: `${count} sends counted` },
        );
      // Counted means its result was written and reported: only then may the clock move.
      await sentCounted(1);
      // The scheduled one falls due 3 s after it was accepted: it is sent 3 s late, in the [2.5 s, 5 s) bucket.
      clock.advance(3000);
      await waitFor(() => hook.received.length >= 2, { what: 'the scheduled send' });
      const latency = await sentCounted(2);
      assert.equal(latency.bucketSeconds, 3600);
      assert.equal(latency.to, iso(T0 + 4000));
      const [webhook] = latency.series;
      // One send in [0, 50 ms) and one in [2.5 s, 5 s): the median ends the first bucket, p90 and p99 lie 80 % and 98 % into the second.
      assert.deepEqual({ channel: webhook.channel, sent: webhook.sent, p50Ms: webhook.p50Ms, p90Ms: webhook.p90Ms, p99Ms: webhook.p99Ms }, { channel: 'webhook', sent: 2, p50Ms: 50, p90Ms: 4500, p99Ms: 4950 });
      assert.equal(webhook.points.length, 25);
      assert.deepEqual(webhook.points.at(-1), { at: iso(T0), sent: 2, p50Ms: 50, p90Ms: 4500, p99Ms: 4950 });
      assert.deepEqual(webhook.points[0], { at: iso(T0 - 24 * HOUR), sent: 0, p50Ms: null, p90Ms: null, p99Ms: null });

      const accepted = (await get('/v1/stats/accepted')).json();
      assert.deepEqual(
        accepted.series.map((series: { channel: string; accepted: number }) => [series.channel, series.accepted]),
        [['webhook', 2]],
      );
      assert.deepEqual(accepted.series[0].points.at(-1), { at: iso(T0), accepted: 2 });
      assert.deepEqual((await get('/v1/stats/accepted', other)).json().series, [], "another app's counts are its own");
    });

    test('seeded minutes fall in the buckets asked for, per channel, in channel order', async () => {
      const db = herald.context.database.db;
      const base = T0 + 2 * HOUR;
      await db
        .insertInto('accept_counters')
        .values([
          { app_id: app.appId, channel: 'sms', bucket_start: base + 1 * MINUTE, accepted: 4 },
          { app_id: app.appId, channel: 'sms', bucket_start: base + 12 * MINUTE, accepted: 6 },
          { app_id: app.appId, channel: 'email', bucket_start: base + 12 * MINUTE, accepted: 1 },
          { app_id: other.appId, channel: 'sms', bucket_start: base + 1 * MINUTE, accepted: 100 },
        ])
        .execute();
      await db
        .insertInto('latency_counters')
        .values([
          { app_id: app.appId, channel: 'sms', bucket_start: base + 1 * MINUTE, from_ms: 100, sent: 9 },
          { app_id: app.appId, channel: 'sms', bucket_start: base + 2 * MINUTE, from_ms: 1000, sent: 1 },
          { app_id: app.appId, channel: 'sms', bucket_start: base + 12 * MINUTE, from_ms: 3_600_000, sent: 1 },
        ])
        .execute();
      const range = `from=${iso(base)}&to=${iso(base + 20 * MINUTE)}&bucketSeconds=600`;
      const accepted = (await get(`/v1/stats/accepted?${range}`)).json();
      assert.deepEqual(
        accepted.series.map((series: { channel: string; accepted: number; points: Array<{ accepted: number }> }) => [series.channel, series.accepted, series.points.map((point) => point.accepted)]),
        [
          ['email', 1, [0, 1]],
          ['sms', 10, [4, 6]],
        ],
      );
      const response = await get(`/v1/stats/latency?${range}`);
      assert.equal(response.statusCode, 200, response.body);
      const [sms] = response.json().series as Array<Figures & { points: Array<Figures & { at: string }> }>;
      assert.deepEqual(
        sms.points.map(({ sent, p50Ms, p99Ms }) => [sent, p50Ms, p99Ms]),
        [
          [10, 183, 2350],
          [1, 3_600_000, 3_600_000],
        ],
        'ten minutes add their histograms; beyond the last bound reads as at least an hour',
      );
      assert.deepEqual([sms.sent, sms.p90Ms, sms.p99Ms], [11, 2350, 3_600_000]);
    });

    test('ranges and buckets they cannot answer are refused with the stable codes of every stats series', async () => {
      const cases: Array<[string, string]> = [
        [`from=${iso(T0)}&to=${iso(T0 - HOUR)}`, 'STATS_RANGE_INVALID'],
        [`from=${iso(T0 - 40 * 24 * HOUR)}&to=${iso(T0)}`, 'STATS_RANGE_TOO_LONG'],
        ['bucketSeconds=90', 'STATS_BUCKET_INVALID'],
        [`from=${iso(T0 - 7 * 24 * HOUR)}&to=${iso(T0)}&bucketSeconds=60`, 'STATS_BUCKET_TOO_SMALL'],
        ['bucketSeconds=30', 'VALIDATION_FAILED'],
        ['groupBy=channel', 'VALIDATION_FAILED'],
        ['to=tomorrow', 'VALIDATION_FAILED'],
      ];
      for (const path of ['/v1/stats/accepted', '/v1/stats/latency']) {
        for (const [query, code] of cases) {
          const response = await get(`${path}?${query}`);
          assert.equal(response.statusCode, 400, `${path}?${query}: ${response.body}`);
          assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
          assert.equal(response.json().code, code, `${path}?${query}`);
        }
      }
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const MINUTE = 60_000;
const HOUR = 3_600_000;

for (const dialect of testDialects) {
  describe(`GET /v1/stats/provider-calls on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let other: AppCredentials;
    const clock = new ManualClock(T0);
    const get = (url: string, credentials = app) => signedInject(herald, credentials, { method: 'GET', url });

    before(async () => {
      herald = await createTestHerald(dialect, { clock });
      app = await createAppWithKey(herald, 'stats-app');
      other = await createAppWithKey(herald, 'stats-other');
      const row = (appId: string, subject: string, atMs: number, succeeded: number, failed: number) => ({ app_id: appId, subject, bucket_start: atMs, succeeded, failed });
      await herald.context.database.db
        .insertInto('outcome_counters')
        .values([
          // Two minutes in the hour before now, one in the hour before that, one more than a day ago.
          row(app.appId, 'channel:sms', T0 - 30 * MINUTE, 90, 10),
          row(app.appId, 'channel:sms', T0 - 29 * MINUTE, 8, 2),
          row(app.appId, 'channel:email', T0 - 90 * MINUTE, 5, 0),
          row(app.appId, 'channel:email', T0 - 25 * HOUR, 1000, 1000),
          row(app.appId, 'account:cha_1', T0 - 30 * MINUTE, 98, 12),
          row(app.appId, 'callbacks', T0 - 30 * MINUTE, 3, 3),
          row(other.appId, 'channel:sms', T0 - 30 * MINUTE, 7, 7),
        ])
        .execute();
    });
    after(() => herald.close());

    test('by channel over the last day by default: hourly points with zeros, totals and success rates of the app only', async () => {
      const response = await get('/v1/stats/provider-calls');
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json();
      assert.equal(body.bucketSeconds, 3600);
      assert.equal(body.to, new Date(T0).toISOString());
      assert.deepEqual(
        body.series.map((series: { key: string; succeeded: number; failed: number; successPercent: number }) => [series.key, series.succeeded, series.failed, series.successPercent]),
        [
          ['email', 5, 0, 100],
          ['sms', 98, 12, 89.1],
        ],
      );
      const sms = body.series[1];
      assert.equal(sms.points.length, 24);
      assert.deepEqual(sms.points.at(-1), { at: new Date(T0 - HOUR).toISOString(), succeeded: 98, failed: 12 }, 'two minutes of one hour in one point');
      assert.ok(sms.points.slice(0, -1).every((point: { succeeded: number; failed: number }) => point.succeeded === 0 && point.failed === 0));
    });

    test('by account, in a range and bucket of the caller\'s choosing', async () => {
      const from = new Date(T0 - HOUR).toISOString();
      const response = await get(`/v1/stats/provider-calls?groupBy=account&from=${from}&to=${new Date(T0).toISOString()}&bucketSeconds=600`);
      assert.equal(response.statusCode, 200, response.body);
      const [account] = response.json().series;
      assert.equal(account.key, 'cha_1');
      assert.equal(account.points.length, 6);
      assert.deepEqual(account.points[3], { at: new Date(T0 - 30 * MINUTE).toISOString(), succeeded: 98, failed: 12 });
    });

    test('ranges and buckets it cannot answer are refused with the field to change', async () => {
      const iso = (ms: number) => new Date(ms).toISOString();
      const cases: Array<[string, string]> = [
        [`from=${iso(T0)}&to=${iso(T0 - HOUR)}`, 'STATS_RANGE_INVALID'],
        [`from=${iso(T0 - 40 * 24 * HOUR)}&to=${iso(T0)}`, 'STATS_RANGE_TOO_LONG'],
        ['bucketSeconds=90', 'STATS_BUCKET_INVALID'],
        [`from=${iso(T0 - 7 * 24 * HOUR)}&to=${iso(T0)}&bucketSeconds=60`, 'STATS_BUCKET_TOO_SMALL'],
        ['bucketSeconds=30', 'VALIDATION_FAILED'],
        ['groupBy=provider', 'VALIDATION_FAILED'],
        ['from=yesterday', 'VALIDATION_FAILED'],
      ];
      for (const [query, code] of cases) {
        const response = await get(`/v1/stats/provider-calls?${query}`);
        assert.equal(response.statusCode, 400, `${query}: ${response.body}`);
        assert.equal(response.json().code, code, query);
      }
    });
  });
}

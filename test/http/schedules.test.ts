import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

/** The schedule API (api role: nothing runs): refused inputs name their field; next run times are read in the schedule's time zone. */

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MESSAGE = { to: ['u1'], channels: ['email'], content: { title: 'Daily', body: 'Good morning' } };

for (const dialect of testDialects) {
  describe(`the schedule API on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    const clock = new ManualClock(T0);
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

    before(async () => {
      herald = await createTestHerald(dialect, { clock });
      app = await createAppWithKey(herald, 'schedules');
    });
    after(() => herald.close());

    test('a bad cron expression, time zone or time is refused with 400 naming the field', async () => {
      const cases: Array<[Record<string, unknown>, string, string]> = [
        [{ cron: '61 * * * *' }, 'SCHEDULE_CRON_INVALID', 'cron'],
        [{ cron: 'every day' }, 'SCHEDULE_CRON_INVALID', 'cron'],
        [{ cron: '* * * * * * 2030' }, 'SCHEDULE_CRON_INVALID', 'cron'],
        [{ cron: '0 8 30 2 *' }, 'SCHEDULE_CRON_NEVER', 'cron'],
        [{ cron: '0 8 * * *', timeZone: 'Mars/Olympus_Mons' }, 'SCHEDULE_TIMEZONE_INVALID', 'timeZone'],
        [{ cron: '0 8 * * *', at: '2026-02-01T08:00:00+08:00' }, 'SCHEDULE_TIMING', 'at'],
        [{ at: '2030-06-30T23:59:60Z' }, 'SCHEDULE_AT_INVALID', 'at'],
        [{}, 'SCHEDULE_TIMING', 'cron'],
        [{ at: '2026-01-05T08:59:59Z' }, 'SCHEDULE_AT_PAST', 'at'],
        [{ at: 'tomorrow' }, 'VALIDATION_FAILED', 'body.at'],
        [{ cron: '0 8 * * *', missedTicks: 'catch-up' }, 'VALIDATION_FAILED', 'body.missedTicks'],
        [{ cron: '0 8 * * *', message: { ...MESSAGE, idempotencyKey: 'k1' } }, 'SCHEDULE_MESSAGE_IDEMPOTENCY_KEY', 'message.idempotencyKey'],
        [{ cron: '0 8 * * *', message: { ...MESSAGE, sendAt: '2026-02-01T08:00:00Z' } }, 'SCHEDULE_MESSAGE_SEND_AT', 'message.sendAt'],
        [{ cron: '0 8 * * *', message: { content: { body: 'to no one' } } }, 'RECEIVERS_MISSING', 'message.to'],
        [{ cron: '0 8 * * *', message: { ...MESSAGE, colour: 'red' } }, 'VALIDATION_FAILED', 'body.message'],
      ];
      for (const [fields, code, field] of cases) {
        const response = await call('POST', '/v1/schedules', { name: 'refused', message: MESSAGE, ...fields });
        assert.equal(response.statusCode, 400, JSON.stringify(fields));
        assert.equal(response.json().code, code, JSON.stringify(fields));
        assert.equal(response.json().field, field, JSON.stringify(fields));
      }
      assert.deepEqual((await call('GET', '/v1/schedules')).json().items, [], 'nothing was stored');
    });

    test('next run times follow the time zone across a daylight-saving change', async () => {
      clock.set(Date.UTC(2026, 2, 6, 0, 0, 0));
      try {
        const created = await call('POST', '/v1/schedules', { name: 'new-york-morning', cron: '0 8 * * *', timeZone: 'America/New_York', message: MESSAGE });
        assert.equal(created.statusCode, 201, created.body);
        // New York moves from EST (UTC-5) to EDT (UTC-4) on Sunday 8 March 2026: 08:00 there is 13:00 UTC, then 12:00 UTC.
        assert.deepEqual(created.json().nextRuns, ['2026-03-06T13:00:00.000Z', '2026-03-07T13:00:00.000Z', '2026-03-08T12:00:00.000Z', '2026-03-09T12:00:00.000Z', '2026-03-10T12:00:00.000Z']);
        assert.equal((await call('DELETE', `/v1/schedules/${created.json().id}`)).statusCode, 204);
      } finally {
        clock.set(T0);
      }
    });

    test('a cron schedule shows its next run times in its time zone; changes and the lifecycle show in the view', async () => {
      const created = await call('POST', '/v1/schedules', { name: 'morning', cron: '0 8 * * 1-5', timeZone: 'asia/shanghai', message: MESSAGE });
      assert.equal(created.statusCode, 201, created.body);
      const schedule = created.json();
      assert.match(schedule.id, /^sch_/);
      assert.equal(schedule.timeZone, 'Asia/Shanghai', 'the zone in its canonical spelling');
      assert.equal(schedule.status, 'active');
      assert.equal(schedule.missedTicks, 'run-once');
      assert.deepEqual(schedule.message, MESSAGE);
      // Monday 5 January 2026, 09:00 UTC is 17:00 in Shanghai: the next 08:00 there is Tuesday's, 00:00 UTC.
      assert.equal(schedule.nextRunAt, '2026-01-06T00:00:00.000Z');
      assert.deepEqual(schedule.nextRuns, ['2026-01-06T00:00:00.000Z', '2026-01-07T00:00:00.000Z', '2026-01-08T00:00:00.000Z', '2026-01-09T00:00:00.000Z', '2026-01-12T00:00:00.000Z']);
      assert.equal(schedule.lastRun, null);

      const taken = await call('POST', '/v1/schedules', { name: 'morning', cron: '0 9 * * *', message: MESSAGE });
      assert.equal(taken.statusCode, 409);
      assert.equal(taken.json().code, 'SCHEDULE_NAME_TAKEN');

      // The same cron read in New York: 08:00 EST is 13:00 UTC, still Monday.
      const moved = await call('PATCH', `/v1/schedules/${schedule.id}`, { timeZone: 'America/New_York' });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.json().cron, '0 8 * * 1-5');
      assert.equal(moved.json().nextRunAt, '2026-01-05T13:00:00.000Z');
      const badPatch = await call('PATCH', `/v1/schedules/${schedule.id}`, { cron: '* * *' });
      assert.equal(badPatch.statusCode, 400);
      assert.equal(badPatch.json().field, 'cron');

      const paused = (await call('POST', `/v1/schedules/${schedule.id}/pause`)).json();
      assert.equal(paused.status, 'paused');
      assert.equal(paused.nextRunAt, null);
      assert.equal(paused.nextRuns[0], '2026-01-05T13:00:00.000Z', 'what resuming now would run');
      // A one-off replaces the cron.
      const once = (await call('PATCH', `/v1/schedules/${schedule.id}`, { at: '2026-01-10T08:00:00+08:00', missedTicks: 'skip' })).json();
      assert.equal(once.cron, null);
      assert.equal(once.at, '2026-01-10T00:00:00.000Z');
      assert.equal(once.missedTicks, 'skip');
      assert.equal(once.status, 'paused');
      const resumed = (await call('POST', `/v1/schedules/${schedule.id}/resume`)).json();
      assert.equal(resumed.status, 'active');
      assert.equal(resumed.nextRunAt, '2026-01-10T00:00:00.000Z');
      assert.deepEqual(resumed.nextRuns, ['2026-01-10T00:00:00.000Z']);

      assert.deepEqual((await call('GET', '/v1/schedules')).json().items.map((item: { id: string }) => item.id), [schedule.id]);
      const other = await createAppWithKey(herald, 'other-app');
      assert.equal((await signedInject(herald, other, { method: 'GET', url: `/v1/schedules/${schedule.id}` })).statusCode, 404, "another app's schedule is not found");
      assert.equal((await call('DELETE', `/v1/schedules/${schedule.id}`)).statusCode, 204);
      assert.equal((await call('DELETE', `/v1/schedules/${schedule.id}`)).statusCode, 404);
    });
  });
}

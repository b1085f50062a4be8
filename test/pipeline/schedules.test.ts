import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createHerald, type Herald } from '../../src/herald.ts';
import { createLogger } from '../../src/logger.ts';
import { createScheduleRunner, MISSED_TICK_GRACE_MS, tickIdempotencyKey } from '../../src/dispatch/schedule-runner.ts';
import { silentLogger } from '../support/dispatch-test-kit.ts';
import { testDialects } from '../support/test-databases.ts';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

/**
 * Schedules run by the scheduler role, driven tick by tick with a ManualClock. "Two scheduler
 * processes" are two Herald instances with the scheduler role in this process, each with its own
 * database pool (its own connections), its own intake and its own runner, racing for every tick.
 */

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MESSAGE = { to: [{ channelAccount: 'hooks' }], content: { title: 'Report', body: 'The hourly report' } };

for (const dialect of testDialects) {
  describe(`schedules run by the scheduler role on ${dialect}`, () => {
    let clock: ManualClock;
    let herald: TestHerald;
    let second: Herald;
    let app: AppCredentials;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

    beforeEach(async () => {
      clock = new ManualClock(T0);
      herald = await createTestHerald(dialect, { clock, roles: ['api', 'scheduler'] });
      second = await createHerald(herald.config, { roles: ['scheduler'], clock, logger: createLogger('silent') });
      app = await createAppWithKey(herald, 'reports');
      const account = await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/unused' } });
      assert.equal(account.statusCode, 201, account.body);
    });
    afterEach(async () => {
      await second.stop();
      await herald.close();
    });

    async function createSchedule(body: Record<string, unknown>): Promise<{ id: string; nextRunAt: string | null }> {
      const created = await call('POST', '/v1/schedules', { name: `s-${Math.random()}`, message: MESSAGE, ...body });
      assert.equal(created.statusCode, 201, created.body);
      return created.json();
    }
    /** The messages a schedule's ticks accepted, with the tick each is keyed by, oldest first. */
    async function messagesOf(scheduleId: string): Promise<Array<{ id: string; key: string }>> {
      const rows = await herald.context.database.db
        .selectFrom('messages')
        .select(['id', 'idempotency_key'])
        .where('idempotency_key', 'like', `schedule:${scheduleId}:%`)
        .orderBy('id')
        .execute();
      return rows.map((row) => ({ id: row.id, key: row.idempotency_key! }));
    }
    const getSchedule = async (id: string) => (await call('GET', `/v1/schedules/${id}`)).json();
    /** Both schedulers at once, as two processes polling would. */
    const bothRun = async () => (await Promise.all([herald.scheduleRunner!.runDue(), second.scheduleRunner!.runDue()])).reduce((sum, ran) => sum + ran, 0);

    test('a cron schedule with two schedulers (in this process, each with its own connections): each tick sent exactly once over 20 ticks', async () => {
      const { id } = await createSchedule({ cron: '* * * * * *', missedTicks: 'skip' });
      const ranPerTick: number[] = [];
      for (let tick = 1; tick <= 20; tick++) {
        clock.advance(1000);
        ranPerTick.push(await bothRun());
        // A second poll within the same second finds nothing due.
        assert.equal(await bothRun(), 0);
      }
      assert.deepEqual(ranPerTick, Array.from({ length: 20 }, () => 1));
      const messages = await messagesOf(id);
      assert.equal(messages.length, 20, 'exactly 20 messages');
      assert.deepEqual(
        messages.map((message) => message.key).sort(),
        Array.from({ length: 20 }, (_, index) => tickIdempotencyKey(id, T0 + (index + 1) * 1000)).sort(),
        'one message per tick',
      );
      const schedule = await getSchedule(id);
      assert.equal(schedule.runs, 20);
      assert.equal(schedule.nextRunAt, new Date(T0 + 21_000).toISOString());
      assert.equal(schedule.lastRun.outcome, 'sent');
      assert.ok(messages.some((message) => message.id === schedule.lastRun.messageId));
    });

    test('a scheduler that dies between accepting and advancing: the tick runs again, and the message is not sent twice', async () => {
      // `skip` on purpose: the retried tick is an hour late by the clock, but not missed: it was claimed on time.
      const { id } = await createSchedule({ cron: '0 * * * *', missedTicks: 'skip' });
      const accepted: string[] = [];
      const dying = createScheduleRunner({
        database: herald.context.database,
        clock,
        accept: async (appId, message, key) => {
          const answer = await herald.services.intake.accept(appId, JSON.parse(message), key);
          accepted.push(answer.id);
          throw new Error('the process died before advancing');
        },
        workerId: 'dying',
        leaseSeconds: 60,
        pollIntervalMs: 1000,
        logger: silentLogger,
      });
      clock.set(Date.UTC(2026, 0, 5, 10, 0, 0));
      assert.equal(await dying.runDue(), 0, 'the tick did not complete');
      assert.equal(accepted.length, 1);
      assert.equal(await second.scheduleRunner!.runDue(), 0, 'the lease is still held');
      clock.advance(3600_000);
      // The lease lapsed: the tick of 10:00 runs again, on time since it was first claimed then; 11:00 follows it.
      assert.equal(await second.scheduleRunner!.runDue(), 1);
      const messages = await messagesOf(id);
      assert.deepEqual(messages, [{ id: accepted[0], key: tickIdempotencyKey(id, Date.UTC(2026, 0, 5, 10, 0, 0)) }], 'the retried tick replayed the first message');
      const schedule = await getSchedule(id);
      assert.equal(schedule.lastRun.outcome, 'sent');
      assert.equal(schedule.lastRun.messageId, accepted[0]);
      assert.equal(schedule.nextRunAt, new Date(Date.UTC(2026, 0, 5, 11, 0, 0)).toISOString());
    });

    test('a scheduler restarted under the same id takes its unfinished tick back at once, without waiting for the lease', async () => {
      const { id } = await createSchedule({ cron: '* * * * * *' });
      const runnerNamed = (accept: (appId: string, message: string, key: string) => Promise<{ id: string }>) =>
        createScheduleRunner({ database: herald.context.database, clock, accept, workerId: 'pod-1', leaseSeconds: 60, pollIntervalMs: 1000, logger: silentLogger });
      const dying = runnerNamed(async () => {
        throw new Error('killed');
      });
      clock.advance(1000);
      assert.equal(await dying.runDue(), 0);
      assert.equal(await second.scheduleRunner!.runDue(), 0, 'another scheduler waits for the lease');
      const restarted = runnerNamed((appId, message, key) => herald.services.intake.accept(appId, JSON.parse(message), key));
      assert.equal(await restarted.runDue(), 1);
      assert.deepEqual((await messagesOf(id)).map((message) => message.key), [tickIdempotencyKey(id, T0 + 1000)]);
    });

    test('a tick late within the grace is on time: a slow tick delays the next, it does not lose it', async () => {
      const { id } = await createSchedule({ cron: '* * * * * *', missedTicks: 'skip' });
      // Three ticks fall before the schedulers get to them, but within the grace: all three are sent, each once.
      clock.advance(3500);
      let ran = 0;
      for (let polls = 0; polls < 5; polls++) ran += await bothRun();
      assert.equal(ran, 3);
      assert.deepEqual((await messagesOf(id)).map((message) => message.key).sort(), [1000, 2000, 3000].map((ms) => tickIdempotencyKey(id, T0 + ms)).sort());
      assert.equal((await getSchedule(id)).nextRunAt, new Date(T0 + 4000).toISOString());
    });

    test('after downtime a missed tick is run once or skipped, per schedule, and no backlog is sent', async () => {
      const runOnce = await createSchedule({ cron: '*/5 * * * *', missedTicks: 'run-once' });
      const skip = await createSchedule({ cron: '*/5 * * * *', missedTicks: 'skip' });
      assert.equal(runOnce.nextRunAt, new Date(T0 + 300_000).toISOString());
      // Down for an hour: 12 ticks fall without a scheduler.
      clock.advance(3600_000 + 60_000);
      assert.equal(await bothRun(), 2);
      assert.equal((await messagesOf(runOnce.id)).length, 1, 'run-once: one message for the missed ticks');
      assert.deepEqual((await messagesOf(skip.id)).length, 0, 'skip: none');
      const skipped = await getSchedule(skip.id);
      assert.equal(skipped.lastRun.outcome, 'skipped');
      assert.match(skipped.lastRun.error, /^MISSED_TICK/);
      assert.equal(skipped.runs, 0);
      for (const { id } of [runOnce, skip]) assert.equal((await getSchedule(id)).nextRunAt, new Date(T0 + 3900_000).toISOString(), 'the next tick after now');
      // Back to normal: a tick on time is sent whatever the policy, and one late within the grace is not missed.
      clock.set(T0 + 3900_000 + MISSED_TICK_GRACE_MS);
      assert.equal(await bothRun(), 2);
      assert.equal((await messagesOf(runOnce.id)).length, 2);
      assert.equal((await messagesOf(skip.id)).length, 1);
    });

    test('pausing stops the ticks; resuming runs the next tick after now, not those paused', async () => {
      const { id } = await createSchedule({ cron: '* * * * * *' });
      clock.advance(1000);
      assert.equal(await bothRun(), 1);
      const paused = await call('POST', `/v1/schedules/${id}/pause`);
      assert.equal(paused.statusCode, 200, paused.body);
      assert.equal(paused.json().status, 'paused');
      assert.equal(paused.json().nextRunAt, null);
      for (let tick = 0; tick < 10; tick++) {
        clock.advance(1000);
        assert.equal(await bothRun(), 0);
      }
      assert.equal((await messagesOf(id)).length, 1);
      const resumed = await call('POST', `/v1/schedules/${id}/resume`);
      assert.equal(resumed.json().status, 'active');
      assert.equal(resumed.json().nextRunAt, new Date(clock.now() + 1000).toISOString());
      clock.advance(1000);
      assert.equal(await bothRun(), 1);
      const messages = await messagesOf(id);
      assert.equal(messages.length, 2);
      assert.equal(messages[1]!.key, tickIdempotencyKey(id, clock.now()));
    });

    test('a tick running while its schedule is paused sends its message but does not advance it', async () => {
      const { id } = await createSchedule({ cron: '* * * * * *' });
      const pausing = createScheduleRunner({
        database: herald.context.database,
        clock,
        accept: async (appId, message, key) => {
          const answer = await herald.services.intake.accept(appId, JSON.parse(message), key);
          assert.equal((await call('POST', `/v1/schedules/${id}/pause`)).statusCode, 200);
          return answer;
        },
        workerId: 'pausing',
        leaseSeconds: 60,
        pollIntervalMs: 1000,
        logger: silentLogger,
      });
      clock.advance(1000);
      assert.equal(await pausing.runDue(), 1);
      const schedule = await getSchedule(id);
      assert.equal(schedule.status, 'paused');
      assert.equal(schedule.runs, 0, 'the advance was refused');
      assert.equal((await messagesOf(id)).length, 1);
      clock.advance(5000);
      assert.equal(await bothRun(), 0);
    });

    test('a one-off runs once at its time, then is finished; a deleted schedule runs no more', async () => {
      const once = await createSchedule({ at: new Date(T0 + 30_000).toISOString() });
      const deleted = await createSchedule({ cron: '* * * * * *' });
      assert.equal((await call('DELETE', `/v1/schedules/${deleted.id}`)).statusCode, 204);
      clock.advance(29_000);
      assert.equal(await bothRun(), 0);
      clock.advance(1000);
      assert.equal(await bothRun(), 1);
      const finished = await getSchedule(once.id);
      assert.equal(finished.status, 'finished');
      assert.equal(finished.nextRunAt, null);
      assert.deepEqual(finished.nextRuns, []);
      clock.advance(3600_000);
      assert.equal(await bothRun(), 0);
      assert.equal((await messagesOf(once.id)).length, 1);
      assert.equal((await messagesOf(deleted.id)).length, 0);
      assert.equal((await call('GET', `/v1/schedules/${deleted.id}`)).statusCode, 404);
    });

    test('a schedule may send by message type: each tick reaches the type\'s group on its channels', async () => {
      const ok = async (method: string, url: string, body: unknown) => {
        const response = await call(method, url, body);
        assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
      };
      await ok('POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: 2525, from: 'Ops <ops@example.com>' } });
      await ok('POST', '/v1/subscribers', { externalId: 'ann', addresses: { email: 'ann@example.com' } });
      await ok('POST', '/v1/receiver-groups', { name: 'ops', members: ['ann'] });
      await ok('POST', '/v1/message-types', { code: 'report.daily', name: 'Daily report', channels: ['email'], receivers: [{ group: 'ops' }] });
      const { id } = await createSchedule({ cron: '* * * * * *', message: { type: 'report.daily', content: { title: 'Daily report', body: 'All green' } } });
      clock.advance(1000);
      assert.equal(await bothRun(), 1);
      const [message] = await messagesOf(id);
      assert.ok(message, (await getSchedule(id)).lastRun?.error);
      const sent = (await call('GET', `/v1/messages/${message.id}`)).json();
      assert.equal(sent.type, 'report.daily');
      assert.deepEqual(sent.deliveries.map((delivery: { channel: string; address: string }) => [delivery.channel, delivery.address]), [['email', 'ann@example.com']]);
    });

    test('a tick the intake refuses is recorded as failed, and the schedule goes on', async () => {
      const { id } = await createSchedule({ cron: '* * * * * *', message: { to: [{ channelAccount: 'hooks' }], template: 'no-such-template' } });
      clock.advance(1000);
      assert.equal(await bothRun(), 1);
      const schedule = await getSchedule(id);
      assert.equal(schedule.lastRun.outcome, 'failed');
      assert.match(schedule.lastRun.error, /TEMPLATE/);
      assert.equal(schedule.nextRunAt, new Date(clock.now() + 1000).toISOString());
      const { rows } = await sql<{ n: number }>`select count(*) as n from messages`.execute(herald.context.database.db);
      assert.equal(Number(rows[0]!.n), 0);
    });
  });
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createAccountCircuits } from '../../src/dispatch/account-circuits.ts';
import { createAccountQuotaLedger } from '../../src/dispatch/account-quota-ledger.ts';
import { startWebhookTestServer, type WebhookTestServer } from '../../src/providers/webhook/webhook-test-server.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

/**
 * Alarms Herald sends through Herald (issue 14): rules evaluated by the scheduler role (the test
 * calls its runner, as its poll would, on a ManualClock) against real sends to loopback webhook
 * servers; the alarms go to the ops webhook as `herald.alarm` messages, once per condition, and a
 * "resolved" message follows when the condition clears.
 */

const T0 = Date.UTC(2026, 0, 5, 3, 0, 30);
const MINUTE = 60_000;

for (const dialect of testDialects) {
  describe(`alarms on ${dialect}`, () => {
    const clock = new ManualClock(T0);
    let herald: TestHerald;
    let app: AppCredentials;
    let ops: WebhookTestServer;
    let flaky: WebhookTestServer;
    let flakyId: string;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const ok = async (method: string, url: string, body: unknown, status: number) => {
      const response = await call(method, url, body);
      assert.equal(response.statusCode, status, response.body);
      return response.statusCode === 204 ? undefined : response.json();
    };
    const db = () => herald.context.database.db;
    const evaluate = () => herald.alarmRunner!.runDue();
    /** What the ops webhook received for a rule: `[state, title]`, in arrival order. */
    const alarmMessages = (rule: string) =>
      ops.received
        .map((request) => request.body as { title: string; metadata?: Record<string, string> })
        .filter((body) => body.metadata?.alarmRule === rule)
        .map((body) => [body.metadata!.alarmState, body.title]);
    const waitForMessages = (rule: string, count: number) => waitFor(() => alarmMessages(rule).length >= count && alarmMessages(rule), { what: `${count} alarm messages of ${rule}` });
    /** Provider or callback outcomes counted (and flushed) for a subject since `fromMs`. */
    const counted = async (subject: string, fromMs: number) => {
      const row = await db()
        .selectFrom('outcome_counters')
        .select([sql<number>`coalesce(sum(succeeded), 0)`.as('succeeded'), sql<number>`coalesce(sum(failed), 0)`.as('failed')])
        .where('app_id', '=', app.appId)
        .where('subject', '=', subject)
        .where('bucket_start', '>=', fromMs - MINUTE)
        .executeTakeFirstOrThrow();
      return { succeeded: Number(row.succeeded), failed: Number(row.failed) };
    };
    const rule = (body: Record<string, unknown>) => ok('POST', '/v1/alarm-rules', { to: [{ channelAccount: 'ops-hook' }], holdDownSeconds: 0, ...body }, 201);

    before(async () => {
      // The clock jumps minutes ahead while sends are in flight: leases and heartbeats as long as an hour keep the worker's own work its own.
      herald = await createTestHerald(dialect, {
        clock,
        roles: ['api', 'worker', 'scheduler'],
        env: { HERALD_POLL_INTERVAL_MS: '50', HERALD_LEASE_SECONDS: '3600', HERALD_WORKER_DEAD_AFTER_SECONDS: '3600' },
      });
      await herald.start();
      // The test evaluates the rules itself (runDue), so the runner's own poll does not race it.
      await herald.alarmRunner!.stop();
      app = await createAppWithKey(herald, 'alarmed');
      ops = await startWebhookTestServer();
      flaky = await startWebhookTestServer();
      await ok('POST', '/v1/channel-accounts', { type: 'webhook', name: 'ops-hook', config: { url: ops.url } }, 201);
      flakyId = (await ok('POST', '/v1/channel-accounts', { type: 'webhook', name: 'flaky-hook', config: { url: flaky.url }, isDefault: false }, 201)).id;
    });
    after(async () => {
      await herald.close();
      await ops.close();
      await flaky.close();
    });

    test('success rate: a provider answering 500 → one alarm below the threshold, none again while it holds, resolved once sends succeed', async () => {
      const created = await rule({ name: 'flaky-rate', kind: 'success_rate', scope: { account: 'flaky-hook' }, params: { belowPercent: 50, windowSeconds: 300, minAttempts: 3 } });
      assert.deepEqual(created.scope, { account: flakyId }, 'the account is stored by id');
      const byChannel = await rule({ name: 'webhook-rate', kind: 'success_rate', scope: { channel: 'webhook' }, params: { belowPercent: 50, windowSeconds: 300, minAttempts: 3 } });
      assert.equal(await evaluate(), 2);
      assert.deepEqual(alarmMessages('flaky-rate'), [], 'no calls yet: nothing to judge');

      flaky.setMode('transient-error');
      const startedMs = clock.now();
      for (let i = 0; i < 3; i++) await ok('POST', '/v1/messages', { to: [{ channelAccount: 'flaky-hook' }], content: { title: `order ${i}`, body: 'paid' } }, 202);
      await waitFor(async () => (await counted(`account:${flakyId}`, startedMs)).failed >= 3, { what: 'three failed calls counted' });
      clock.advance(MINUTE);
      await evaluate();
      const fired = await waitForMessages('flaky-rate', 1);
      assert.deepEqual(fired, [['fired', '[Herald alarm] Success rate of flaky-hook at 0% over 5 min (< 50%)']]);
      assert.deepEqual(await waitForMessages('webhook-rate', 1), [['fired', '[Herald alarm] Success rate of webhook at 0% over 5 min (< 50%)']], 'the channel rule, over every webhook account');

      clock.advance(MINUTE);
      await evaluate();
      const [open] = (await ok('GET', `/v1/alarms?rule=${created.id}`, undefined, 200)).items;
      assert.equal(open.status, 'open');
      assert.equal(open.value, 0);

      // The platform recovers; after the window the failures have left it and only successes count.
      flaky.setMode('normal');
      clock.advance(6 * MINUTE);
      const recoveredMs = clock.now();
      for (let i = 0; i < 3; i++) await ok('POST', '/v1/messages', { to: [{ channelAccount: 'flaky-hook' }], content: { title: `order ok ${i}`, body: 'paid' } }, 202);
      await waitFor(async () => (await counted(`account:${flakyId}`, recoveredMs)).succeeded >= 3, { what: 'three sent calls counted' });
      await evaluate();
      const messages = await waitForMessages('flaky-rate', 2);
      assert.deepEqual(messages.map(([state]) => state), ['fired', 'resolved'], 'exactly one alarm and one resolution: the evaluation while it held sent nothing');
      // The resolution shows the rate that cleared it: the new sends, and retries of the old ones whose results were counted late.
      assert.match(messages[1]![1]!, /^\[Herald alarm resolved\] Success rate of flaky-hook at (\d+(\.\d)?)% over 5 min \(< 50%\)$/);
      const alarm = await ok('GET', `/v1/alarms/${open.id}`, undefined, 200);
      assert.equal(alarm.status, 'resolved');
      assert.equal(alarm.resolvedAt, new Date(clock.now()).toISOString());
      assert.ok(alarm.firedMessageId && alarm.resolvedMessageId);
      const firedMessage = await ok('GET', `/v1/messages/${alarm.firedMessageId}`, undefined, 200);
      assert.equal(firedMessage.type, 'herald.alarm');
      assert.deepEqual((await waitForMessages('webhook-rate', 2)).map(([state]) => state), ['fired', 'resolved']);
      for (const id of [created.id, byChannel.id]) await ok('DELETE', `/v1/alarm-rules/${id}`, undefined, 204);
    });

    test('callbacks failing: result callbacks answered with 500 → an alarm; resolved once the window has no failures', async () => {
      const callbacks = await startWebhookTestServer();
      try {
        callbacks.setMode('transient-error');
        const created = await rule({ name: 'callbacks', kind: 'callbacks_failing', params: { failuresAtLeast: 2, windowSeconds: 120 } });
        const startedMs = clock.now();
        for (let i = 0; i < 2; i++) await ok('POST', '/v1/messages', { to: [{ channelAccount: 'ops-hook' }], content: { title: `with callback ${i}`, body: 'x' }, callbackUrl: callbacks.url }, 202);
        await waitFor(async () => (await counted('callbacks', startedMs)).failed >= 2, { what: 'two failed callback attempts counted' });
        await evaluate();
        assert.deepEqual(await waitForMessages('callbacks', 1), [['fired', '[Herald alarm] 2 result callbacks failed in 2 min (≥ 2)']]);

        callbacks.setMode('normal');
        clock.advance(4 * MINUTE);
        await evaluate();
        assert.deepEqual((await waitForMessages('callbacks', 2)).map(([state]) => state), ['fired', 'resolved']);
        await ok('DELETE', `/v1/alarm-rules/${created.id}`, undefined, 204);
      } finally {
        await callbacks.close();
      }
    });

    test('circuit open: an account whose circuit opened → an alarm naming it; resolved when the circuit closes', async () => {
      const created = await rule({ name: 'circuits', kind: 'circuit_open', params: {} });
      const circuits = createAccountCircuits({ database: herald.context.database, clock, policy: { failureThreshold: 3, cooldownSeconds: 120 } });
      await circuits.record([1, 2, 3].map(() => ({ accountId: flakyId, transient: true })));
      await evaluate();
      assert.deepEqual(await waitForMessages('circuits', 1), [['fired', '[Herald alarm] Circuit breaker on flaky-hook']]);
      const [alarm] = (await ok('GET', `/v1/alarms?rule=${created.id}&status=open`, undefined, 200)).items;
      assert.deepEqual([alarm.subject, alarm.subjectLabel, alarm.value], [`account:${flakyId}`, 'flaky-hook', 3]);

      clock.advance(MINUTE);
      await evaluate();
      assert.equal(alarmMessages('circuits').length, 1, 'still open: nothing more');
      clock.advance(2 * MINUTE);
      await evaluate();
      assert.deepEqual(await waitForMessages('circuits', 2), [
        ['fired', '[Herald alarm] Circuit breaker on flaky-hook'],
        ['resolved', '[Herald alarm resolved] Circuit breaker on flaky-hook'],
      ]);
      await ok('DELETE', `/v1/alarm-rules/${created.id}`, undefined, 204);
    });

    // Last: it moves the clock past the quota's midnight.
    test('quota: an account with 100 a day that sent 90 → one alarm to the ops webhook, none on the next evaluation, one "resolved" after the day resets', async () => {
      const account = await ok('POST', '/v1/channel-accounts', { type: 'webhook', name: 'sms-daily', config: { url: flaky.url }, isDefault: false, quota: { period: 'day', limit: 100 } }, 201);
      assert.equal(account.quota.timeZone, 'Asia/Shanghai');
      const created = await rule({ name: 'quota', kind: 'quota_remaining', scope: { account: 'sms-daily' }, params: { remainingPercent: 10 } });
      flaky.setMode('normal');
      for (let start = 0; start < 90; start += 10) {
        await Promise.all(Array.from({ length: 10 }, (_, i) => ok('POST', '/v1/messages', { to: [{ channelAccount: 'sms-daily' }], content: { title: `code ${start + i}`, body: 'x' } }, 202)));
      }
      await waitFor(async () => (await ok('GET', '/v1/channel-accounts/sms-daily', undefined, 200)).quotaStatus.remaining === 10, { what: '90 of 100 used' });
      await evaluate();
      assert.deepEqual(await waitForMessages('quota', 1), [['fired', '[Herald alarm] Quota of sms-daily at 10 left (≤ 10%)']]);

      clock.advance(MINUTE);
      await evaluate();
      const accepted = async () => db().selectFrom('messages').select('id').where('app_id', '=', app.appId).where('metadata', 'like', '%"alarmRule":"quota"%').execute();
      assert.equal((await accepted()).length, 1, 'the condition holding again sends nothing');

      // Midnight in Shanghai is 16:00 UTC: the day's usage starts again.
      clock.set(Date.UTC(2026, 0, 5, 16, 0, 30));
      assert.equal((await ok('GET', '/v1/channel-accounts/sms-daily', undefined, 200)).quotaStatus.remaining, 100);
      await evaluate();
      assert.deepEqual(await waitForMessages('quota', 2), [
        ['fired', '[Herald alarm] Quota of sms-daily at 10 left (≤ 10%)'],
        ['resolved', '[Herald alarm resolved] Quota of sms-daily at 100 left (≤ 10%)'],
      ]);
      assert.equal((await accepted()).length, 2);
      const [alarm] = (await ok('GET', `/v1/alarms?rule=${created.id}`, undefined, 200)).items;
      assert.deepEqual([alarm.status, alarm.subjectLabel, alarm.value, alarm.detail.limit], ['resolved', 'sms-daily', 10, 100]);
      await ok('DELETE', `/v1/alarm-rules/${created.id}`, undefined, 204);

      // Without a scope: each account with a known quota. A provider's balance error marks one exhausted until it is reset.
      const balance = await ok('POST', '/v1/channel-accounts', { type: 'webhook', name: 'balance-hook', config: { url: flaky.url }, isDefault: false }, 201);
      const everyAccount = await rule({ name: 'quota-all', kind: 'quota_remaining', params: { remainingCount: 5 } });
      await evaluate();
      await createAccountQuotaLedger({ database: herald.context.database, clock }).markExhausted(balance.id, { sinceMs: clock.now(), untilMs: null, code: 'isv.AMOUNT_NOT_ENOUGH', message: 'account balance is not enough' });
      clock.advance(MINUTE);
      await evaluate();
      assert.deepEqual(await waitForMessages('quota-all', 1), [['fired', '[Herald alarm] Quota of balance-hook at 0 left (≤ 5)']], 'only the exhausted account: sms-daily has 100 left, the others no quota');
      await ok('POST', '/v1/channel-accounts/balance-hook/quota/reset', undefined, 200);
      clock.advance(MINUTE);
      await evaluate();
      assert.deepEqual((await waitForMessages('quota-all', 2)).map(([state]) => state), ['fired', 'resolved']);
      await ok('DELETE', `/v1/alarm-rules/${everyAccount.id}`, undefined, 204);
    });
  });
}

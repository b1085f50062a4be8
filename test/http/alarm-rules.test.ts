import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAccountCircuits } from '../../src/dispatch/account-circuits.ts';
import { createAlarmRunner } from '../../src/dispatch/alarm-runner.ts';
import type { SendRequestBody } from '../../src/domain/messages/send-request-schema.ts';
import { testDialects } from '../support/test-databases.ts';
import { consoleSession, createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

/**
 * Alarm rules through the API: validation refusals (problem+json with stable codes), admin-only
 * writes, the built-in `herald.alarm` type and template, the backlog rule with its hold-down, and
 * the alarm history. The Herald here runs no worker, so what is sent stays in the backlog.
 */

const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);
const SECOND = 1000;

for (const dialect of testDialects) {
  describe(`alarm rules API on ${dialect}`, () => {
    const clock = new ManualClock(T0);
    let herald: TestHerald;
    let app: AppCredentials;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const ok = async (method: string, url: string, body: unknown, status: number) => {
      const response = await call(method, url, body);
      assert.equal(response.statusCode, status, response.body);
      return response.statusCode === 204 ? undefined : response.json();
    };
    const refused = async (body: unknown, status: number, code: string, field?: string) => {
      const response = await call('POST', '/v1/alarm-rules', body);
      assert.equal(response.statusCode, status, response.body);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      const problem = response.json();
      assert.equal(problem.code, code, response.body);
      if (field !== undefined) assert.equal(problem.field, field, response.body);
      return problem;
    };
    const evaluate = () => herald.alarmRunner!.runDue();
    const valid = { name: 'backlog', kind: 'backlog_age', params: { olderThanSeconds: 60 }, to: [{ channelAccount: 'ops-hook' }] };

    before(async () => {
      herald = await createTestHerald(dialect, { clock, roles: ['api', 'scheduler'], env: { HERALD_ALARM_EVALUATION_INTERVAL_SECONDS: '10' } });
      await herald.start();
      await herald.alarmRunner!.stop();
      app = await createAppWithKey(herald, 'ops');
      await ok('POST', '/v1/channel-accounts', { type: 'webhook', name: 'ops-hook', config: { url: 'http://127.0.0.1:9/hook' } }, 201);
    });
    after(async () => {
      await herald.close();
    });

    test('refusals: unknown group, account, kind and parameters, a scope the kind does not take — each a 4xx problem naming the field', async () => {
      await refused({ ...valid, to: [{ group: 'nobody' }] }, 422, 'RECEIVER_GROUP_NOT_FOUND', 'to');
      await refused({ ...valid, to: [{ channelAccount: 'no-such-hook' }] }, 422, 'CHANNEL_ACCOUNT_NOT_FOUND', 'to');
      await refused({ ...valid, kind: 'disk_full' }, 400, 'VALIDATION_FAILED');
      const unknownParam = await refused({ ...valid, params: { olderThanSeconds: 60, olderThan: 60 } }, 400, 'ALARM_RULE_PARAMS_INVALID', 'params.olderThan');
      assert.match(unknownParam.detail, /backlog_age takes olderThanSeconds/);
      await refused({ ...valid, params: {} }, 400, 'ALARM_RULE_PARAMS_INVALID', 'params.olderThanSeconds');
      await refused({ ...valid, params: { olderThanSeconds: 0 } }, 400, 'ALARM_RULE_PARAMS_INVALID', 'params.olderThanSeconds');
      await refused({ ...valid, kind: 'success_rate', params: { belowPercent: 120, windowSeconds: 300, minAttempts: 5 } }, 400, 'ALARM_RULE_PARAMS_INVALID', 'params.belowPercent');
      await refused({ ...valid, kind: 'quota_remaining', params: {} }, 400, 'ALARM_RULE_PARAMS_INVALID', 'params');
      await refused({ ...valid, scope: { account: 'ops-hook' } }, 400, 'ALARM_RULE_SCOPE_INVALID', 'scope');
      await refused({ ...valid, kind: 'circuit_open', params: {}, scope: { channel: 'email' } }, 400, 'ALARM_RULE_SCOPE_INVALID', 'scope');
      await refused({ ...valid, kind: 'circuit_open', params: {}, scope: { account: 'gone' } }, 422, 'CHANNEL_ACCOUNT_NOT_FOUND', 'scope.account');
      const { items } = await ok('GET', '/v1/alarm-rules', undefined, 200);
      assert.deepEqual(items, [], 'nothing refused was saved');
      assert.equal((await call('GET', '/v1/message-types/herald.alarm')).statusCode, 404, 'nor the alarm type created');
    });

    test('writes are for admins: an operator is refused, a viewer reads; a duplicate name is a 409', async () => {
      const operator = await consoleSession(herald, 'operator');
      const asOperator = await herald.server!.inject({ method: 'POST', url: '/v1/alarm-rules', headers: { ...operator, 'x-herald-app': app.appName }, payload: { ...valid, name: 'by-operator' } });
      assert.equal(asOperator.statusCode, 403, asOperator.body);
      assert.equal(asOperator.json().code, 'ROLE_INSUFFICIENT');
      const viewer = await consoleSession(herald, 'viewer');
      const read = await herald.server!.inject({ method: 'GET', url: '/v1/alarm-rules', headers: { ...viewer, 'x-herald-app': app.appName } });
      assert.equal(read.statusCode, 200, read.body);

      const created = await ok('POST', '/v1/alarm-rules', { ...valid, name: 'twice', enabled: false }, 201);
      await refused({ ...valid, name: 'twice' }, 409, 'ALARM_RULE_NAME_TAKEN', 'name');
      await ok('DELETE', `/v1/alarm-rules/${created.id}`, undefined, 204);
      assert.equal((await call('GET', `/v1/alarm-rules/${created.id}`)).json().code, 'ALARM_RULE_NOT_FOUND');
    });

    test('the first rule creates the critical herald.alarm type with an en and zh-CN template, which stays editable', async () => {
      const created = await ok('POST', '/v1/alarm-rules', { ...valid, name: 'makes-type', enabled: false }, 201);
      const type = await ok('GET', '/v1/message-types/herald.alarm', undefined, 200);
      assert.deepEqual([type.critical, type.template, type.urgency], [true, 'herald.alarm', 'urgent']);
      const data = { state: 'fired', kind: 'quota_remaining', rule: 'sms-quota', subject: 'aliyun-sms', value: '10', threshold: '≤ 10%', alarmId: 'alm_x', firedAt: '2026-01-05T03:00:00.000Z' };
      const preview = async (locale: string, extra: Record<string, unknown> = {}) =>
        (await ok('POST', '/v1/templates/herald.alarm/preview', { data: { ...data, ...extra }, locale, channels: ['webhook'], version: 1 }, 200)).channels.webhook.title;
      assert.equal(await preview('en'), '[Herald alarm] Quota of aliyun-sms at 10 left (≤ 10%)');
      assert.equal(await preview('zh-CN'), '[Herald 告警] aliyun-sms 剩余额度 10（≤ 10%）');
      assert.equal(await preview('en', { state: 'resolved', resolvedAt: '2026-01-05T04:00:00.000Z' }), '[Herald alarm resolved] Quota of aliyun-sms at 10 left (≤ 10%)');
      // Edited by the app, it is left alone by later rules.
      await ok('PATCH', '/v1/message-types/herald.alarm', { channels: ['webhook'] }, 200);
      const second = await ok('POST', '/v1/alarm-rules', { ...valid, name: 'keeps-type', enabled: false }, 201);
      assert.deepEqual((await ok('GET', '/v1/message-types/herald.alarm', undefined, 200)).channels, ['webhook']);
      for (const rule of [created, second]) await ok('DELETE', `/v1/alarm-rules/${rule.id}`, undefined, 204);
    });

    test('backlog: the oldest due delivery waiting past the threshold fires once; it resolves only after staying clear for the hold-down', async () => {
      const rule = await ok('POST', '/v1/alarm-rules', { ...valid, name: 'backlog', locale: 'zh-CN', holdDownSeconds: 10 }, 201);
      assert.deepEqual([rule.enabled, rule.holdDownSeconds, rule.locale, rule.nextEvaluationAt], [true, 10, 'zh-CN', new Date(clock.now()).toISOString()]);
      const stuck = await ok('POST', '/v1/messages', { to: [{ channelAccount: 'ops-hook' }], content: { title: 'stuck', body: 'x' } }, 202);
      assert.equal(await evaluate(), 1);
      assert.deepEqual((await ok('GET', '/v1/alarms', undefined, 200)).items, [], 'due for 0 s: clear');

      clock.advance(61 * SECOND);
      assert.equal(await evaluate(), 1);
      const [alarm] = (await ok('GET', '/v1/alarms?status=open', undefined, 200)).items;
      assert.deepEqual([alarm.ruleId, alarm.kind, alarm.subject, alarm.value, alarm.detail.threshold], [rule.id, 'backlog_age', 'app', 61, '> 1 min']);
      const fired = await ok('GET', `/v1/messages/${alarm.firedMessageId}`, undefined, 200);
      assert.equal(fired.type, 'herald.alarm');
      const delivery = await herald.context.database.db.selectFrom('deliveries').select('locale').where('message_id', '=', fired.id).executeTakeFirstOrThrow();
      assert.equal(delivery.locale, 'zh-CN', "the rule's locale picks the template's zh-CN variant");

      clock.advance(10 * SECOND);
      assert.equal(await evaluate(), 1);
      assert.equal((await ok('GET', '/v1/alarms', undefined, 200)).items.length, 1, 'holding again: the same alarm, no second');
      assert.equal(await evaluate(), 0, 'not due again before the interval');

      // The stuck message is canceled: the backlog is only the alarm's own message, due for 10 s.
      await ok('POST', `/v1/messages/${stuck.id}/cancel`, undefined, 200);
      clock.advance(10 * SECOND);
      await evaluate();
      let shown = await ok('GET', `/v1/alarms/${alarm.id}`, undefined, 200);
      assert.deepEqual([shown.status, shown.clearSince, shown.resolvedMessageId], ['open', new Date(clock.now()).toISOString(), null], 'clear, within the hold-down');
      clock.advance(10 * SECOND);
      await evaluate();
      shown = await ok('GET', `/v1/alarms/${alarm.id}`, undefined, 200);
      assert.equal(shown.status, 'resolved');
      assert.equal(shown.resolvedAt, new Date(clock.now()).toISOString());
      const resolved = await ok('GET', `/v1/messages/${shown.resolvedMessageId}`, undefined, 200);
      assert.equal(resolved.type, 'herald.alarm');
      assert.notEqual(resolved.id, fired.id);
      await ok('PATCH', `/v1/alarm-rules/${rule.id}`, { enabled: false }, 200);
    });

    test('two schedulers evaluating at once fire one alarm; a crash before its message id was recorded resends under the same key, which replays the message', async () => {
      const { database, logger } = herald.context;
      const accountId = (await ok('GET', '/v1/channel-accounts/ops-hook', undefined, 200)).id;
      const rule = await ok('POST', '/v1/alarm-rules', { ...valid, name: 'circuit', kind: 'circuit_open', params: {}, scope: { account: 'ops-hook' }, holdDownSeconds: 0 }, 201);
      await createAccountCircuits({ database, clock, policy: { failureThreshold: 1, cooldownSeconds: 600 } }).record([{ accountId, transient: true }]);
      const scheduler = (workerId: string) =>
        createAlarmRunner({
          database,
          clock,
          accept: (appId, message, key) => herald.services.intake.accept(appId, message as SendRequestBody, key),
          evaluationIntervalSeconds: 10,
          workerId,
          leaseSeconds: 30,
          pollIntervalMs: 60_000,
          logger,
        });
      const ran = await Promise.all([scheduler('scheduler-a').runDue(), scheduler('scheduler-b').runDue()]);
      assert.equal(ran[0]! + ran[1]!, 1, 'one of them evaluated the rule');
      const { items } = await ok('GET', `/v1/alarms?rule=${rule.id}`, undefined, 200);
      assert.equal(items.length, 1);
      const [{ id, firedMessageId }] = items;
      assert.ok(firedMessageId);

      // As if the scheduler died after the intake accepted the message but before the alarm recorded it.
      await database.db.updateTable('alarms').set({ fired_message_id: null }).where('id', '=', id).execute();
      clock.advance(10 * SECOND);
      assert.equal(await evaluate(), 1);
      assert.equal((await ok('GET', `/v1/alarms/${id}`, undefined, 200)).firedMessageId, firedMessageId, 'the intake answered with the first message');
      const sent = await database.db.selectFrom('messages').select('id').where('app_id', '=', app.appId).where('metadata', 'like', `%"alarmId":"${id}"%`).execute();
      assert.deepEqual(sent.map((row) => row.id), [firedMessageId], 'one message for the alarm');
      await ok('DELETE', `/v1/alarm-rules/${rule.id}`, undefined, 204);
      assert.equal((await ok('GET', `/v1/alarms/${id}`, undefined, 200)).status, 'resolved', 'deleting the rule closes its alarm');
    });

    test('a flapping condition within the hold-down keeps one alarm open: no second alarm, no resolution until it stays clear', async () => {
      const { database } = herald.context;
      const accountId = (await ok('GET', '/v1/channel-accounts/ops-hook', undefined, 200)).id;
      const circuits = createAccountCircuits({ database, clock, policy: { failureThreshold: 1, cooldownSeconds: 3600 } });
      const rule = await ok('POST', '/v1/alarm-rules', { ...valid, name: 'flapping', kind: 'circuit_open', params: {}, holdDownSeconds: 25 }, 201);
      const states = async () => (await ok('GET', `/v1/alarms?rule=${rule.id}`, undefined, 200)).items.map((alarm: Record<string, unknown>) => [alarm.status, alarm.clearSince !== null]);
      const step = async (transient: boolean) => {
        await circuits.record([{ accountId, transient }]);
        clock.advance(10 * SECOND);
        assert.equal(await evaluate(), 1);
      };
      await step(true);
      assert.deepEqual(await states(), [['open', false]]);
      await step(false);
      assert.deepEqual(await states(), [['open', true]], 'clear, held down');
      await step(true);
      assert.deepEqual(await states(), [['open', false]], 'open again: the same alarm, its clear time forgotten');
      await step(false);
      await step(false);
      assert.deepEqual(await states(), [['open', true]], 'clear for 10 s of 25');
      await step(false);
      await step(false);
      assert.deepEqual(await states(), [['resolved', true]], 'clear for 30 s: resolved');
      const [alarm] = (await ok('GET', `/v1/alarms?rule=${rule.id}`, undefined, 200)).items;
      const sent = await database.db.selectFrom('messages').select('metadata').where('app_id', '=', app.appId).where('metadata', 'like', `%"alarmId":"${alarm.id}"%`).execute();
      assert.deepEqual(sent.map((row) => (JSON.parse(row.metadata) as Record<string, string>).alarmState).sort(), ['fired', 'resolved']);
      await ok('DELETE', `/v1/alarm-rules/${rule.id}`, undefined, 204);
    });

    test('history: filters by status, rule and time, pages with a cursor; unknown ids and cursors are refused', async () => {
      const all = (await ok('GET', '/v1/alarms', undefined, 200)).items;
      assert.ok(all.length >= 1);
      assert.deepEqual((await ok('GET', '/v1/alarms?status=open', undefined, 200)).items, []);
      assert.equal((await ok('GET', '/v1/alarms?status=resolved', undefined, 200)).items.length, all.length);
      assert.deepEqual((await ok('GET', `/v1/alarms?since=${encodeURIComponent(new Date(clock.now() + 1000).toISOString())}`, undefined, 200)).items, []);
      assert.deepEqual((await ok('GET', '/v1/alarms?rule=alr_nope', undefined, 200)).items, []);
      const first = await ok('GET', '/v1/alarms?limit=1', undefined, 200);
      assert.equal(first.items.length, 1);
      assert.equal((await call('GET', '/v1/alarms?cursor=zzz')).json().code, 'INVALID_CURSOR');
      assert.equal((await call('GET', '/v1/alarms/alm_nope')).json().code, 'ALARM_NOT_FOUND');
      assert.equal((await call('GET', '/v1/alarms/alm_nope')).statusCode, 404);
      // Writes are audited.
      const audit = await herald.context.database.db.selectFrom('audit_log').select('action').where('action', 'like', '% /v1/alarm-rules%').execute();
      assert.ok(audit.some((row) => row.action === 'POST /v1/alarm-rules'));
      assert.ok(audit.some((row) => row.action === 'PATCH /v1/alarm-rules/{id}'));
    });
  });
}

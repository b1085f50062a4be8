import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { MessageTypeForSend, MessageTypePolicies } from '../../src/domain/message-types/message-type-policies.ts';
import type { AcceptStep, AcceptTransactionStep } from '../../src/domain/messages/accept-steps/accept-draft.ts';
import { POLICY_STEPS, TRANSACTION_POLICY_STEPS } from '../../src/domain/messages/accept-steps/accept-pipeline.ts';
import type { MessageIntake } from '../../src/domain/messages/message-intake.ts';
import type { SendRequestBody } from '../../src/domain/messages/send-request-schema.ts';
import { startSmtpTestServer, type SmtpTestServer } from '../../src/providers/smtp/smtp-test-server.ts';
import { consoleSession, createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { intakeWithSteps } from '../support/policy-intake.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The message-type policies (quiet hours, dedup, frequency caps) as POLICY_STEPS run them while a
 * message is accepted, end to end: rows, trails, and the worker sending what was held when its
 * time comes. Sends through the API name no type yet, so the intake here gives the steps a type.
 */

let typeCounter = 0;
function messageType(policies: MessageTypePolicies): MessageTypeForSend {
  return { id: `mt_${++typeCounter}`, code: `test.type${typeCounter}`, category: null, critical: false, policies };
}

/** The policy steps, each seeing the draft as if the send had named `type` (the planned deliveries they decide on are shared). */
function stepsFor(type: MessageTypeForSend) {
  return {
    policies: POLICY_STEPS.map((step): AcceptStep => (draft, services) => step({ ...draft, messageType: type }, services)),
    transactionPolicies: TRANSACTION_POLICY_STEPS.map((step): AcceptTransactionStep => (draft, services, trx) => step({ ...draft, messageType: type }, services, trx)),
  };
}

for (const dialect of testDialects) {
  describe(`message-type policies on ${dialect}`, () => {
    // Monday 5 January 2026, 12:30 UTC: 20:30 in Shanghai, 07:30 in New York, 13:30 in Berlin.
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 12, 30));
    let herald: TestHerald;
    let app: AppCredentials;
    let smtp: SmtpTestServer;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

    const intakeFor = (type: MessageTypeForSend): MessageIntake => intakeWithSteps(herald, stepsFor(type));
    const send = (intake: MessageIntake, body: Partial<SendRequestBody> & Pick<SendRequestBody, 'to'>) =>
      intake.accept(app.appId, { channels: ['email'], content: { title: 'Order', body: 'Paid' }, ...body }, undefined);
    const trail = async (messageId: string, deliveryId: string) =>
      (await call('GET', `/v1/messages/${messageId}`)).json().events.filter((e: { deliveryId: string | null }) => e.deliveryId === deliveryId).map((e: { type: string; code: string | null; detail: string | null }) => [e.type, e.code, e.detail]);
    const deliveryRow = (id: string) => herald.context.database.db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    before(async () => {
      herald = await createTestHerald(dialect, { clock, roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', PORT: '0', HOST: '127.0.0.1' } });
      await herald.start();
      app = await createAppWithKey(herald, 'policies');
      smtp = await startSmtpTestServer();
      const account = await call('POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: smtp.port, starttls: 'disabled', from: 'Shop <shop@example.com>' } });
      assert.equal(account.statusCode, 201, account.body);
      for (const [externalId, timezone] of [['li', 'Asia/Shanghai'], ['ann', 'America/New_York']] as const) {
        const created = await call('POST', '/v1/subscribers', { externalId, timezone, addresses: { email: `${externalId}@example.com` } });
        assert.equal(created.statusCode, 201, created.body);
      }
    });
    after(async () => {
      await herald.close();
      await smtp.close();
    });

    test("the app's default time zone is an IANA zone, stored in its canonical spelling", async () => {
      const admin = await consoleSession(herald, 'admin');
      const bad = await herald.server!.inject({ method: 'PATCH', url: `/v1/apps/${app.appId}`, headers: admin, payload: { settings: { timezone: 'Mars/Olympus' } } });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.equal(bad.json().code, 'APP_TIMEZONE_INVALID');
      assert.equal(bad.json().field, 'settings.timezone');
      const good = await herald.server!.inject({ method: 'PATCH', url: `/v1/apps/${app.appId}`, headers: admin, payload: { settings: { timezone: 'europe/berlin' } } });
      assert.equal(good.statusCode, 200, good.body);
      assert.deepEqual(good.json().settings, { timezone: 'Europe/Berlin' });
    });

    test('one quiet-hours rule holds a receiver in Asia/Shanghai and one in America/New_York until their own 08:00; one in the daytime goes now', async () => {
      const startMs = clock.now();
      const intake = intakeFor(messageType({ quietHours: { start: '20:00', end: '08:00', action: 'hold' } }));
      // bo has no zone of his own: the app's (Europe/Berlin, set above), where it is 13:30.
      const accepted = await send(intake, { to: ['li', 'ann', { email: 'bo@example.com' }] });
      assert.deepEqual(accepted.deliveries.map((d) => [d.address, d.status]), [['li@example.com', 'scheduled'], ['ann@example.com', 'scheduled'], ['bo@example.com', 'queued']]);
      const [li, ann, bo] = accepted.deliveries.map((d) => d.id) as [string, string, string];

      const shanghaiEight = Date.UTC(2026, 0, 6, 0, 0);
      const newYorkEight = Date.UTC(2026, 0, 5, 13, 0);
      assert.equal((await deliveryRow(li)).run_at, shanghaiEight);
      assert.equal((await deliveryRow(ann)).run_at, newYorkEight);
      assert.equal((await deliveryRow(ann)).last_error_code, 'QUIET_HOURS');
      assert.deepEqual(await trail(accepted.id, li), [['deferred', 'QUIET_HOURS', `Quiet hours 20:00–08:00 in Asia/Shanghai (until ${new Date(shanghaiEight).toISOString()})`]]);
      assert.deepEqual(await trail(accepted.id, ann), [['deferred', 'QUIET_HOURS', `Quiet hours 20:00–08:00 in America/New_York (until ${new Date(newYorkEight).toISOString()})`]]);
      await waitFor(async () => (await call('GET', `/v1/deliveries/${bo}`)).json().status === 'sent', { what: 'the daytime receiver sent at once' });

      // 08:00 in New York: ann's mail goes; li's night goes on.
      clock.set(newYorkEight);
      await waitFor(async () => (await call('GET', `/v1/deliveries/${ann}`)).json().status === 'sent', { what: 'the New York receiver sent at her 08:00' });
      assert.equal((await call('GET', `/v1/deliveries/${li}`)).json().status, 'scheduled');

      clock.set(shanghaiEight);
      await waitFor(async () => (await call('GET', `/v1/messages/${accepted.id}`)).json().status === 'completed', { what: 'the Shanghai receiver sent at his 08:00' });
      assert.deepEqual((await trail(accepted.id, li)).map(([type]: string[]) => type), ['deferred', 'sending', 'sent']);
      assert.deepEqual(smtp.received.map((mail) => mail.to[0]), ['bo@example.com', 'ann@example.com', 'li@example.com']);
      assert.ok(shanghaiEight - startMs > 11 * 3_600_000);
    });

    test('drop skips who is in quiet hours with the reason; an urgent message passes', async () => {
      clock.set(Date.UTC(2026, 0, 7, 12, 30)); // 20:30 in Shanghai, 07:30 in New York
      const intake = intakeFor(messageType({ quietHours: { start: '20:00', end: '08:00', action: 'drop' } }));
      const dropped = await send(intake, { to: ['li', 'ann'] });
      assert.deepEqual(dropped.deliveries.map((d) => [d.address, d.status, d.reason]), [['li@example.com', 'skipped', 'QUIET_HOURS'], ['ann@example.com', 'skipped', 'QUIET_HOURS']]);
      assert.equal(dropped.status, 'completed');
      assert.deepEqual(await trail(dropped.id, dropped.deliveries[0]!.id), [['skipped', 'QUIET_HOURS', 'Quiet hours 20:00–08:00 in Asia/Shanghai']]);
      const urgent = await send(intake, { to: ['li'], priority: 'urgent' });
      assert.equal(urgent.deliveries[0]!.status, 'queued');
    });

    test('dedup: the same content to the same address within dedupSeconds is skipped DUPLICATE; other data, another type or a later time goes', async () => {
      clock.set(Date.UTC(2026, 0, 8, 9, 0));
      const type = messageType({ dedupSeconds: 300 });
      const intake = intakeFor(type);
      const first = await send(intake, { to: ['li', { email: 'x@example.com' }], data: { order: 1 } });
      assert.deepEqual(first.deliveries.map((d) => d.status), ['queued', 'queued']);
      clock.advance(299_000);
      const again = await send(intake, { to: ['li', { email: 'x@example.com' }, 'ann'], data: { order: 1 } });
      assert.deepEqual(again.deliveries.map((d) => [d.address, d.status, d.reason]), [
        ['li@example.com', 'skipped', 'DUPLICATE'],
        ['x@example.com', 'skipped', 'DUPLICATE'],
        ['ann@example.com', 'queued', undefined],
      ]);
      assert.deepEqual(await trail(again.id, again.deliveries[0]!.id), [['skipped', 'DUPLICATE', 'The same content went to this receiver within 300 s']]);
      assert.equal((await send(intake, { to: ['li'], data: { order: 2 } })).deliveries[0]!.status, 'queued', 'other data is other content');
      assert.equal((await send(intake, { to: ['li'], data: { order: 1 }, content: { title: 'Order', body: 'Refunded' } })).deliveries[0]!.status, 'queued', 'other content');
      assert.equal((await send(intakeFor(messageType({ dedupSeconds: 300 })), { to: ['li'], data: { order: 1 } })).deliveries[0]!.status, 'queued', 'another type');
      clock.advance(1_000);
      assert.equal((await send(intake, { to: ['li'], data: { order: 1 } })).deliveries[0]!.status, 'queued', 'the window of the first is over');
    });

    test('frequency cap: at most count messages of the type per receiver per window; duplicates spend no slot; concurrent accepts never pass it together', async () => {
      clock.set(Date.UTC(2026, 0, 9, 9, 0));
      const intake = intakeFor(messageType({ dedupSeconds: 60, frequencyCap: { count: 2, perSeconds: 3600 } }));
      const statusOf = async (body: Partial<SendRequestBody> & Pick<SendRequestBody, 'to'>) => (await send(intake, body)).deliveries.map((d) => d.reason ?? d.status);
      assert.deepEqual(await statusOf({ to: ['li'], data: { n: 1 } }), ['queued']);
      assert.deepEqual(await statusOf({ to: ['li'], data: { n: 1 } }), ['DUPLICATE']);
      assert.deepEqual(await statusOf({ to: ['li', 'ann'], data: { n: 2 } }), ['queued', 'queued']);
      const capped = await send(intake, { to: ['li', 'ann'], data: { n: 3 } });
      assert.deepEqual(capped.deliveries.map((d) => d.reason ?? d.status), ['FREQUENCY_CAP', 'queued']);
      assert.deepEqual(await trail(capped.id, capped.deliveries[0]!.id), [['skipped', 'FREQUENCY_CAP', 'At most 2 messages of this type per 3600 s to this receiver']]);
      clock.advance(3_600_000);
      assert.deepEqual(await statusOf({ to: ['li'], data: { n: 4 } }), ['queued'], 'a new window');

      const racing = intakeFor(messageType({ frequencyCap: { count: 3, perSeconds: 3600 } }));
      const results = await Promise.all(Array.from({ length: 12 }, (_, n) => send(racing, { to: ['ann'], data: { n } })));
      const statuses = results.map((accepted) => accepted.deliveries[0]!.reason ?? accepted.deliveries[0]!.status);
      assert.equal(statuses.filter((status) => status === 'queued').length, 3, statuses.join());
      assert.equal(statuses.filter((status) => status === 'FREQUENCY_CAP').length, 9);
    });

    test('counted in the accept transaction: an idempotent retry racing its original spends one slot', async () => {
      clock.set(Date.UTC(2026, 0, 10, 9, 0));
      const intake = intakeFor(messageType({ frequencyCap: { count: 2, perSeconds: 3600 } }));
      const body = { channels: ['email' as const], content: { title: 'Order', body: 'Paid' }, to: ['li'], data: { order: 7 } };
      // Both pass the replay check, take their slots, and meet at the idempotency key: the loser's transaction rolls its slots back.
      const [first, second] = await Promise.all([intake.accept(app.appId, body, 'order-7'), intake.accept(app.appId, body, 'order-7')]);
      assert.equal(first!.id, second!.id);
      assert.equal([first, second].filter((answer) => answer!.replayed).length, 1);
      // The replay reads the stored delivery, which a worker may have claimed meanwhile: its id is the point, not its status.
      const original = [first, second].find((answer) => !answer!.replayed)!;
      const replay = [first, second].find((answer) => answer!.replayed)!;
      assert.equal(original.deliveries[0]!.status, 'queued');
      assert.deepEqual(replay.deliveries.map((delivery) => delivery.id), original.deliveries.map((delivery) => delivery.id));
      // One of the two slots is left, so one more message goes and the next is capped.
      assert.equal((await send(intake, { to: ['li'], data: { order: 8 } })).deliveries[0]!.status, 'queued');
      assert.equal((await send(intake, { to: ['li'], data: { order: 9 } })).deliveries[0]!.reason, 'FREQUENCY_CAP');
    });
  });
}

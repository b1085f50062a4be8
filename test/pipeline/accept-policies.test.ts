import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deferDelivery, liveDeliveries, skipDelivery, type AcceptStep } from '../../src/domain/messages/accept-steps/accept-draft.ts';
import type { MessageIntake } from '../../src/domain/messages/message-intake.ts';
import { startSmtpTestServer, type SmtpTestServer } from '../../src/providers/smtp/smtp-test-server.ts';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { intakeWithSteps } from '../support/policy-intake.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

const HOUR_MS = 3_600_000;

/** What a policy saw of one planned delivery. */
interface Seen {
  address: string | null;
  subscriberId: string | null;
  timeZone: string | null;
  locale: string | null;
}

/** Inline content only: these tests are about policies, not rendering. */
for (const dialect of testDialects) {
  describe(`accept-time policies on ${dialect}`, () => {
    const clock = new ManualClock();
    let herald: TestHerald;
    let app: AppCredentials;
    let smtp: SmtpTestServer;
    let intake: MessageIntake;
    const seen: Seen[] = [];
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });

    /** Plugged in like any policy: skips opted-out addresses, holds receivers in Shanghai for an hour. */
    const testPolicy: AcceptStep = (draft) => {
      for (const planned of liveDeliveries(draft)) {
        seen.push({ address: planned.address, subscriberId: planned.subscriber?.id ?? null, timeZone: planned.timeZone, locale: planned.locale });
        if (planned.address === 'opted-out@example.com') skipDelivery(planned, 'TEST_OPTED_OUT', 'The receiver opted out of this kind of message');
        else if (planned.timeZone === 'Asia/Shanghai') deferDelivery(planned, draft.nowMs + HOUR_MS, 'TEST_QUIET_HOURS', 'Night in Asia/Shanghai');
      }
    };

    before(async () => {
      // Leases and heartbeats outlast the clock's jumps, so a send in flight across one is not taken for abandoned.
      herald = await createTestHerald(dialect, { clock, roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', HERALD_LEASE_SECONDS: '3600', HERALD_WORKER_DEAD_AFTER_SECONDS: '3600' } });
      await herald.start();
      app = await createAppWithKey(herald, 'policies');
      smtp = await startSmtpTestServer();
      const account = await call('POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: smtp.port, starttls: 'disabled', from: 'Shop <shop@example.com>' } });
      assert.equal(account.statusCode, 201, account.body);
      const night = await call('POST', '/v1/subscribers', { externalId: 'night', name: 'Li', locale: 'zh-CN', timezone: 'Asia/Shanghai', addresses: { email: 'night@example.com' } });
      assert.equal(night.statusCode, 201, night.body);
      intake = intakeWithSteps(herald, { policies: [testPolicy] });
    });
    after(async () => {
      await herald.close();
      await smtp.close();
    });

    test('a policy step skips one delivery and defers another, each with its reason in the trail; the deferred one is sent when its time comes', async () => {
      const acceptedAt = clock.now();
      const accepted = await intake.accept(app.appId, { to: [{ email: 'day@example.com' }, { email: 'opted-out@example.com' }, 'night'], channels: ['email'], content: { title: 'Hi', body: 'Hello' } }, undefined);
      assert.deepEqual(
        accepted.deliveries.map((d) => [d.address, d.status, d.reason]),
        [
          ['day@example.com', 'queued', undefined],
          ['opted-out@example.com', 'skipped', 'TEST_OPTED_OUT'],
          ['night@example.com', 'scheduled', undefined],
        ],
      );
      const [day, optedOut, night] = accepted.deliveries.map((d) => d.id);
      const rows = new Map((await herald.context.database.db.selectFrom('deliveries').selectAll().where('message_id', '=', accepted.id).execute()).map((row) => [row.id, row]));
      assert.equal(rows.get(night!)!.run_at, acceptedAt + HOUR_MS);
      assert.equal(rows.get(night!)!.last_error_code, 'TEST_QUIET_HOURS');
      assert.equal(rows.get(optedOut!)!.run_at, null);

      await waitFor(async () => (await call('GET', `/v1/deliveries/${day}`)).json().status === 'sent', { what: 'the undecided delivery sent' });
      const trail = async (id: string) =>
        (await call('GET', `/v1/messages/${accepted.id}`)).json().events.filter((e: { deliveryId: string | null }) => e.deliveryId === id).map((e: { type: string; code: string | null; detail: string | null }) => [e.type, e.code, e.detail]);
      assert.deepEqual(await trail(optedOut!), [['skipped', 'TEST_OPTED_OUT', 'The receiver opted out of this kind of message']]);
      assert.deepEqual(await trail(night!), [['deferred', 'TEST_QUIET_HOURS', `Night in Asia/Shanghai (until ${new Date(acceptedAt + HOUR_MS).toISOString()})`]]);
      assert.equal((await call('GET', `/v1/deliveries/${night}`)).json().status, 'scheduled', 'held while its time has not come');

      clock.advance(HOUR_MS);
      await waitFor(async () => (await call('GET', `/v1/messages/${accepted.id}`)).json().status === 'completed', { what: 'the message completed' });
      assert.deepEqual((await trail(night!)).map(([type]: string[]) => type), ['deferred', 'sending', 'sent']);
      assert.deepEqual(smtp.received.map((mail) => mail.to).sort(), [['day@example.com'], ['night@example.com']]);
    });

    test('planned deliveries carry the subscriber id, time zone and locale to the policies; the request locale wins', async () => {
      const subscriber = (await call('GET', '/v1/subscribers/night')).json();
      seen.length = 0;
      await intake.accept(app.appId, { to: ['night', { email: 'day@example.com' }], channels: ['email'], content: { title: 'Hi', body: 'Hello' }, delaySeconds: 60 }, undefined);
      await intake.accept(app.appId, { to: ['night'], channels: ['email'], content: { title: 'Hi', body: 'Hello' }, locale: 'en', delaySeconds: 60 }, undefined);
      assert.deepEqual(seen, [
        { address: 'night@example.com', subscriberId: subscriber.id, timeZone: 'Asia/Shanghai', locale: 'zh-CN' },
        { address: 'day@example.com', subscriberId: null, timeZone: null, locale: null },
        { address: 'night@example.com', subscriberId: subscriber.id, timeZone: 'Asia/Shanghai', locale: 'en' },
      ]);
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deferDelivery, liveDeliveries, skipDelivery, type AcceptStep } from '../../src/domain/messages/accept-steps/accept-draft.ts';
import type { MessageIntake } from '../../src/domain/messages/message-intake.ts';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { intakeWithSteps } from '../support/policy-intake.ts';
import { testDialects } from '../support/test-databases.ts';

const HOUR_MS = 3_600_000;

interface EventView {
  id: string;
  deliveryId: string | null;
  type: string;
  at: string;
  attempt: number | null;
  code: string | null;
  detail: string | null;
}

/** Skips one address and holds another, like any accept-time policy. */
const testPolicy: AcceptStep = (draft) => {
  for (const planned of liveDeliveries(draft)) {
    if (planned.address === 'skip@example.com') skipDelivery(planned, 'TEST_OPTED_OUT', 'The receiver opted out');
    if (planned.address === 'hold@example.com') deferDelivery(planned, draft.nowMs + HOUR_MS, 'TEST_QUIET_HOURS', 'Night');
  }
};

/**
 * The first event of a delivery nobody decided on is derived from the delivery row, not stored.
 * The trail answers as it did when it was stored: same events, order and fields; and a database
 * from before, which has the stored row, shows it once.
 */
for (const dialect of testDialects) {
  describe(`message trail on ${dialect}`, () => {
    const clock = new ManualClock();
    let herald: TestHerald;
    let app: AppCredentials;
    let intake: MessageIntake;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const detail = async (messageId: string) => {
      const response = await call('GET', `/v1/messages/${messageId}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as { events: EventView[] };
    };
    const withoutIds = (events: EventView[]) => events.map(({ id: _id, ...event }) => event);

    /** Writes the first events the accept stored before they were derived, with the ids the trail gives them. */
    const storeFirstEventsLikeBefore = async (messageId: string, events: EventView[]) => {
      const rows = await herald.context.database.db.selectFrom('deliveries').select(['id', 'app_id', 'created_at']).where('message_id', '=', messageId).execute();
      const byId = new Map(rows.map((row) => [row.id, row]));
      const initial = events.filter((event) => event.deliveryId !== null && event.attempt === null && (event.type === 'queued' || event.type === 'scheduled'));
      assert.ok(initial.length > 0);
      await herald.context.database.db
        .insertInto('events')
        .values(initial.map((event) => ({ id: event.id, message_id: messageId, delivery_id: event.deliveryId, app_id: byId.get(event.deliveryId!)!.app_id, type: event.type, at: byId.get(event.deliveryId!)!.created_at, attempt: null, code: null, detail: null })))
        .execute();
    };

    before(async () => {
      herald = await createTestHerald(dialect, { clock });
      await herald.start();
      app = await createAppWithKey(herald, 'trail');
      const account = await call('POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: 9, starttls: 'disabled', from: 'Shop <shop@example.com>' } });
      assert.equal(account.statusCode, 201, account.body);
      intake = intakeWithSteps(herald, { policies: [testPolicy] });
    });
    after(() => herald.close());

    test('queued, skipped and deferred deliveries: the trail in accept order, the queued one with its derived first event', async () => {
      const at = new Date(clock.now()).toISOString();
      const to = [{ email: 'a@example.com' }, { email: 'skip@example.com' }, { email: 'b@example.com' }, { email: 'hold@example.com' }, { email: 'c@example.com' }];
      const accepted = await intake.accept(app.appId, { to, channels: ['email'], content: { title: 'Hi', body: 'Hello' } }, undefined);
      const [a, skipped, b, held, c] = accepted.deliveries.map((delivery) => delivery.id);
      const { events } = await detail(accepted.id);
      const none = { attempt: null, code: null, detail: null };
      assert.deepEqual(withoutIds(events), [
        { deliveryId: null, type: 'accepted', at, ...none },
        { deliveryId: a, type: 'queued', at, ...none },
        { deliveryId: skipped, type: 'skipped', at, attempt: null, code: 'TEST_OPTED_OUT', detail: 'The receiver opted out' },
        { deliveryId: b, type: 'queued', at, ...none },
        { deliveryId: held, type: 'deferred', at, attempt: null, code: 'TEST_QUIET_HOURS', detail: `Night (until ${new Date(clock.now() + HOUR_MS).toISOString()})` },
        { deliveryId: c, type: 'queued', at, ...none },
      ]);
      // Ids as the stored events had them: unique, in trail order, and the derived one stable (the delivery's).
      const ids = events.map((event) => event.id);
      assert.deepEqual([...ids].sort(), ids);
      assert.equal(new Set(ids).size, ids.length);
      assert.deepEqual([ids[1], ids[3], ids[5]], [a, b, c].map((id) => `evt_${id!.slice('dlv_'.length)}`));
      assert.deepEqual((await detail(accepted.id)).events, events, 'the same answer read again');
      const stored = await herald.context.database.db.selectFrom('events').select('type').where('message_id', '=', accepted.id).execute();
      assert.deepEqual(stored.map((event) => event.type).sort(), ['accepted', 'deferred', 'skipped'], 'the first events are not stored');

      await storeFirstEventsLikeBefore(accepted.id, events);
      assert.deepEqual((await detail(accepted.id)).events, events, 'a database from before shows its stored first events once');
    });

    test('a scheduled message: each delivery starts scheduled at its creation', async () => {
      const at = new Date(clock.now()).toISOString();
      const accepted = await intake.accept(app.appId, { to: [{ email: 'a@example.com' }, { email: 'hold@example.com' }, { email: 'b@example.com' }], channels: ['email'], content: { title: 'Hi', body: 'Hello' }, delaySeconds: 60 }, undefined);
      assert.deepEqual(accepted.deliveries.map((delivery) => delivery.status), ['scheduled', 'scheduled', 'scheduled']);
      const [a, held, b] = accepted.deliveries.map((delivery) => delivery.id);
      const { events } = await detail(accepted.id);
      assert.deepEqual(
        withoutIds(events).map((event) => [event.deliveryId, event.type, event.at, event.attempt, event.code]),
        [
          [null, 'accepted', at, null, null],
          [a, 'scheduled', at, null, null],
          [held, 'deferred', at, null, 'TEST_QUIET_HOURS'],
          [b, 'scheduled', at, null, null],
        ],
      );
      await storeFirstEventsLikeBefore(accepted.id, events);
      assert.deepEqual((await detail(accepted.id)).events, events);
    });

    test('a retried delivery keeps its derived first event before the stored MANUAL_RETRY one', async () => {
      const acceptedAt = new Date(clock.now()).toISOString();
      const accepted = await intake.accept(app.appId, { to: [{ email: 'a@example.com' }], channels: ['email'], content: { title: 'Hi', body: 'Hello' }, delaySeconds: 60 }, undefined);
      const [id] = accepted.deliveries.map((delivery) => delivery.id);
      clock.advance(1000);
      assert.equal((await call('POST', `/v1/messages/${accepted.id}/cancel`)).statusCode, 200);
      clock.advance(1000);
      const retried = await call('POST', `/v1/deliveries/${id}/retry`);
      assert.equal(retried.statusCode, 202, retried.body);
      const { events } = await detail(accepted.id);
      assert.deepEqual(
        withoutIds(events).filter((event) => event.deliveryId === id).map((event) => [event.type, event.at, event.attempt, event.code]),
        [
          ['scheduled', acceptedAt, null, null],
          ['canceled', new Date(clock.now() - 1000).toISOString(), 0, null],
          ['queued', new Date(clock.now()).toISOString(), 0, 'MANUAL_RETRY'],
        ],
      );
      await storeFirstEventsLikeBefore(accepted.id, events);
      assert.deepEqual((await detail(accepted.id)).events, events);
    });
  });
}

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { providerMap, useDispatchTestBed } from '../../../test/support/dispatch-test-kit.ts';
import { scriptedProvider } from '../../../test/support/scripted-provider.ts';
import { seedChannelAccount, seedMessages } from '../../../test/support/seed-deliveries.ts';
import { testDialects } from '../../../test/support/test-databases.ts';
import type { GateDecision, SendCandidate, SendGate } from './send-gate.ts';
import { SEND_GATES } from './send-gate-pipeline.ts';
import { deliveryTrail } from '../../../test/support/message-trail.ts';

const HOLD_MS = 60_000;

for (const dialect of testDialects) {
  describe(`send gates on ${dialect}`, () => {
    const bed = useDispatchTestBed(dialect);

    const rowsOf = async (ids: readonly string[]) => new Map((await bed.database.db.selectFrom('deliveries').selectAll().where('id', 'in', [...ids]).execute()).map((row) => [row.address, row]));
    const trailOf = async (id: string) =>
      (await deliveryTrail(bed.database, id)).map((e) => [e.type, e.attempt, e.code, e.detail]);

    test('a gate plugged in before the flow limit skips and defers deliveries with reasons in the trail, using no attempt; the rest are sent', async () => {
      const provider = scriptedProvider(() => ({ kind: 'sent' }));
      const batches: string[][] = [];
      // Holds one address for its first minute and drops another, deciding on the whole batch at once.
      const releaseAtMs = bed.clock.now() + HOLD_MS;
      const testGate: SendGate = async (batch, { clock: gateClock }) => {
        batches.push(batch.map((candidate) => candidate.delivery.address!));
        const decisions = new Map<SendCandidate, GateDecision>();
        for (const candidate of batch) {
          if (candidate.delivery.address === 'held@example.com' && gateClock.now() < releaseAtMs) decisions.set(candidate, { kind: 'deferred', untilMs: gateClock.now() + HOLD_MS, code: 'TEST_HOLD', message: 'Held by the test gate' });
          if (candidate.delivery.address === 'dropped@example.com') decisions.set(candidate, { kind: 'skipped', code: 'TEST_DROP', message: 'Dropped by the test gate' });
        }
        return decisions;
      };
      // Room for one send a minute: of the two that pass the test gate, one waits.
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'scripted', channel: 'email', flowLimits: [{ count: 1, perSeconds: 60 }], nowMs: bed.clock.now() });
      const addresses = ['first@example.com', 'held@example.com', 'dropped@example.com', 'second@example.com'];
      const { deliveryIds, messageIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), deliveriesPerMessage: 4, address: (i) => addresses[i]! });
      const worker = bed.createWorker({ providers: providerMap(provider), sendGates: [testGate, ...SEND_GATES] });
      const startMs = bed.clock.now();

      assert.equal(await worker.drain(), 4);
      assert.deepEqual(batches, [addresses], 'the gate saw the batch once, in claim order');
      assert.deepEqual(provider.calls, ['first@example.com']);
      const rows = await rowsOf(deliveryIds);
      const held = rows.get('held@example.com')!;
      assert.deepEqual([held.status, held.attempts, held.run_at, held.last_error_code], ['queued', 0, startMs + HOLD_MS, 'TEST_HOLD']);
      assert.deepEqual((await trailOf(held.id)).slice(1), [
        ['sending', 1, null, 'worker ' + worker.workerId],
        ['deferred', 0, 'TEST_HOLD', 'Held by the test gate'],
      ]);
      const dropped = rows.get('dropped@example.com')!;
      assert.deepEqual([dropped.status, dropped.attempts, dropped.run_at, dropped.last_error_code], ['skipped', 0, null, 'TEST_DROP']);
      assert.deepEqual((await trailOf(dropped.id)).at(-1), ['skipped', 0, 'TEST_DROP', 'Dropped by the test gate']);
      const second = rows.get('second@example.com')!;
      assert.deepEqual([second.status, second.attempts, second.run_at, second.last_error_code], ['queued', 0, startMs + 60_000, 'FLOW_LIMITED']);
      assert.deepEqual((await trailOf(second.id)).at(-1)!.slice(0, 3), ['flow_limited', 0, 'FLOW_LIMITED']);

      // Both due now; the flow limit has room for the first in claim order.
      bed.clock.advance(HOLD_MS);
      assert.equal(await worker.drain(), 2);
      assert.deepEqual(provider.calls.slice(1), ['held@example.com']);
      bed.clock.advance(60_000);
      assert.equal(await worker.drain(), 1);
      assert.deepEqual(provider.calls.slice(2), ['second@example.com']);
      const message = await bed.database.db.selectFrom('messages').select(['status', 'pending_count']).where('id', '=', messageIds[0]!).executeTakeFirstOrThrow();
      assert.deepEqual({ ...message }, { status: 'completed', pending_count: 0 }, 'a skipped delivery is final like a sent one');
      assert.deepEqual([...(await rowsOf(deliveryIds)).values()].map((row) => row.attempts).sort(), [0, 1, 1, 1], 'only sends used attempts');
    });

    test('a deferral past the max age fails the delivery with the gate’s reason', async () => {
      const provider = scriptedProvider(() => ({ kind: 'sent' }));
      const tooLate: SendGate = async (batch) => new Map(batch.map((candidate) => [candidate, { kind: 'deferred', untilMs: bed.clock.now() + 2 * HOLD_MS, code: 'TEST_HOLD', message: 'Held by the test gate' }]));
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'scripted', channel: 'email', nowMs: bed.clock.now() });
      const { deliveryIds } = await seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'email', nowMs: bed.clock.now(), maxAgeMs: HOLD_MS, address: () => 'a@example.com' });
      await bed.createWorker({ providers: providerMap(provider), sendGates: [tooLate] }).drain();
      const row = (await rowsOf(deliveryIds)).get('a@example.com')!;
      assert.deepEqual([row.status, row.last_error_code, row.last_error_message], ['failed', 'TEST_HOLD', 'Held by the test gate (gave up: max age reached)']);
      assert.deepEqual(provider.calls, []);
    });
  });
}

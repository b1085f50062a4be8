import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { settleFinalDeliveries } from '../deliveries/message-completion.ts';
import { capabilitiesOf } from '../storage/dialect-capabilities.ts';
import { useDispatchTestBed } from '../../test/support/dispatch-test-kit.ts';
import { seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { messageTrail } from '../../test/support/message-trail.ts';
import { testDialects } from '../../test/support/test-databases.ts';
import { createDeliveryQueue } from './delivery-queue.ts';

/** Fails the test instead of hanging when `promise` waits on a lock that is never released. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

for (const dialect of testDialects) {
  describe(`delivery queue on ${dialect}`, () => {
    const bed = useDispatchTestBed(dialect);

    async function seedOneMessage(deliveries: number) {
      const accountId = await seedChannelAccount(bed.database, bed.cryptoBox, { appId: bed.appId, type: 'webhook', channel: 'webhook', config: { url: 'http://127.0.0.1:9/' }, nowMs: bed.clock.now() });
      return seedMessages(bed.database, { appId: bed.appId, channelAccountId: accountId, channel: 'webhook', nowMs: bed.clock.now(), deliveriesPerMessage: deliveries });
    }

    const queueOf = (workerId: string) =>
      createDeliveryQueue({ database: bed.database, clock: bed.clock, workerId, leaseSeconds: 30, backoff: { baseMs: 1000, maxMs: 60_000 } });

    test('results of one message written by two groups at the same time: both applied, the message rolled up once, every event recorded', async () => {
      const { messageIds, deliveryIds } = await seedOneMessage(6);
      const queue = queueOf('worker-a');
      const claimed = await queue.claim(10);
      assert.equal(claimed.length, 6);
      const sent = claimed.map((delivery) => ({ delivery, outcome: { kind: 'sent' as const, providerMessageId: `p-${delivery.id}` } }));
      const [first, second] = await Promise.all([queue.complete(sent.slice(0, 3)), queue.complete(sent.slice(3))]);
      assert.deepEqual([first.applied, second.applied], [3, 3]);
      assert.deepEqual([...first.completedMessageIds, ...second.completedMessageIds], messageIds, 'the group that settled last completed it');

      const message = await bed.database.db.selectFrom('messages').selectAll().where('id', '=', messageIds[0]!).executeTakeFirstOrThrow();
      assert.deepEqual([message.status, message.pending_count], ['completed', 0]);
      const events = await messageTrail(bed.database, messageIds[0]!);
      for (const id of deliveryIds) {
        assert.deepEqual(events.filter((event) => event.delivery_id === id).map((event) => event.type), ['queued', 'sending', 'sent']);
      }
      assert.equal(events.filter((event) => event.type === 'completed').length, 1);
    });

    // Concurrent writers are PostgreSQL's: SQLite's single writer makes every other write wait anyway.
    if (!capabilitiesOf(dialect).singleWriter) {
      test('while a settlement holds a message row, other deliveries of the message are claimed and their results written (their events reference the row)', async () => {
        const { messageIds } = await seedOneMessage(3);
        const queue = queueOf('worker-a');
        const [settling, retried] = await queue.claim(2);
        const { claimed, written } = await bed.database.db.transaction().execute(async (trx) => {
          await trx.updateTable('deliveries').set({ status: 'sent', lease_owner: null, lease_expires_at: null }).where('id', '=', settling!.id).execute();
          await settleFinalDeliveries(trx, dialect, [{ ...settling!, status: 'sent' }], bed.clock.now(), []);
          // The message row stays locked until this transaction commits; these run on other connections.
          const results = within(queue.complete([{ delivery: retried!, outcome: { kind: 'retry', code: 'HTTP_503', message: 'busy' } }]), 5000, 'writing a result while the row is locked');
          const claims = within(queueOf('worker-b').claim(5), 5000, 'claiming while the row is locked');
          return { written: await results, claimed: await claims };
        });
        assert.equal(written.applied, 1);
        assert.equal(claimed.length, 1);
        const message = await bed.database.db.selectFrom('messages').select('pending_count').where('id', '=', messageIds[0]!).executeTakeFirstOrThrow();
        assert.equal(message.pending_count, 2);
      });
    }
  });
}

import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { sql, type RawBuilder } from 'kysely';
import { newId } from '../ids.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { HeraldSchema } from '../storage/schema.ts';
import { testCryptoBox } from '../../test/support/dispatch-test-kit.ts';
import { seedApp, seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { CALLBACKS_QUEUE } from './callback-worker.ts';
import { DELIVERIES_QUEUE } from './delivery-queue.ts';
import { createLeasedQueue, type LeasedQueue } from './leased-queue.ts';
import { RESULT_CHECKS_QUEUE } from './result-checks.ts';
import { SCHEDULES_QUEUE } from './schedule-runner.ts';

/**
 * The conformance suite every leased table passes, on every dialect: a table joins the
 * list below with a way to seed due rows, and gets the same guarantees.
 */

interface TableCase {
  table: { name: keyof HeraldSchema; leasedStatus: string };
  queue(database: HeraldDatabase, workerId: string): LeasedQueue<{ id: string }>;
  /**
   * Inserts one waiting row per entry and answers their ids in the same order. Urgency 0 is
   * the most urgent; `null` is a row not yet due.
   */
  seed(database: HeraldDatabase, nowMs: number, urgencies: ReadonlyArray<number | null>): Promise<string[]>;
  /** What makes a leased row a waiting one again. */
  waiting: RawBuilder<unknown>;
}

const NOT_DUE_IN_MS = 60_000;
const LEASE_SECONDS = 30;
const NOW_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

async function seedDeliveryMessages(database: HeraldDatabase, nowMs: number, count: number) {
  const cryptoBox = testCryptoBox();
  const appId = await seedApp(database, cryptoBox, { nowMs });
  const channelAccountId = await seedChannelAccount(database, cryptoBox, { appId, type: 'webhook', channel: 'webhook', config: { url: 'http://127.0.0.1:9/hook' }, nowMs });
  return { appId, ...(await seedMessages(database, { appId, channelAccountId, channel: 'webhook', nowMs, count })) };
}

const CASES: TableCase[] = [
  {
    table: DELIVERIES_QUEUE,
    queue: (database, workerId) => createLeasedQueue({ database, table: DELIVERIES_QUEUE, workerId, leaseSeconds: LEASE_SECONDS }),
    // Urgency is the priority; more urgent rows are the younger ones, so the claim order shows priority before age.
    async seed(database, nowMs, urgencies) {
      const { deliveryIds } = await seedDeliveryMessages(database, nowMs, urgencies.length);
      for (const [index, urgency] of urgencies.entries()) {
        const runAt = urgency === null ? nowMs + NOT_DUE_IN_MS : nowMs - 1000 - urgency * 10;
        await database.db.updateTable('deliveries').set({ priority: urgency ?? 0, run_at: runAt }).where('id', '=', deliveryIds[index]!).execute();
      }
      return deliveryIds;
    },
    waiting: sql`status = 'queued'`,
  },
  {
    table: CALLBACKS_QUEUE,
    queue: (database, workerId) => createLeasedQueue({ database, table: CALLBACKS_QUEUE, workerId, leaseSeconds: LEASE_SECONDS }),
    // Callbacks are claimed oldest first.
    async seed(database, nowMs, urgencies) {
      const { appId, messageIds } = await seedDeliveryMessages(database, nowMs, 1);
      const ids = urgencies.map(() => newId('cbk', nowMs));
      await database.db
        .insertInto('callbacks')
        .values(
          urgencies.map((urgency, index) => ({
            id: ids[index]!,
            message_id: messageIds[0]!,
            delivery_id: null,
            app_id: appId,
            url: 'http://127.0.0.1:9/callback',
            payload: '{"type":"message.completed"}',
            status: 'pending' as const,
            attempts: 0,
            run_at: urgency === null ? nowMs + NOT_DUE_IN_MS : nowMs - 1000 + urgency * 10,
            lease_owner: null,
            lease_expires_at: null,
            last_error: null,
            created_at: nowMs,
            updated_at: nowMs,
          })),
        )
        .execute();
      return ids;
    },
    waiting: sql`status = 'pending'`,
  },
  {
    table: RESULT_CHECKS_QUEUE,
    queue: (database, workerId) => createLeasedQueue({ database, table: RESULT_CHECKS_QUEUE, workerId, leaseSeconds: LEASE_SECONDS }),
    // Checks are claimed in the order they fall due.
    async seed(database, nowMs, urgencies) {
      const ids = urgencies.map(() => newId('rck', nowMs));
      await database.db
        .insertInto('result_checks')
        .values(
          urgencies.map((urgency, index) => ({
            id: ids[index]!,
            channel_account_id: 'cha_seeded',
            provider_message_id: `task-${index}`,
            status: 'waiting' as const,
            run_at: urgency === null ? nowMs + NOT_DUE_IN_MS : nowMs - 1000 + urgency * 10,
            pause_ms: 10_000,
            checks: 0,
            sent_at: nowMs - 10_000,
            expires_at: nowMs + 86_400_000,
            lease_owner: null,
            lease_expires_at: null,
            created_at: nowMs,
            updated_at: nowMs,
          })),
        )
        .execute();
      return ids;
    },
    waiting: sql`status = 'waiting'`,
  },
  {
    table: SCHEDULES_QUEUE,
    queue: (database, workerId) => createLeasedQueue({ database, table: SCHEDULES_QUEUE, workerId, leaseSeconds: LEASE_SECONDS }),
    // Ticks are claimed in the order they fall due.
    async seed(database, nowMs, urgencies) {
      const appId = await seedApp(database, testCryptoBox(), { nowMs });
      const ids = urgencies.map(() => newId('sch', nowMs));
      await database.db
        .insertInto('schedules')
        .values(
          urgencies.map((urgency, index) => {
            const runAt = urgency === null ? nowMs + NOT_DUE_IN_MS : nowMs - 1000 + urgency * 10;
            return {
              id: ids[index]!,
              app_id: appId,
              name: `schedule-${index}`,
              cron: '* * * * * *',
              time_zone: 'UTC',
              once_at: null,
              missed_ticks: 'run-once' as const,
              message: '{"to":["u1"],"content":{"body":"tick"}}',
              status: 'waiting' as const,
              tick_at: runAt,
              tick_claimed_at: null,
              run_at: runAt,
              lease_owner: null,
              lease_expires_at: null,
              runs: 0,
              last_tick_at: null,
              last_outcome: null,
              last_message_id: null,
              last_error: null,
              created_at: nowMs,
              updated_at: nowMs,
            };
          }),
        )
        .execute();
      return ids;
    },
    waiting: sql`status = 'waiting'`,
  },
];


interface LeaseState {
  id: string;
  status: string;
  due: number | null;
  owner: string | null;
  expiresAtMs: number | null;
}

for (const dialect of testDialects) {
  for (const { table, queue, seed, waiting } of CASES) {
    describe(`the leased queue over ${table.name} on ${dialect}`, () => {
      let database: HeraldDatabase;
      let close: () => Promise<void>;

      beforeEach(async () => {
        ({ database, close } = await createMigratedDatabase(dialect));
      });
      afterEach(() => close());

      const queueFor = (workerId: string) => queue(database, workerId);
      const idsOf = (rows: ReadonlyArray<{ id: string }>) => rows.map((row) => row.id);
      const sorted = (ids: readonly string[]) => [...ids].sort();
      async function stateOf(ids: readonly string[]): Promise<LeaseState[]> {
        const { rows } = await sql<LeaseState>`
          select id, status, run_at as due, lease_owner as owner, lease_expires_at as "expiresAtMs"
            from ${sql.table(table.name)} where id in (${sql.join(ids)}) order by id`.execute(database.db);
        return rows.map((row) => ({ ...row }));
      }
      /** A worker's result, written only while it holds the lease (as the tables' own modules write theirs). */
      async function writeResult(queue: LeasedQueue<unknown>, id: string): Promise<boolean> {
        const { rows } = await sql`
          update ${sql.table(table.name)} set status = 'failed', lease_owner = null, lease_expires_at = null
           where id = ${id} and ${queue.held()} returning id`.execute(database.db);
        return rows.length === 1;
      }
      const registerWorker = (id: string, heartbeatAtMs: number) => database.db.insertInto('workers').values({ id, started_at: heartbeatAtMs, heartbeat_at: heartbeatAtMs }).execute();

      test('a claim leases due rows only, most urgent first, at most the limit', async () => {
        const [notDue, third, first, second] = await seed(database, NOW_MS, [null, 2, 0, 1]);
        const queue = queueFor('w1');
        const claimed = await queue.claim(database.db, 2, NOW_MS);
        assert.deepEqual(sorted(idsOf(claimed)), sorted([first!, second!]));
        const leaseEnd = NOW_MS + LEASE_SECONDS * 1000;
        assert.deepEqual(await stateOf([first!, second!]), sorted([first!, second!]).map((id) => ({ id, status: table.leasedStatus, due: null, owner: 'w1', expiresAtMs: leaseEnd })));

        assert.deepEqual(idsOf(await queue.claim(database.db, 10, NOW_MS)), [third]);
        assert.deepEqual(await queue.claim(database.db, 10, NOW_MS), [], 'the last row is not due yet');
        assert.deepEqual(idsOf(await queue.claim(database.db, 10, NOW_MS + NOT_DUE_IN_MS)), [notDue], 'due once its time came');
        assert.deepEqual(await queue.claim(database.db, 0, NOW_MS + NOT_DUE_IN_MS), []);
      });

      test('concurrent claimers never get the same row', async () => {
        const ids = await seed(database, NOW_MS, Array.from({ length: 30 }, (_, index) => index % 3));
        const claims = await Promise.all(['a', 'b', 'c', 'd'].map((workerId) => queueFor(workerId).claim(database.db, 10, NOW_MS)));
        const claimed = claims.flatMap(idsOf);
        assert.equal(new Set(claimed).size, claimed.length, 'no row claimed twice');
        assert.deepEqual(sorted(claimed), sorted(ids));
      });

      if (dialect === 'postgres') {
        test('a claim passes over rows another connection is claiming, without waiting for it', { timeout: 20_000 }, async () => {
          const ids = await seed(database, NOW_MS, Array.from({ length: 20 }, () => 0));
          await database.db.transaction().execute(async (trx) => {
            const first = await queueFor('a').claim(trx, 10, NOW_MS);
            // A second connection while the first transaction holds its rows: it must skip them, not wait (that would never end).
            const second = await queueFor('b').claim(database.db, 20, NOW_MS);
            assert.equal(first.length, 10);
            assert.equal(second.length, 10);
            assert.deepEqual(sorted([...idsOf(first), ...idsOf(second)]), sorted(ids));
          });
        });
      }

      test('an expired lease is taken over; one still running is not', async () => {
        const [id] = await seed(database, NOW_MS, [0]);
        await queueFor('gone').claim(database.db, 1, NOW_MS);
        const reaper = queueFor('reaper');
        const leaseEnd = NOW_MS + LEASE_SECONDS * 1000;
        assert.deepEqual(await reaper.takeOver(database.db, { lapsedAtMs: leaseEnd }, 10, leaseEnd), [], 'the lease runs until its end');

        const taken = await reaper.takeOver(database.db, { lapsedAtMs: leaseEnd + 1 }, 10, leaseEnd + 1);
        assert.deepEqual(idsOf(taken), [id]);
        assert.deepEqual(await stateOf([id!]), [{ id, status: table.leasedStatus, due: null, owner: 'reaper', expiresAtMs: leaseEnd + 1 + LEASE_SECONDS * 1000 }]);
      });

      test('an expired lease can be queued again instead', async () => {
        const [id] = await seed(database, NOW_MS, [0]);
        await queueFor('gone').claim(database.db, 1, NOW_MS);
        const afterLease = NOW_MS + LEASE_SECONDS * 1000 + 1;
        assert.deepEqual(idsOf(await queueFor('reaper').requeue(database.db, { lapsedAtMs: afterLease }, afterLease, waiting)), [id]);
        const [state] = await stateOf([id!]);
        assert.deepEqual({ due: state!.due, owner: state!.owner, expiresAtMs: state!.expiresAtMs }, { due: afterLease, owner: null, expiresAtMs: null });
        assert.notEqual(state!.status, table.leasedStatus);
        assert.deepEqual(idsOf(await queueFor('next').claim(database.db, 10, afterLease)), [id]);
      });

      test('a dead owner’s lease is taken over before it expires; a live owner’s and an unknown owner’s are not', async () => {
        const [ofDead, ofAlive, ofUnknown] = await seed(database, NOW_MS, [0, 1, 2]);
        await registerWorker('dead', NOW_MS - 20_000);
        await registerWorker('alive', NOW_MS - 1000);
        for (const [owner, id] of [['dead', ofDead], ['alive', ofAlive], ['unknown', ofUnknown]] as const) {
          const [claimed] = await queueFor(owner).claim(database.db, 1, NOW_MS);
          assert.equal(claimed?.id, id);
        }
        const staleBeforeMs = NOW_MS - 3000;
        const reaper = queueFor('reaper');
        assert.deepEqual(await reaper.takeOver(database.db, { lapsedAtMs: NOW_MS }, 10, NOW_MS), [], 'no lease ran out, and heartbeats were not asked about');
        assert.deepEqual(idsOf(await reaper.takeOver(database.db, { lapsedAtMs: NOW_MS, staleBeforeMs }, 10, NOW_MS)), [ofDead]);
        assert.deepEqual(
          (await stateOf([ofDead!, ofAlive!, ofUnknown!])).map((state) => [state.id, state.owner]),
          sorted([ofDead!, ofAlive!, ofUnknown!]).map((id) => [id, id === ofDead ? 'reaper' : id === ofAlive ? 'alive' : 'unknown']),
        );
      });

      test('a worker takes back the leases held under its own id, and no others', async () => {
        const [mine, theirs] = await seed(database, NOW_MS, [0, 1]);
        await queueFor('pod-1').claim(database.db, 1, NOW_MS);
        await queueFor('pod-2').claim(database.db, 1, NOW_MS);
        const restarted = queueFor('pod-1');
        assert.deepEqual(idsOf(await restarted.takeOver(database.db, 'own', 10, NOW_MS + 5)), [mine]);
        assert.deepEqual((await stateOf([theirs!])).map((state) => state.owner), ['pod-2']);
      });

      test('release puts a worker’s own leased rows back in the queue, and no one else’s', async () => {
        const ids = await seed(database, NOW_MS, [0, 0, 1]);
        const stopping = queueFor('stopping');
        const held = idsOf(await stopping.claim(database.db, 2, NOW_MS));
        const [other] = idsOf(await queueFor('other').claim(database.db, 1, NOW_MS));
        assert.deepEqual(sorted(idsOf(await stopping.requeue(database.db, 'own', NOW_MS + 10, waiting))), sorted(held));
        for (const state of await stateOf(held)) assert.deepEqual([state.due, state.owner, state.expiresAtMs], [NOW_MS + 10, null, null]);
        assert.deepEqual((await stateOf([other!])).map((state) => state.owner), ['other']);
        assert.deepEqual(sorted(idsOf(await queueFor('next').claim(database.db, 10, NOW_MS + 10))), sorted(held));
        assert.equal(new Set([...held, other]).size, ids.length);
      });

      test('a result written by a worker that lost its lease is refused; the new holder’s is taken', async () => {
        const [id] = await seed(database, NOW_MS, [0]);
        const slow = queueFor('slow');
        await slow.claim(database.db, 1, NOW_MS);
        const afterLease = NOW_MS + LEASE_SECONDS * 1000 + 1;
        const reaper = queueFor('reaper');
        await reaper.takeOver(database.db, { lapsedAtMs: afterLease }, 10, afterLease);
        assert.equal(await writeResult(slow, id!), false);
        assert.deepEqual((await stateOf([id!])).map((state) => [state.status, state.owner]), [[table.leasedStatus, 'reaper']]);
        assert.equal(await writeResult(reaper, id!), true);
        assert.equal(await writeResult(reaper, id!), false, 'a result is written once');
      });
    });
  }
}

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../clock.ts';
import { createLogger } from '../logger.ts';
import { LogCapture } from '../../test/support/test-herald.ts';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { COUNTER_RETENTION_MS, createCounterBuffer, purgeOldCounters } from './counter-buffer.ts';

const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const MINUTE = 60_000;

for (const dialect of testDialects) {
  describe(`counter buffer on ${dialect}`, () => {
    test('counts add up per row and minute in memory, are written at flush, and add to what is already stored', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      const clock = new ManualClock(T0 + 5_000);
      const counters = createCounterBuffer({ database, clock, logger: createLogger('silent') });
      try {
        counters.add('accept_counters', { app_id: 'app_1', channel: 'sms' }, { accepted: 3 });
        counters.add('accept_counters', { app_id: 'app_1', channel: 'sms' }, { accepted: 2 });
        counters.add('accept_counters', { app_id: 'app_1', channel: 'email' }, { accepted: 1 });
        counters.add('latency_counters', { app_id: 'app_1', channel: 'sms', from_ms: 250 }, { sent: 1 });
        counters.add('outcome_counters', { app_id: 'app_1', subject: 'channel:sms' }, { succeeded: 1, failed: 0 });
        clock.advance(MINUTE);
        counters.add('accept_counters', { app_id: 'app_1', channel: 'sms' }, { accepted: 7 });
        const read = () => database.db.selectFrom('accept_counters').selectAll().orderBy('bucket_start').orderBy('channel').execute();
        assert.deepEqual(await read(), [], 'nothing is written before the flush');
        await counters.flush();
        const row = (channel: string, bucketStart: number, accepted: number) => ({ app_id: 'app_1', channel, bucket_start: bucketStart, accepted });
        assert.deepEqual(
          (await read()).map((stored) => ({ ...stored, bucket_start: Number(stored.bucket_start) })),
          [row('email', T0, 1), row('sms', T0, 5), row('sms', T0 + MINUTE, 7)],
        );
        const latency = await database.db.selectFrom('latency_counters').selectAll().execute();
        assert.deepEqual(latency.map((stored) => [stored.channel, Number(stored.bucket_start), Number(stored.from_ms), stored.sent]), [['sms', T0, 250, 1]]);
        const outcome = await database.db.selectFrom('outcome_counters').selectAll().execute();
        assert.deepEqual(outcome.map((stored) => [stored.subject, Number(stored.bucket_start), stored.succeeded, stored.failed]), [['channel:sms', T0, 1, 0]]);

        // Another process (or a later flush) counting the same minute adds to the stored row.
        counters.add('accept_counters', { app_id: 'app_1', channel: 'sms' }, { accepted: 4 });
        await counters.stop();
        assert.equal((await read()).find((stored) => stored.channel === 'sms' && Number(stored.bucket_start) === T0 + MINUTE)?.accepted, 11);
      } finally {
        await counters.stop();
        await close();
      }
    });

    test('the sweep purges every counter table past the retention, and keeps the rest', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      try {
        const old = T0 - COUNTER_RETENTION_MS - MINUTE;
        const { db } = database;
        await db.insertInto('accept_counters').values([{ app_id: 'a', channel: 'sms', bucket_start: old, accepted: 1 }, { app_id: 'a', channel: 'sms', bucket_start: T0, accepted: 1 }]).execute();
        await db.insertInto('latency_counters').values([{ app_id: 'a', channel: 'sms', bucket_start: old, from_ms: 0, sent: 1 }, { app_id: 'a', channel: 'sms', bucket_start: T0, from_ms: 0, sent: 1 }]).execute();
        await db.insertInto('outcome_counters').values([{ app_id: 'a', subject: 'callbacks', bucket_start: old, succeeded: 1, failed: 0 }, { app_id: 'a', subject: 'callbacks', bucket_start: T0, succeeded: 1, failed: 0 }]).execute();
        await purgeOldCounters(database, T0);
        for (const table of ['accept_counters', 'latency_counters', 'outcome_counters'] as const) {
          const kept = await db.selectFrom(table).select('bucket_start').execute();
          assert.deepEqual(kept.map((stored) => Number(stored.bucket_start)), [T0], table);
        }
      } finally {
        await close();
      }
    });

    test('a failed write drops its counts with a warning and never throws to whoever flushes', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      const logs = new LogCapture();
      const counters = createCounterBuffer({ database, clock: new ManualClock(T0), logger: createLogger('info', logs) });
      counters.add('accept_counters', { app_id: 'app_1', channel: 'sms' }, { accepted: 1 });
      await close();
      await counters.stop();
      assert.match(logs.text, /writing counters failed; these counts are dropped/);
      assert.match(logs.text, /"rows":1/);
    });
  });
}

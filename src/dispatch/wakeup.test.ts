import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import type { StorageConfig } from '../config/config.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { waitFor } from '../../test/support/wait-for.ts';
import { createDeliveryWakeup, type DeliveryWakeup } from './wakeup.ts';

const logger = pino({ level: 'silent' });

for (const dialect of testDialects) {
  describe(`delivery wake-ups on ${dialect}`, () => {
    let database: HeraldDatabase;
    let storage: StorageConfig;
    let close: () => Promise<void>;
    const wakeups: DeliveryWakeup[] = [];
    beforeEach(async () => {
      const migrated = await createMigratedDatabase(dialect);
      ({ database, close } = migrated);
      storage = migrated.testStorage.storage;
    });
    afterEach(async () => {
      await Promise.all(wakeups.splice(0).map((wakeup) => wakeup.close()));
      await close();
    });
    const newWakeup = () => {
      const wakeup = createDeliveryWakeup({ database, storage, logger, reconnectDelayMs: 50 });
      wakeups.push(wakeup);
      return wakeup;
    };

    test('listeners in the same process are called at once; unsubscribing stops them', () => {
      const wakeup = newWakeup();
      let calls = 0;
      const unsubscribe = wakeup.subscribe(() => calls++);
      wakeup.notifyDeliveriesQueued();
      assert.equal(calls, 1);
      unsubscribe();
      wakeup.notifyDeliveriesQueued();
      assert.equal(calls, 1);
    });

    if (dialect === 'postgres') {
      test('a NOTIFY from another process (connection) wakes listeners', async () => {
        const api = newWakeup();
        const worker = newWakeup();
        let calls = 0;
        worker.subscribe(() => calls++);
        // The LISTEN connection opens in the background; keep notifying until it hears one.
        await waitFor(
          () => {
            api.notifyDeliveriesQueued();
            return calls > 0;
          },
          { what: 'a notification through LISTEN', intervalMs: 50 },
        );
      });

      test('a LISTEN connection that the server terminates is opened again', async () => {
        const api = newWakeup();
        const worker = newWakeup();
        let calls = 0;
        worker.subscribe(() => calls++);
        const heard = async (what: string) => {
          const before = calls;
          await waitFor(
            () => {
              api.notifyDeliveriesQueued();
              return calls > before;
            },
            { what, intervalMs: 50 },
          );
        };
        await heard('a notification through LISTEN');
        const listening = async () => (await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database() and query like 'LISTEN %'`.execute(database.db)).rows.map((row) => row.pid);
        const [first] = await listening();
        assert.ok(first);
        await sql`select pg_terminate_backend(${first})`.execute(database.db);
        await waitFor(async () => (await listening()).some((pid) => pid !== first), { what: 'a new LISTEN connection' });
        await heard('a notification through the new LISTEN connection');
      });
    }
  });
}

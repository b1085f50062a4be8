import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { sql } from 'kysely';
import { pino } from 'pino';
import type { StorageConfig } from '../config/config.ts';
import type { HeraldDatabase } from './database.ts';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { waitFor } from '../../test/support/wait-for.ts';
import { createDatabaseNotifications, type DatabaseNotifications } from './database-notifications.ts';

const logger = pino({ level: 'silent' });

for (const dialect of testDialects) {
  describe(`database notifications on ${dialect}`, () => {
    let database: HeraldDatabase;
    let storage: StorageConfig;
    let close: () => Promise<void>;
    const opened: DatabaseNotifications[] = [];
    beforeEach(async () => {
      const migrated = await createMigratedDatabase(dialect);
      ({ database, close } = migrated);
      storage = migrated.testStorage.storage;
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((notifications) => notifications.close()));
      await close();
    });
    /** One per simulated process: each has its own LISTEN connection. */
    const newProcess = () => {
      const notifications = createDatabaseNotifications({ database, storage, logger, reconnectDelayMs: 50 });
      opened.push(notifications);
      return notifications;
    };

    test('listeners in the same process are called at once, once, on their channel only; unsubscribing stops them', async () => {
      const process = newProcess();
      const heard: string[] = [];
      const unsubscribe = process.subscribe('herald_a', (payload) => heard.push(`a:${payload}`));
      process.subscribe('herald_b', (payload) => heard.push(`b:${payload}`));
      process.publish('herald_a', 'one');
      assert.deepEqual(heard, ['a:one']);
      unsubscribe();
      process.publish('herald_a', 'two');
      process.publish('herald_b', 'three');
      assert.deepEqual(heard, ['a:one', 'b:three']);
      // On PostgreSQL the process's own NOTIFYs come back to its LISTEN connection: they are not delivered twice.
      await new Promise((resolve) => setTimeout(resolve, dialect === 'postgres' ? 300 : 0));
      assert.deepEqual(heard, ['a:one', 'b:three']);
    });

    test('a channel name that could not be a LISTEN identifier is refused', () => {
      const process = newProcess();
      assert.throws(() => process.publish('herald; drop table apps', ''), /not a notification channel name/);
      assert.throws(() => process.subscribe('Herald-A', () => undefined), /not a notification channel name/);
    });

    if (dialect === 'postgres') {
      test('a publication reaches listeners in another process with its payload, on each channel subscribed', async () => {
        const api = newProcess();
        const worker = newProcess();
        const heard: string[] = [];
        worker.subscribe('herald_a', (payload) => heard.push(`a:${payload}`));
        worker.subscribe('herald_b', (payload) => heard.push(`b:${payload}`));
        // The LISTEN connection opens in the background; keep publishing until it hears both.
        await waitFor(
          () => {
            api.publish('herald_a', '{"n":1}');
            api.publish('herald_b', 'x|y');
            return heard.includes('a:{"n":1}') && heard.includes('b:x|y');
          },
          { what: 'notifications through LISTEN', intervalMs: 50 },
        );
      });

      test('a LISTEN connection that the server terminates is opened again, and listeners hear of the reconnection', async () => {
        const api = newProcess();
        const worker = newProcess();
        let calls = 0;
        let reconnections = 0;
        worker.subscribe('herald_a', () => calls++);
        worker.onReconnected(() => reconnections++);
        const heard = async (what: string) => {
          const before = calls;
          await waitFor(
            () => {
              api.publish('herald_a', '');
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
        assert.equal(reconnections, 1);
      });
    }
  });
}

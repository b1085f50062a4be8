import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { createTestStorage, testDialects } from '../../test/support/test-databases.ts';
import { waitFor } from '../../test/support/wait-for.ts';
import { openDatabase, type HeraldDatabase } from './database.ts';
import { migrateToLatest } from './migrator.ts';
import { isStorageUnavailable } from './storage-unavailable.ts';

const failure = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected a failure'), (error: unknown) => error);
const bigSignature = (n: number) => `${n}-${'x'.repeat(50_000)}`;

describe('a full SQLite database', () => {
  let database: HeraldDatabase;
  let drop: () => Promise<void>;
  before(async () => {
    const storage = await createTestStorage('sqlite');
    database = openDatabase(storage.storage);
    await migrateToLatest(database);
    drop = storage.drop;
  });
  after(async () => {
    await database.close();
    await drop();
  });

  test('a transaction fails with SQLite’s own error, not the rollback’s; writes work again once there is room', async () => {
    await sql`pragma max_page_count = 1`.execute(database.db);
    const error = await failure(database.db.transaction().execute((trx) => trx.insertInto('seen_signatures').values({ signature: bigSignature(0), expires_at: 1 }).execute()));
    assert.match(String(error), /database or disk is full/);
    assert.equal(isStorageUnavailable(error), true);

    // Grouped units fail together, each with the cause.
    const grouped = await Promise.allSettled([1, 2, 3].map((n) => database.batchedTransaction((trx) => trx.insertInto('seen_signatures').values({ signature: bigSignature(n), expires_at: 1 }).execute())));
    for (const result of grouped) {
      assert.equal(result.status, 'rejected');
      assert.match(String(result.reason), /database or disk is full/);
    }
    assert.equal(await database.ping(), false, 'not ready right after a write failed for lack of space');

    await sql`pragma max_page_count = 1073741823`.execute(database.db);
    await database.db.transaction().execute((trx) => trx.insertInto('seen_signatures').values({ signature: bigSignature(4), expires_at: 1 }).execute());
    assert.equal((await database.db.selectFrom('seen_signatures').select('signature').execute()).length, 1);
  });
});

for (const dialect of testDialects.filter((d) => d === 'postgres')) {
  describe(`connections terminated on ${dialect}`, () => {
    let database: HeraldDatabase;
    let admin: pg.Client;
    let drop: () => Promise<void>;
    const connectionErrors: Error[] = [];
    const crashes: unknown[] = [];
    const recordCrash = (error: unknown) => crashes.push(error);

    before(async () => {
      // An unhandled 'error' event on a pg client would end up here (and, without this listener, kill the test process).
      process.on('uncaughtException', recordCrash);
      const storage = await createTestStorage(dialect);
      database = openDatabase(storage.storage, { onConnectionError: (error) => connectionErrors.push(error) });
      await migrateToLatest(database);
      drop = storage.drop;
      admin = new pg.Client({ connectionString: (storage.storage as { url: string }).url });
      await admin.connect();
    });
    after(async () => {
      process.off('uncaughtException', recordCrash);
      await admin.end();
      await database.close();
      await drop();
    });

    const terminate = async (pids: string) =>
      (await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and ${pids}`)).rowCount;

    test('mid-transaction: the transaction fails as an outage, the process lives on, the next transaction succeeds', async () => {
      let pid = 0;
      const error = await failure(
        database.db.transaction().execute(async (trx) => {
          await trx.insertInto('seen_signatures').values({ signature: 'before', expires_at: 1 }).execute();
          pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
          // The termination arrives while this transaction holds the client between statements.
          assert.equal(await terminate(`pid = ${pid}`), 1);
          await waitForErrorEvent(connectionErrors.length + 1);
          await trx.insertInto('seen_signatures').values({ signature: 'after', expires_at: 1 }).execute();
        }),
      );
      assert.equal(isStorageUnavailable(error), true, String(error));
      assert.deepEqual(crashes, []);
      assert.ok(connectionErrors.some((e) => /terminating connection due to administrator command/.test(e.message)), 'the termination was heard');

      await database.db.insertInto('seen_signatures').values({ signature: 'next', expires_at: 1 }).execute();
      const stored = await database.db.selectFrom('seen_signatures').select('signature').execute();
      assert.deepEqual(stored.map((row) => row.signature), ['next'], 'the terminated transaction left nothing behind');
    });

    test('idle pooled connections terminated: the next statements succeed', async () => {
      // Fill the pool with idle connections, then terminate them all.
      await Promise.all(Array.from({ length: 5 }, () => sql`select pg_sleep(0.05)`.execute(database.db)));
      const seen = connectionErrors.length;
      const terminated = (await terminate('true')) ?? 0;
      assert.ok(terminated >= 1);
      await waitForErrorEvent(seen + terminated);
      for (let i = 0; i < 10; i++) await database.db.selectFrom('seen_signatures').select('signature').execute();
      assert.deepEqual(crashes, []);
    });

    /** The server's message reaches the client asynchronously. */
    async function waitForErrorEvent(count: number) {
      await waitFor(() => connectionErrors.length >= count || crashes.length > 0, { what: 'the connection error to arrive', timeoutMs: 5000, intervalMs: 5 });
    }
  });
}

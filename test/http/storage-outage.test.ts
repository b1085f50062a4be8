import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { STORAGE_RETRY_AFTER_SECONDS } from '../../src/storage/storage-unavailable.ts';
import { testDialects } from '../support/test-databases.ts';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

/** A send whose rows need new database pages (a large body), so a database that cannot grow refuses it. */
const largeSend = () => ({ to: [{ channelAccount: 'hooks' }], content: { title: 'Big', body: 'x'.repeat(30_000) } });

function assertStorageUnavailable(response: { statusCode: number; headers: Record<string, unknown>; json(): any }) {
  assert.equal(response.statusCode, 503);
  assert.match(String(response.headers['content-type']), /application\/problem\+json/);
  assert.equal(response.headers['retry-after'], String(STORAGE_RETRY_AFTER_SECONDS));
  assert.equal(response.json().code, 'STORAGE_UNAVAILABLE');
  assert.equal(response.json().status, 503);
}

describe('a full SQLite disk', () => {
  const clock = new ManualClock(Date.now());
  let herald: TestHerald;
  let app: AppCredentials;
  before(async () => {
    herald = await createTestHerald('sqlite', { clock });
    app = await createAppWithKey(herald, 'shop');
    await herald.services.channelAccounts.create(app.appId, { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook' } });
  });
  after(() => herald.close());

  test('sends get 503 STORAGE_UNAVAILABLE with Retry-After, readiness is 503, the log names the cause; both recover once there is room', async () => {
    assert.equal((await signedInject(herald, app, { method: 'POST', url: '/v1/messages', body: largeSend() })).statusCode, 202);
    // The database may not grow past its current pages: what a full disk does to SQLite.
    await sql`pragma max_page_count = 1`.execute(herald.context.database.db);

    assertStorageUnavailable(await signedInject(herald, app, { method: 'POST', url: '/v1/messages', body: largeSend() }));
    assertStorageUnavailable(await herald.server!.inject({ method: 'GET', url: '/readyz' }));
    assert.match(herald.logs.text, /database or disk is full/);
    assert.doesNotMatch(herald.logs.text, /cannot rollback/);
    assert.doesNotMatch(herald.logs.text, /INTERNAL_ERROR/);

    await sql`pragma max_page_count = 1073741823`.execute(herald.context.database.db);
    assert.equal((await signedInject(herald, app, { method: 'POST', url: '/v1/messages', body: largeSend() })).statusCode, 202);
    // Readiness remembers the failure for the Retry-After time, then probes again.
    assert.equal((await herald.server!.inject({ method: 'GET', url: '/readyz' })).statusCode, 503);
    clock.advance(STORAGE_RETRY_AFTER_SECONDS * 1000);
    assert.equal((await herald.server!.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  });

  test('a read-only database is not ready', async () => {
    await sql`pragma query_only = on`.execute(herald.context.database.db);
    try {
      assertStorageUnavailable(await herald.server!.inject({ method: 'GET', url: '/readyz' }));
    } finally {
      await sql`pragma query_only = off`.execute(herald.context.database.db);
    }
    clock.advance(STORAGE_RETRY_AFTER_SECONDS * 1000);
    assert.equal((await herald.server!.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  });
});

for (const dialect of testDialects.filter((d) => d === 'postgres')) {
  describe(`PostgreSQL connections terminated under load on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let admin: pg.Client;
    const crashes: unknown[] = [];
    const recordCrash = (error: unknown) => crashes.push(error);
    before(async () => {
      process.on('uncaughtException', recordCrash);
      herald = await createTestHerald(dialect);
      app = await createAppWithKey(herald, 'shop');
      await herald.services.channelAccounts.create(app.appId, { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook' } });
      admin = new pg.Client({ connectionString: herald.config.storage.dialect === 'postgres' ? herald.config.storage.url : '' });
      await admin.connect();
    });
    after(async () => {
      process.off('uncaughtException', recordCrash);
      await admin.end();
      await herald.close();
    });

    test('requests in flight get 202 or 503 STORAGE_UNAVAILABLE with Retry-After, never 500; the process lives; the next requests succeed', async (t) => {
      const send = () => signedInject(herald, app, { method: 'POST', url: '/v1/messages', body: { to: [{ channelAccount: 'hooks' }], content: { title: 't', body: 'b' } } });
      const inFlight = Array.from({ length: 60 }, (_, i) => new Promise((resolve) => setTimeout(resolve, i)).then(send));
      let terminated = 0;
      // Terminate every connection of Herald's pool a few times while the requests run (in transactions or idle).
      for (let round = 0; round < 3; round++) {
        await new Promise((resolve) => setImmediate(resolve));
        terminated += (await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')).rowCount ?? 0;
      }
      const responses = await Promise.all(inFlight);
      assert.ok(terminated > 0, 'connections were terminated');
      const byStatus = new Map<number, number>();
      for (const response of responses) {
        byStatus.set(response.statusCode, (byStatus.get(response.statusCode) ?? 0) + 1);
        if (response.statusCode !== 202) assertStorageUnavailable(response);
      }
      assert.deepEqual(crashes, []);
      t.diagnostic(`${terminated} connections terminated; answers: ${JSON.stringify(Object.fromEntries(byStatus))}`);

      // Connections still dying in the pool may fail a request or two: clients retry as told.
      let failures = 0;
      for (let i = 0; i < 20; i++) {
        const response = await send();
        if (response.statusCode === 503 && failures++ < 3) continue;
        assert.equal(response.statusCode, 202, response.body);
      }
      const accepted = responses.filter((response) => response.statusCode === 202).map((response) => response.json().id as string);
      const stored = await herald.context.database.db.selectFrom('messages').select('id').where('id', 'in', accepted.length > 0 ? accepted : ['none']).execute();
      assert.equal(stored.length, accepted.length, 'every accepted message was committed');
      assert.deepEqual(crashes, []);
    });
  });
}

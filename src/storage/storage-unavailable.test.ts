import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { HeraldError } from '../errors.ts';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { isStorageUnavailable, isTransactionConflict, STORAGE_RETRY_AFTER_SECONDS, storageUnavailableError, transactionConflictError } from './storage-unavailable.ts';

const failure = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected the statement to fail'), (error: unknown) => error);

describe('storage unavailability', () => {
  test('PostgreSQL server states and connection failures count; statement errors do not', () => {
    const withCode = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ['57P01', '57P02', '57P03', '08006', '08001', '53100', '53300', '58030', '25006', 'ECONNREFUSED', 'ECONNRESET']) {
      assert.equal(isStorageUnavailable(withCode(code)), true, code);
    }
    for (const code of ['23505', '42601', '42P01', '40001', '22P02', 'ERR_INVALID_ARG_TYPE']) {
      assert.equal(isStorageUnavailable(withCode(code)), false, code);
    }
    assert.equal(isStorageUnavailable(new Error('Connection terminated unexpectedly')), true);
    assert.equal(isStorageUnavailable(new Error('timeout exceeded when trying to connect')), true);
    assert.equal(isStorageUnavailable(new Error('Client has encountered a connection error and is not queryable')), true);
    assert.equal(isStorageUnavailable(new AggregateError([withCode('ECONNREFUSED')], 'connect failed')), true);
    assert.equal(isStorageUnavailable(new Error('wrapped', { cause: withCode('57P01') })), true);
    assert.equal(isStorageUnavailable(new Error('something else')), false);
    assert.equal(isStorageUnavailable('ECONNREFUSED'), false);
    assert.equal(isStorageUnavailable(undefined), false);
  });

  test('a HeraldError counts only when it is the outage itself', () => {
    const outage = storageUnavailableError(new Error('cause'));
    assert.equal(isStorageUnavailable(outage), true);
    assert.equal(outage.kind, 'unavailable');
    assert.deepEqual(outage.details, { retryAfterSeconds: STORAGE_RETRY_AFTER_SECONDS });
    assert.equal(isStorageUnavailable(new HeraldError('invalid', 'VALIDATION_FAILED', 'no', {})), false);
  });

  test('a PostgreSQL server that refuses connections counts', async () => {
    // Port 9 on loopback: nothing listens there, so the connect is refused at once.
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:9/none' });
    const error = await failure(client.connect());
    assert.equal(isStorageUnavailable(error), true, String(error));
  });

  for (const dialect of testDialects) {
    test(`on ${dialect}: constraint violations and bad statements do not count`, async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      try {
        const insert = () => database.db.insertInto('seen_signatures').values({ signature: 'once', expires_at: 1 }).execute();
        await insert();
        assert.equal(isStorageUnavailable(await failure(insert())), false);
        assert.equal(isStorageUnavailable(await failure(sql`select * from no_such_table`.execute(database.db))), false);
      } finally {
        await close();
      }
    });
  }

  test('a full SQLite database counts (SQLITE_FULL)', async () => {
    const { database, close } = await createMigratedDatabase('sqlite');
    try {
      // The database may not grow past its current pages: what a full disk does to SQLite.
      await sql`pragma max_page_count = 1`.execute(database.db);
      const full = await failure(database.db.insertInto('seen_signatures').values({ signature: 'x'.repeat(100_000), expires_at: 1 }).execute());
      assert.equal((full as { errcode?: number }).errcode, 13, String(full));
      assert.equal(isStorageUnavailable(full), true);
    } finally {
      await close();
    }
  });
});

test('a deadlock or serialization failure is a conflict to retry, not an outage', () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });
  for (const code of ['40001', '40P01']) {
    assert.equal(isTransactionConflict(withCode(code)), true, code);
    assert.equal(isStorageUnavailable(withCode(code)), false, code);
  }
  for (const code of ['23505', '57P01', 'ECONNRESET']) assert.equal(isTransactionConflict(withCode(code)), false, code);
  const answered = transactionConflictError(withCode('40P01'));
  assert.deepEqual([answered.kind, answered.code, answered.details.retryAfterSeconds], ['unavailable', 'STORAGE_CONFLICT', 1]);
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { createTransactionBatcher } from './transaction-batcher.ts';

for (const dialect of testDialects) {
  describe(`transaction batcher on ${dialect}`, () => {
    test('concurrent units share transactions, and a failing unit fails alone', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      try {
        const { db } = database;
        const batcher = createTransactionBatcher(db, { dialect, concurrentTransactions: 1 });
        const transactionsSeen = new Set<object>();
        const insert = (signature: string) => (trx: Parameters<Parameters<typeof batcher.run>[0]>[0]) => {
          transactionsSeen.add(trx);
          return trx.insertInto('seen_signatures').values({ signature, expires_at: 1 }).execute().then(() => signature);
        };
        const units = Array.from({ length: 50 }, (_, i) => batcher.run(insert(`sig-${i}`)));
        assert.deepEqual(await Promise.all(units), Array.from({ length: 50 }, (_, i) => `sig-${i}`));
        assert.ok(transactionsSeen.size < 10, `50 units in ${transactionsSeen.size} transactions`);

        const mixed = await Promise.allSettled([batcher.run(insert('a')), batcher.run(insert('b')), batcher.run(insert('sig-3')), batcher.run(insert('c'))]);
        assert.deepEqual(mixed.map((result) => result.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
        const stored = await db.selectFrom('seen_signatures').select('signature').where('signature', 'in', ['a', 'b', 'c']).execute();
        assert.equal(stored.length, 3);

        // Deferred rows of a group are written together, and a unit whose rows collide fails alone.
        const deferred = await Promise.allSettled(
          ['d1', 'd2', 'sig-4', 'd3'].map((signature) => batcher.run(async (_trx, later) => later.add('seen_signatures', [{ signature, expires_at: 2 }]))),
        );
        assert.deepEqual(deferred.map((result) => result.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
        const written = await db.selectFrom('seen_signatures').select('signature').where('expires_at', '=', 2).orderBy('signature').execute();
        assert.deepEqual(written.map((row) => row.signature), ['d1', 'd2', 'd3']);
      } finally {
        await close();
      }
    });
  });
}

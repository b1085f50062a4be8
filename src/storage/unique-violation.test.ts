import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { isUniqueViolation } from './unique-violation.ts';

for (const dialect of testDialects) {
  describe(`unique violations on ${dialect}`, () => {
    test('are recognised, and other errors are not', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      try {
        const insert = () => database.db.insertInto('seen_signatures').values({ signature: 'same', expires_at: 1 }).execute();
        await insert();
        const duplicate = await insert().then(() => undefined, (error: unknown) => error);
        assert.equal(isUniqueViolation(duplicate), true);
        const missingTable = await database.db.selectFrom('no_such_table' as never).selectAll().execute().then(() => undefined, (error: unknown) => error);
        assert.ok(missingTable);
        assert.equal(isUniqueViolation(missingTable), false);
        assert.equal(isUniqueViolation('UNIQUE constraint failed'), false);
      } finally {
        await close();
      }
    });
  });
}

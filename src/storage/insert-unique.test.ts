import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { conflict, HeraldError } from '../errors.ts';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { insertUnique } from './insert-unique.ts';
import type { AppsTable } from './schema.ts';
import { failIfTaken, isUniqueViolation } from './unique-violation.ts';

const app = (id: string, name: string): AppsTable => ({ id, name, description: '', status: 'active', callback_secret_enc: 'x', inbox_secret_enc: null, settings: '{}', created_at: 1, updated_at: 1 });
const nameTaken = () => conflict('APP_NAME_TAKEN', 'taken');
const isNameTaken = (error: unknown) => error instanceof HeraldError && error.code === 'APP_NAME_TAKEN';

for (const dialect of testDialects) {
  describe(`unique inserts on ${dialect}`, () => {
    test('insert once; the same name again is refused with the caller’s error; other violations stay what they are', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      try {
        await insertUnique(database.db, 'apps', app('app_1', 'shop'), ['name'], nameTaken);
        await assert.rejects(insertUnique(database.db, 'apps', app('app_2', 'shop'), ['name'], nameTaken), isNameTaken);
        // The same id under a free name breaks another constraint: not a taken name.
        await assert.rejects(insertUnique(database.db, 'apps', app('app_1', 'other'), ['name'], nameTaken), (error: unknown) => !isNameTaken(error) && isUniqueViolation(error));
        const rows = await database.db.selectFrom('apps').select(['id', 'name']).execute();
        assert.deepEqual(rows.map((row) => ({ ...row })), [{ id: 'app_1', name: 'shop' }]);
      } finally {
        await close();
      }
    });

    test('of concurrent inserts of one name exactly one succeeds', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      try {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 6 }, (_, index) => database.db.transaction().execute((trx) => insertUnique(trx, 'apps', app(`app_${index}`, 'shop'), ['name'], nameTaken))),
        );
        assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
        for (const outcome of outcomes) if (outcome.status === 'rejected') assert.ok(isNameTaken(outcome.reason), String(outcome.reason));
      } finally {
        await close();
      }
    });

    test('an update onto a taken name is refused with the caller’s error; other failures pass through', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      try {
        await database.db.insertInto('apps').values([app('app_1', 'shop'), app('app_2', 'other')]).execute();
        const rename = (name: string) => database.db.updateTable('apps').set({ name }).where('id', '=', 'app_2').execute();
        await assert.rejects(failIfTaken(rename('shop'), nameTaken), isNameTaken);
        await assert.rejects(failIfTaken(Promise.reject(new Error('disk full')), nameTaken), /disk full/);
        await failIfTaken(rename('free'), nameTaken);
        assert.equal((await database.db.selectFrom('apps').select('name').where('id', '=', 'app_2').executeTakeFirstOrThrow()).name, 'free');
      } finally {
        await close();
      }
    });
  });
}

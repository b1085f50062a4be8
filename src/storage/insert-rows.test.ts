import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { insertRows } from './insert-rows.ts';
import type { AppsTable } from './schema.ts';

const app = (index: number, overrides: Partial<AppsTable> = {}): AppsTable => ({
  id: `app_${String(index).padStart(5, '0')}`,
  name: `app ${index}`,
  description: '',
  status: 'active',
  callback_secret_enc: 'x',
  inbox_secret_enc: null,
  settings: '{}',
  created_at: 1_764_806_400_000 + index,
  updated_at: 1,
  ...overrides,
});

for (const dialect of testDialects) {
  describe(`insertRows on ${dialect}`, () => {
    test('stores every row with its values as given: nulls, epoch milliseconds, JSON text, quotes and non-ASCII text', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      try {
        const odd = app(1, { name: `it's "quoted" \\ back\\slash, 中文, 🚀`, description: 'line\nbreak\ttab', inbox_secret_enc: 'enc', settings: JSON.stringify({ nested: { text: 'a "b"', list: [1, null] } }) });
        await insertRows(database.db, dialect, 'apps', [odd, app(2)]);
        const rows = await database.db.selectFrom('apps').selectAll().orderBy('id').execute();
        assert.deepEqual(rows.map((row) => ({ ...row })), [odd, app(2)]);
      } finally {
        await close();
      }
    });

    test('more rows than one statement may bind on SQLite all arrive, once each', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      try {
        // 9 columns: SQLite binds at most 32,766 parameters, so 5,000 rows take two statements there.
        const rows = Array.from({ length: 5_000 }, (_, index) => app(index));
        await insertRows(database.db, dialect, 'apps', rows);
        const stored = await database.db.selectFrom('apps').select(['id', 'created_at']).orderBy('id').execute();
        assert.equal(stored.length, 5_000);
        assert.deepEqual({ ...stored.at(-1) }, { id: 'app_04999', created_at: 1_764_806_400_000 + 4_999 });
      } finally {
        await close();
      }
    });

    test('a lone surrogate is stored as U+FFFD, as a bound string would be, instead of failing the insert', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      try {
        await insertRows(database.db, dialect, 'apps', [app(1, { description: 'before \ud800 after' })]);
        const row = await database.db.selectFrom('apps').select('description').executeTakeFirstOrThrow();
        assert.equal(row.description, 'before \ufffd after');
      } finally {
        await close();
      }
    });

    test('no rows is no statement', async () => {
      const { database, close } = await createMigratedDatabase(dialect);
      try {
        await insertRows(database.db, dialect, 'apps', []);
        assert.equal((await database.db.selectFrom('apps').select('id').execute()).length, 0);
      } finally {
        await close();
      }
    });
  });
}

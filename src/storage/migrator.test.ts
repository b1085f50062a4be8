import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStorage, testDialects } from '../../test/support/test-databases.ts';
import { openDatabase } from './database.ts';
import { migrateToLatest } from './migrator.ts';

for (const dialect of testDialects) {
  describe(`migrations on ${dialect}`, () => {
    test('apply once, then are a no-op, and the database answers pings', async () => {
      const testStorage = await createTestStorage(dialect);
      const database = openDatabase(testStorage.storage);
      try {
        const first = await migrateToLatest(database);
        assert.deepEqual(first, ['0001-foundation', '0002-pipeline', '0003-templates', '0004-liveness', '0005-im-channels', '0006-result-checks', '0007-receipts-and-routes', '0008-web-push', '0009-message-types', '0010-policy-counters', '0011-schedules', '0012-digests', '0013-escalations', '0014-inbox', '0015-rate-limits', '0016-audit-log', '0017-retention', '0018-account-quotas', '0019-alarms', '0020-receipt-token-rotation', '0021-dashboard-counters']);
        assert.deepEqual(await migrateToLatest(database), []);
        assert.equal(await database.ping(), true);
        const apps = await database.db.selectFrom('apps').selectAll().execute();
        assert.deepEqual(apps, []);
      } finally {
        await database.close();
        await testStorage.drop();
      }
    });
  });
}

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { loadOrCreateMasterKey } from '../security/master-key.ts';
import { openDatabase } from './database.ts';

const modeOf = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe('DATA_DIR is readable by its owner only, whatever the umask', () => {
  let root: string;
  let previousUmask: number;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-private-'));
    // The most permissive umask: every mode Herald does not set explicitly would be world-readable.
    previousUmask = process.umask(0);
  });
  after(() => {
    process.umask(previousUmask);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a new DATA_DIR is 0700; the database, its -wal and -shm, and master.key are 0600', async () => {
    const dataDir = path.join(root, 'fresh', 'data');
    const file = path.join(dataDir, 'herald.db');
    const database = openDatabase({ dialect: 'sqlite', file });
    try {
      await sql`create table probe (x integer)`.execute(database.db);
      await sql`insert into probe values (1)`.execute(database.db);
      loadOrCreateMasterKey(undefined, dataDir);
      assert.equal(modeOf(path.join(root, 'fresh')), '700', 'missing parents are created private too');
      assert.equal(modeOf(dataDir), '700');
      for (const name of ['herald.db', 'herald.db-wal', 'herald.db-shm', 'master.key']) assert.equal(modeOf(path.join(dataDir, name)), '600', name);
    } finally {
      await database.close();
    }
  });

  test('files an earlier version left readable are narrowed to 0600; an existing directory keeps its mode', async () => {
    const dataDir = path.join(root, 'old');
    fs.mkdirSync(dataDir, { mode: 0o755 });
    const file = path.join(dataDir, 'herald.db');
    const first = openDatabase({ dialect: 'sqlite', file });
    await sql`create table probe (x integer)`.execute(first.db);
    const key = loadOrCreateMasterKey(undefined, dataDir);
    await first.close();
    for (const name of ['herald.db', 'herald.db-wal', 'herald.db-shm', 'master.key']) {
      fs.writeFileSync(path.join(dataDir, name), '', { flag: 'a' });
      fs.chmodSync(path.join(dataDir, name), 0o644);
    }

    const again = openDatabase({ dialect: 'sqlite', file });
    try {
      const { rows } = await sql<{ n: number }>`select count(*) as n from probe`.execute(again.db);
      assert.equal(rows[0]?.n, 0, 'the database still opens');
      assert.deepEqual(loadOrCreateMasterKey(undefined, dataDir), key, 'the same key is read back');
      for (const name of ['herald.db', 'herald.db-wal', 'herald.db-shm', 'master.key']) assert.equal(modeOf(path.join(dataDir, name)), '600', name);
      assert.equal(modeOf(dataDir), '755', 'DATA_DIR may be a shared directory; Herald does not change it');
    } finally {
      await again.close();
    }
  });
});

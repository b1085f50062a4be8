import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { StorageConfig } from '../../src/config/config.ts';
import { openDatabase, type HeraldDatabase } from '../../src/storage/database.ts';
import type { Dialect } from '../../src/storage/dialect.ts';
import { migrateToLatest } from '../../src/storage/migrator.ts';

/**
 * Every storage test loops over these dialects. SQLite always runs; PostgreSQL runs
 * when HERALD_TEST_POSTGRES_URL names a server (CI sets it). Each test database is
 * created fresh and dropped afterwards, so test files can run in parallel.
 */
const postgresUrl = process.env.HERALD_TEST_POSTGRES_URL;

export const testDialects: Dialect[] = postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestStorage {
  storage: StorageConfig;
  /** Scratch directory usable as DATA_DIR. */
  dataDir: string;
  drop(): Promise<void>;
}

export async function createTestStorage(dialect: Dialect): Promise<TestStorage> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-test-'));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  if (dialect === 'sqlite') {
    return { storage: { dialect, file: path.join(dataDir, 'herald.db') }, dataDir, drop: async () => removeDir() };
  }
  const name = `herald_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresUrl!);
  url.pathname = `/${name}`;
  return {
    storage: { dialect, url: url.toString(), poolSize: 10 },
    dataDir,
    async drop() {
      removeDir();
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A migrated database for tests that work below the HTTP layer. */
export async function createMigratedDatabase(dialect: Dialect): Promise<{ database: HeraldDatabase; testStorage: TestStorage; close(): Promise<void> }> {
  const testStorage = await createTestStorage(dialect);
  const database = openDatabase(testStorage.storage);
  await migrateToLatest(database);
  return {
    database,
    testStorage,
    async close() {
      await database.close();
      await testStorage.drop();
    },
  };
}

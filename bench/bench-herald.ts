import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { request } from 'undici';
import { parseConfig } from '../src/config/config.ts';
import { createHerald, ROLES, type HeraldRole } from '../src/herald.ts';
import { openDatabase, type HeraldDatabase } from '../src/storage/database.ts';
import { SINK_ACCOUNT_NAME } from './bench-content.ts';
import { freePort } from './free-port.ts';
import { startNodeProgram, type BenchProcess } from './child-process.ts';
import { signedHeaders, type BenchCredentials } from './signed-requests.ts';

/**
 * Herald as the benchmarks run it: `node src/main.ts start [--role ...]` in child processes
 * on a fresh database (a temporary SQLite file, or a new PostgreSQL database created for the
 * run and dropped after it), with one app, one access key and a webhook channel account.
 */

export type BenchDialect = 'sqlite' | 'postgres';

export interface BenchHeraldOptions {
  dialect: BenchDialect;
  /** A PostgreSQL server URL; the benchmark creates its own database there. Required for `postgres`. */
  postgresAdminUrl?: string;
  /** Environment for every Herald process, on top of the benchmark's (e.g. HERALD_WORKER_CONCURRENCY). */
  env?: Record<string, string>;
  /** Node flags for Herald processes, e.g. `--cpu-prof`. */
  execArgv?: string[];
}

export interface HeraldProcess extends BenchProcess {
  readonly roles: readonly HeraldRole[];
  /** `http://127.0.0.1:<port>` when the process runs the api role. */
  readonly origin: string | undefined;
}

export interface BenchHerald {
  readonly dialect: BenchDialect;
  readonly credentials: BenchCredentials;
  /** The id of the app `bench`. */
  readonly appId: string;
  /** The benchmark's own connection to Herald's database, for checks. */
  readonly database: HeraldDatabase;
  /** Starts a Herald process with these roles (all of them by default) and waits until its API answers. */
  /** Starts `herald start` with these roles; `processes` > 1 runs it as `--processes N` (PostgreSQL only). */
  start(roles?: readonly HeraldRole[], options?: { processes?: number }): Promise<HeraldProcess>;
  /** A signed request, as a calling system sends it. */
  call(api: HeraldProcess, method: 'GET' | 'POST', requestPath: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Creates the webhook channel account "sink" posting to `url`, through the API. */
  createSinkAccount(api: HeraldProcess, url: string): Promise<void>;
  deliveryStatusCounts(): Promise<Record<string, number>>;
  messageCount(): Promise<number>;
  /** Polls until `count` deliveries are `sent`; answers when that was seen (epoch ms). */
  waitForSent(count: number, timeoutMs: number): Promise<number>;
  /** Stops every process it started, then removes the database. Idempotent. */
  close(): Promise<void>;
}

/** Started exactly as `npm start` starts Herald: the bin entry with the same V8 flags. */
const HERALD_BIN = fileURLToPath(new URL('../bin/herald.js', import.meta.url));
const HERALD_NODE_FLAGS = ['--max-semi-space-size=4'];
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const POLL_INTERVAL_MS = 20;

interface BenchStorage {
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function createBenchStorage(dialect: BenchDialect, postgresAdminUrl: string | undefined): Promise<BenchStorage> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-bench-'));
  const removeDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  const env = { DATA_DIR: dataDir };
  if (dialect === 'sqlite') return { env, drop: async () => removeDir() };
  if (!postgresAdminUrl) throw new Error('PostgreSQL benchmarks need a server: set HERALD_BENCH_POSTGRES_URL (or HERALD_TEST_POSTGRES_URL)');
  const name = `herald_bench_${randomBytes(5).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: postgresAdminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    env: { ...env, DATABASE_URL: url.toString() },
    async drop() {
      removeDir();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

export async function createBenchHerald(options: BenchHeraldOptions): Promise<BenchHerald> {
  const storage = await createBenchStorage(options.dialect, options.postgresAdminUrl);
  const env: Record<string, string> = {
    ...storage.env,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    HERALD_MASTER_KEY: randomBytes(32).toString('hex'),
    HERALD_OUTBOUND_ALLOW_LOOPBACK: 'true',
    ...options.env,
  };
  const config = parseConfig(env);
  let database: HeraldDatabase | undefined;
  const processes: HeraldProcess[] = [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await Promise.all(processes.map((child) => child.stop()));
      await database?.close();
      await storage.drop();
    })());
  try {
    // Migrates, and makes the app and its key the way `herald app create` / `key create` do.
    const provisioner = await createHerald(config, { roles: [], logger: pino({ level: 'silent' }) });
    const app = await provisioner.services.apps.create({ name: 'bench' });
    const key = await provisioner.services.keys.create(app.id);
    await provisioner.stop();
    database = openDatabase(config.storage.dialect === 'postgres' ? { ...config.storage, poolSize: 2 } : config.storage);
    const credentials = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
    const db = database.db;

    const call: BenchHerald['call'] = async (api, method, requestPath, body) => {
      if (!api.origin) throw new Error(`${api.name} does not run the api role`);
      const text = body === undefined ? '' : JSON.stringify(body);
      const response = await request(`${api.origin}${requestPath}`, {
        method,
        headers: signedHeaders(credentials, { method, path: requestPath, host: new URL(api.origin).host, body: text }),
        body: body === undefined ? undefined : text,
      });
      const answer = await response.body.text();
      return { status: response.statusCode, body: answer ? JSON.parse(answer) : undefined };
    };

    const deliveryStatusCounts = async () => {
      const rows = await db.selectFrom('deliveries').select(['status', (eb) => eb.fn.countAll().as('count')]).groupBy('status').execute();
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
    };

    return {
      dialect: options.dialect,
      credentials,
      appId: app.id,
      database,
      call,
      deliveryStatusCounts,

      async start(roles = ROLES, { processes: copies = 1 } = {}) {
        const port = roles.includes('api') ? await freePort() : 0;
        const args = ['start', ...roles.flatMap((role) => ['--role', role]), ...(copies > 1 ? ['--processes', String(copies)] : [])];
        const child = startNodeProgram(`herald[${roles.join(',')}]${copies > 1 ? `×${copies}` : ''}`, HERALD_BIN, args, {
          cwd: PROJECT_ROOT,
          env: { ...process.env, ...env, PORT: String(port) },
          execArgv: [...HERALD_NODE_FLAGS, ...(options.execArgv ?? [])],
        });
        const heraldProcess: HeraldProcess = { ...child, roles, origin: roles.includes('api') ? `http://127.0.0.1:${port}` : undefined };
        processes.push(heraldProcess);
        if (heraldProcess.origin) await Promise.race([waitForHealth(heraldProcess.origin), child.unexpectedExit]);
        return heraldProcess;
      },

      async createSinkAccount(api, url) {
        const created = await call(api, 'POST', '/v1/channel-accounts', { type: 'webhook', name: SINK_ACCOUNT_NAME, config: { url } });
        if (created.status !== 201) throw new Error(`creating the webhook account failed: ${created.status} ${JSON.stringify(created.body)}`);
      },

      async messageCount() {
        const row = await db.selectFrom('messages').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
        return Number(row.count);
      },

      async waitForSent(count, timeoutMs) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const row = await sql<{ count: number }>`select count(*) as count from deliveries where status = 'sent'`.execute(db);
          if (Number(row.rows[0].count) >= count) return Date.now();
          if (Date.now() > deadline) throw new Error(`${row.rows[0].count} of ${count} deliveries sent after ${timeoutMs} ms: ${JSON.stringify(await deliveryStatusCounts())}`);
          await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
        }
      },

      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function waitForHealth(origin: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      const response = await request(`${origin}/healthz`);
      await response.body.dump();
      if (response.statusCode === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`Herald at ${origin} did not answer /healthz within ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { signSigV4Request } from '../../src/security/sigv4.ts';
import { createTestStorage, testDialects, type TestStorage } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

const run = promisify(execFile);
const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');

function envFor(testStorage: TestStorage, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    DATA_DIR: testStorage.dataDir,
    LOG_LEVEL: 'warn',
    ...(testStorage.storage.dialect === 'postgres' ? { DATABASE_URL: testStorage.storage.url } : {}),
    ...extra,
  };
}

const herald = (args: string[], env: NodeJS.ProcessEnv) => run(process.execPath, [MAIN, ...args], { env });

for (const dialect of testDialects) {
  describe(`herald CLI on ${dialect}`, () => {
    let testStorage: TestStorage;
    before(async () => {
      testStorage = await createTestStorage(dialect);
    });
    after(() => testStorage.drop());

    test('migrate, app create, key create/revoke and admin create', async () => {
      const env = envFor(testStorage);
      const migrated = await herald(['migrate'], env);
      assert.match(migrated.stdout, /Applied 0001-foundation/);
      const app = JSON.parse((await herald(['app', 'create', 'shop', '--json'], env)).stdout);
      assert.equal(app.name, 'shop');
      const key = JSON.parse((await herald(['key', 'create', '--app', 'shop', '--json'], env)).stdout);
      assert.deepEqual(Object.keys(key).sort(), ['accessKeyId', 'secretAccessKey']);
      assert.match(key.accessKeyId, /^HK[A-Z2-7]{18}$/);
      const listed = (await herald(['key', 'list', '--app', 'shop', '--json'], env)).stdout;
      assert.ok(!listed.includes(key.secretAccessKey));
      await herald(['key', 'revoke', key.accessKeyId], env);
      const afterRevoke = JSON.parse((await herald(['key', 'list', '--app', 'shop', '--json'], env)).stdout);
      assert.equal(afterRevoke[0].status, 'revoked');
      await assert.rejects(herald(['admin', 'create', '--email', 'ops@example.com', '--password', 'ops@example.com1', '--json'], env), (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /herald: The password is too easy to guess: .*personal.* \(PASSWORD_TOO_WEAK\)/);
        return true;
      });
      const admin = JSON.parse((await herald(['admin', 'create', '--email', 'ops@example.com', '--password', 'violet-canyon-47-drift', '--json'], env)).stdout);
      assert.equal(admin.role, 'owner');
      if (dialect === 'sqlite') {
        const mode = fs.statSync(path.join(testStorage.dataDir, 'master.key')).mode & 0o777;
        assert.equal(mode, 0o600);
      }
    });

    test('a wrong configuration value stops start-up naming the variable', async () => {
      await assert.rejects(herald(['start'], envFor(testStorage, { PORT: 'eighty' })), (error: { code: number; stderr: string }) => {
        assert.equal(error.code, 1);
        assert.match(error.stderr, /PORT/);
        return true;
      });
      await assert.rejects(herald(['start'], envFor(testStorage, { HERALD_MASTER_KEY: 'short' })), (error: { stderr: string }) => /HERALD_MASTER_KEY/.test(error.stderr));
      await assert.rejects(herald(['start', '--role', 'chef'], envFor(testStorage)), (error: { stderr: string }) => /ROLE_UNKNOWN/.test(error.stderr));
      await assert.rejects(herald(['start', '--processes', '0'], envFor(testStorage)), (error: { stderr: string }) => /PROCESSES_INVALID/.test(error.stderr));
      if (dialect === 'sqlite') {
        await assert.rejects(herald(['start', '--processes', '2'], envFor(testStorage)), (error: { stderr: string }) => /needs? PostgreSQL.*PROCESSES_NEED_POSTGRES/.test(error.stderr));
      } else {
        const mqtt = envFor(testStorage, { HERALD_INGEST_MQTT_URL: 'mqtt://127.0.0.1:1883' });
        await assert.rejects(herald(['start', '--processes', '2'], mqtt), (error: { stderr: string }) => /PROCESSES_MQTT_SESSION/.test(error.stderr));
      }
      const heartbeats = { HERALD_HEARTBEAT_INTERVAL_SECONDS: '5', HERALD_WORKER_DEAD_AFTER_SECONDS: '6' };
      await assert.rejects(herald(['start'], envFor(testStorage, heartbeats)), (error: { stderr: string }) => /HERALD_WORKER_DEAD_AFTER_SECONDS: must be at least twice/.test(error.stderr));
    });

    test('start serves /healthz and a signed request, then stops on SIGTERM', async () => {
      const env = envFor(testStorage);
      await herald(['app', 'create', 'live', '--json'], env);
      const key = JSON.parse((await herald(['key', 'create', '--app', 'live', '--json'], env)).stdout);
      const child = spawn(process.execPath, [MAIN, 'start'], { env: { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' } });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', () => {
          const match = output.match(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/);
          if (match) resolve(Number(match[1]));
        });
        child.on('exit', () => reject(new Error(`exited early: ${output}`)));
      });
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      const headers = signSigV4Request({ method: 'GET', url: '/v1/whoami', host: `127.0.0.1:${port}`, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, region: 'us-east-1', nowMs: Date.now() });
      const { host: _host, ...sendable } = headers;
      const whoami = await fetch(`http://127.0.0.1:${port}/v1/whoami`, { headers: sendable });
      assert.equal(whoami.status, 200);
      assert.equal(((await whoami.json()) as { appName: string }).appName, 'live');
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.ok(!output.includes(key.secretAccessKey));
    });
    // Several processes need PostgreSQL; on SQLite the refusal is tested above.
    if (dialect === 'postgres') test('start --processes 2 runs two processes on one port, replaces one that dies, and stops them all on SIGTERM', async () => {
      const env = envFor(testStorage);
      const child = spawn(process.execPath, [MAIN, 'start', '--processes', '2', '--role', 'api', '--role', 'worker'], {
        env: { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', LOG_FORMAT: 'json' },
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const lines = () => output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { pid: number; msg: string });
      const startedPids = () => lines().filter((line) => line.msg.startsWith('Herald started')).map((line) => line.pid);
      await waitFor(() => startedPids().length >= 2, { timeoutMs: 60_000, what: `two processes started: ${output}` });
      const [first, second] = startedPids();
      assert.notEqual(first, second);
      assert.ok(first !== child.pid && second !== child.pid, 'the primary only supervises');
      const port = Number(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)![1]);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      assert.equal(((await ready.json()) as { liveWorkers: number }).liveWorkers, 2);

      process.kill(first!, 'SIGKILL');
      await waitFor(() => startedPids().length >= 3, { timeoutMs: 60_000, what: `a replacement process: ${output}` });
      const replacement = startedPids()[2]!;
      assert.ok(![first, second].includes(replacement));
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      for (const pid of [second!, replacement]) assert.throws(() => process.kill(pid, 0), /ESRCH/, `process ${pid} is gone`);
    });
  });
}

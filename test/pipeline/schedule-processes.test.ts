import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tickIdempotencyKey } from '../../src/dispatch/schedule-runner.ts';
import { testDialects } from '../support/test-databases.ts';
import { inheritedEnvironment } from '../support/test-environment.ts';
import { createAppWithKey, createTestHerald, signedInject } from '../support/test-herald.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * Two real `herald start --role scheduler` processes on one PostgreSQL, in real time, on a cron
 * that ticks every second (SQLite is one process's embedded database). The ManualClock version
 * of the same guarantee, on both dialects, is in schedules.test.ts.
 */

const heraldMain = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../src/main.ts');

/** Killed when the file ends, so a failed test cannot leave them running. */
const spawned = new Set<ChildProcess>();
process.on('exit', () => spawned.forEach((child) => child.kill('SIGKILL')));
after(() => spawned.forEach((child) => child.kill('SIGKILL')));

async function startScheduler(id: string, databaseUrl: string, dataDir: string): Promise<{ child: ChildProcess; exited: Promise<number | null>; output(): string }> {
  const child = spawn(process.execPath, [heraldMain, 'start', '--role', 'scheduler'], {
    env: { ...inheritedEnvironment(), DATABASE_URL: databaseUrl, DATA_DIR: dataDir, HERALD_POLL_INTERVAL_MS: '100', HERALD_WORKER_ID: id, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned.add(child);
  const exited = once(child, 'exit').then(([code]) => {
    spawned.delete(child);
    return code as number | null;
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await waitFor(() => output.includes('Herald started') || child.exitCode !== null, { what: `scheduler ${id} to start`, timeoutMs: 90_000 });
  assert.equal(child.exitCode, null, `scheduler ${id} exited during start`);
  return { child, exited, output: () => output };
}

for (const dialect of testDialects.filter((d) => d === 'postgres')) {
  describe(`scheduler processes on ${dialect}`, () => {
    test('a cron schedule with two scheduler processes: each tick sent exactly once over 20 ticks', { timeout: 180_000 }, async (t) => {
      const herald = await createTestHerald(dialect);
      const schedulers: Array<Awaited<ReturnType<typeof startScheduler>>> = [];
      const stopped: typeof schedulers = [];
      try {
        const app = await createAppWithKey(herald, 'ticks');
        const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
        assert.equal((await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/unused' } })).statusCode, 201);
        const databaseUrl = (herald.config.storage as { url: string }).url;
        schedulers.push(...(await Promise.all(['scheduler-a', 'scheduler-b'].map((id) => startScheduler(id, databaseUrl, herald.config.dataDir)))));

        const created = await call('POST', '/v1/schedules', { name: 'every-second', cron: '* * * * * *', message: { to: [{ channelAccount: 'hooks' }], content: { body: 'tick' } } });
        assert.equal(created.statusCode, 201, created.body);
        const { id, nextRunAt } = created.json();
        const firstTickMs = Date.parse(nextRunAt);
        const { db } = herald.context.database;
        const keysSent = async () =>
          (await db.selectFrom('messages').select('idempotency_key').where('idempotency_key', 'like', `schedule:${id}:%`).execute()).map((row) => row.idempotency_key!);
        await waitFor(async () => (await keysSent()).length >= 20, { what: '20 ticks', timeoutMs: 120_000, intervalMs: 100 });
        assert.equal((await call('POST', `/v1/schedules/${id}/pause`)).statusCode, 200);
        // Stopped before counting, so a tick in flight during the pause is in both counts.
        for (const scheduler of schedulers.splice(0)) {
          scheduler.child.kill('SIGTERM');
          assert.equal(await scheduler.exited, 0, 'a graceful stop');
          stopped.push(scheduler);
        }

        const keys = await keysSent();
        assert.equal(new Set(keys).size, keys.length, 'no tick sent twice');
        assert.deepEqual(
          keys.sort().slice(0, 20),
          Array.from({ length: 20 }, (_, index) => tickIdempotencyKey(id, firstTickMs + index * 1000)).sort(),
          'the first 20 ticks, each once, none lost',
        );
        // Each process logs the ticks it ran: a tick run twice (its message replayed) would show as one line too many.
        const ranBy = stopped.map((scheduler) => scheduler.output().split('\n').filter((line) => line.includes('schedule tick sent')).length);
        assert.equal(ranBy[0]! + ranBy[1]!, keys.length, 'each tick ran in one process only');
        assert.ok(ranBy.every((ran) => ran > 0), 'both processes ran ticks');
        t.diagnostic(`${keys.length} ticks by two scheduler processes (${ranBy.join(' + ')})`);
      } finally {
        for (const scheduler of schedulers) scheduler.child.kill('SIGTERM');
        assert.deepEqual(await Promise.all(schedulers.map((scheduler) => scheduler.exited)), schedulers.map(() => 0), 'graceful stops');
        await herald.close();
      }
    });
  });
}

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { startLoopbackHttpServer, type LoopbackHttpServer } from '../providers/conformance/loopback-http-server.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { TEST_MASTER_KEY_HEX, testCryptoBox } from '../../test/support/dispatch-test-kit.ts';
import { seedApp, seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { waitFor } from '../../test/support/wait-for.ts';
import { createDeliveryWakeup } from './wakeup.ts';
import { createDatabaseNotifications } from '../storage/database-notifications.ts';
import { inheritedEnvironment } from '../../test/support/test-environment.ts';
import { createAppWithKey, createTestHerald, signedInject } from '../../test/support/test-herald.ts';
import { startWechatTemplateTestServer } from '../providers/wechat-template/wechat-template-test-server.ts';

/**
 * Scale-out and crash recovery with real worker processes on one PostgreSQL (SQLite is one
 * process's embedded database, so there only a restart after a crash). The processes are real
 * `herald start --role worker` processes.
 */

const heraldMain = path.join(path.dirname(fileURLToPath(import.meta.url)), '../main.ts');

interface WorkerProcess {
  id: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Leases as long as by default, heartbeats every second: a killed worker's deliveries go out again seconds after it died. */
const QUICK_HEARTBEATS = { HERALD_LEASE_SECONDS: '60', HERALD_HEARTBEAT_INTERVAL_SECONDS: '1', HERALD_WORKER_DEAD_AFTER_SECONDS: '3' };

/** Every process a test started; killed when the file ends, so a failed test cannot leave them running (and the run hanging). */
const spawned = new Set<ChildProcess>();
process.on('exit', () => spawned.forEach((child) => child.kill('SIGKILL')));
after(() => spawned.forEach((child) => child.kill('SIGKILL')));

/** `databaseUrl` undefined: SQLite under `dataDir`. */
async function startWorkerProcess(id: string, databaseUrl: string | undefined, dataDir: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [heraldMain, 'start', '--role', 'worker'], {
    env: {
      ...inheritedEnvironment(),
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
      DATA_DIR: dataDir,
      HERALD_MASTER_KEY: TEST_MASTER_KEY_HEX,
      HERALD_OUTBOUND_ALLOW_LOOPBACK: 'true',
      HERALD_POLL_INTERVAL_MS: '100',
      HERALD_WORKER_ID: id,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned.add(child);
  const exited = once(child, 'exit').then(([code]) => {
    spawned.delete(child);
    return code as number | null;
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  // Generous: a start on a loaded 2-core machine (CI runs three test files at once) can take many seconds.
  await waitFor(() => output.includes('Herald started') || child.exitCode !== null, { what: `worker ${id} to start`, timeoutMs: 90_000 });
  assert.equal(child.exitCode, null, `worker ${id} exited during start`);
  return { id, child, exited };
}

/** A webhook receiver that answers after `delayMs` and counts every delivery id it saw. */
async function startCountingSink(delayMs: number): Promise<LoopbackHttpServer & { counts: Map<string, number>; total(): number }> {
  const counts = new Map<string, number>();
  const server = await startLoopbackHttpServer((request, _body, response) => {
    const id = String(request.headers['x-herald-delivery-id']);
    counts.set(id, (counts.get(id) ?? 0) + 1);
    setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'), delayMs);
  });
  return { ...server, close: () => server.close(), counts, total: () => [...counts.values()].reduce((sum, n) => sum + n, 0) };
}

async function countByStatus(database: HeraldDatabase): Promise<Record<string, number>> {
  const rows = await database.db.selectFrom('deliveries').select((eb) => ['status', eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

for (const dialect of testDialects.filter((d) => d === 'postgres')) {
  describe(`worker processes on ${dialect}`, () => {
    let database: HeraldDatabase;
    let closeDatabase: () => Promise<void>;
    let databaseUrl: string;
    let dataDir: string;
    const cryptoBox = testCryptoBox();

    before(async () => {
      const migrated = await createMigratedDatabase(dialect);
      database = migrated.database;
      closeDatabase = migrated.close;
      databaseUrl = (migrated.testStorage.storage as { url: string }).url;
      dataDir = migrated.testStorage.dataDir;
    });
    after(() => closeDatabase());

    test('2,000 messages, two worker processes: every delivery received exactly once, all sent', async (t) => {
      await database.db.deleteFrom('messages').execute();
      const sink = await startCountingSink(0);
      const workers = await Promise.all(['worker-a', 'worker-b'].map((id) => startWorkerProcess(id, databaseUrl, dataDir)));
      try {
        const appId = await seedApp(database, cryptoBox);
        const accountId = await seedChannelAccount(database, cryptoBox, { appId, type: 'webhook', channel: 'webhook', config: { url: `${sink.origin}/hook` } });
        const { deliveryIds, messageIds } = await seedMessages(database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: Date.now(), count: 2000 });
        const notifications = createDatabaseNotifications({ database, storage: { dialect: 'postgres', url: databaseUrl, poolSize: 2 }, logger: pino({ level: 'silent' }) });
        const wakeup = createDeliveryWakeup(notifications);
        const startedAt = performance.now();
        wakeup.notifyDeliveriesQueued();
        await waitFor(async () => (await countByStatus(database)).sent === 2000, { what: '2,000 sent', timeoutMs: 120_000, intervalMs: 50 });
        const elapsedMs = performance.now() - startedAt;
        await notifications.close();

        assert.equal(sink.counts.size, 2000);
        assert.ok([...sink.counts.values()].every((n) => n === 1), 'no delivery was received twice');
        assert.deepEqual(new Set(sink.counts.keys()), new Set(deliveryIds));
        assert.deepEqual(await countByStatus(database), { sent: 2000 });
        const completed = await database.db.selectFrom('messages').select('id').where('status', '=', 'completed').execute();
        assert.equal(completed.length, messageIds.length);

        const sendingEvents = await database.db.selectFrom('events').select('detail').where('type', '=', 'sending').execute();
        const byWorker = new Map<string, number>();
        for (const event of sendingEvents) byWorker.set(event.detail!, (byWorker.get(event.detail!) ?? 0) + 1);
        assert.equal(sendingEvents.length, 2000, 'each delivery was claimed once');
        assert.ok((byWorker.get('worker worker-a') ?? 0) > 0 && (byWorker.get('worker worker-b') ?? 0) > 0, `both workers sent: ${JSON.stringify([...byWorker])}`);
        t.diagnostic(`2,000 deliveries by two worker processes in ${Math.round(elapsedMs)} ms (${JSON.stringify(Object.fromEntries(byWorker))})`);
      } finally {
        for (const worker of workers) worker.child.kill('SIGTERM');
        assert.deepEqual(await Promise.all(workers.map((worker) => worker.exited)), [0, 0], 'graceful stops');
        await sink.close();
      }
    });

    test('a worker killed with SIGKILL mid-run: its deliveries go out again within seconds though leases last a minute (heartbeats); duplicates only for its sends in flight', async (t) => {
      await database.db.deleteFrom('messages').execute();
      const sink = await startCountingSink(15);
      const env = { ...QUICK_HEARTBEATS, HERALD_WORKER_CONCURRENCY: '16', HERALD_WORKER_BATCH_SIZE: '16' };
      const victim = await startWorkerProcess('victim', databaseUrl, dataDir, env);
      const survivor = await startWorkerProcess('survivor', databaseUrl, dataDir, env);
      try {
        const appId = await seedApp(database, cryptoBox);
        const accountId = await seedChannelAccount(database, cryptoBox, { appId, type: 'webhook', channel: 'webhook', config: { url: `${sink.origin}/hook` } });
        const { deliveryIds } = await seedMessages(database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: Date.now(), count: 1500 });

        await waitFor(() => sink.total() >= 300, { what: '300 requests received', timeoutMs: 60_000, intervalMs: 5 });
        victim.child.kill('SIGKILL');
        assert.equal(await victim.exited, null);
        const killedAtMs = performance.now();
        const leasedByVictim = new Set(
          (await database.db.selectFrom('deliveries').select('id').where('lease_owner', '=', 'victim').where('status', '=', 'sending').execute()).map((row) => row.id),
        );
        assert.ok(leasedByVictim.size > 0, 'the victim died with deliveries in flight');

        // Without heartbeats they would stay 'sending' until their leases ran out, a minute after the claim.
        await waitFor(
          async () => {
            const sent = await database.db.selectFrom('deliveries').select('id').where('id', 'in', [...leasedByVictim]).where('status', '=', 'sent').execute();
            return sent.length === leasedByVictim.size;
          },
          { what: 'the victim’s deliveries sent again', timeoutMs: 20_000, intervalMs: 50 },
        );
        const resentAfterMs = performance.now() - killedAtMs;
        await waitFor(async () => (await countByStatus(database)).sent === 1500, { what: 'all 1,500 sent', timeoutMs: 120_000, intervalMs: 50 });
        assert.deepEqual(await countByStatus(database), { sent: 1500 });
        assert.deepEqual(new Set(sink.counts.keys()), new Set(deliveryIds), 'none lost');
        const duplicated = [...sink.counts].filter(([, n]) => n > 1).map(([id]) => id);
        assert.ok(
          duplicated.every((id) => leasedByVictim.has(id)),
          'only deliveries the killed worker held were received twice',
        );
        assert.ok([...sink.counts.values()].every((n) => n <= 2));
        const expired = await database.db.selectFrom('events').select('delivery_id').where('type', '=', 'lease_expired').execute();
        assert.deepEqual(new Set(expired.map((e) => e.delivery_id)), leasedByVictim);
        t.diagnostic(`killed worker held ${leasedByVictim.size} leases, all sent again ${Math.round(resentAfterMs)} ms after the kill; ${duplicated.length} deliveries were received twice`);
      } finally {
        survivor.child.kill('SIGTERM');
        assert.equal(await survivor.exited, 0);
        await sink.close();
      }
    });
  });
}

for (const dialect of testDialects.filter((d) => d === 'postgres')) describe(`two worker processes sharing one WeChat access token on ${dialect}`, () => {
  test('64 template messages sent by two processes at once cost one token fetch', async (t) => {
    const appId = 'wxoffice0123456789';
    const appSecret = 'office-secret-0123456789abcdef0123';
    const templateId = 'tmpl-order-paid-0123456789';
    const wechat = await startWechatTemplateTestServer({ appId, appSecret, templateIds: [templateId] });
    // The api role only accepts; the two worker processes below do every send, racing for the token.
    const api = await createTestHerald(dialect, { roles: ['api'], env: { HERALD_MASTER_KEY: TEST_MASTER_KEY_HEX } });
    const env = { HERALD_WORKER_BATCH_SIZE: '4', HERALD_WORKER_CONCURRENCY: '8', HERALD_POLL_INTERVAL_MS: '20' };
    const databaseUrl = (api.config.storage as { url: string }).url;
    const workers = await Promise.all(['token-a', 'token-b'].map((id) => startWorkerProcess(id, databaseUrl, api.config.dataDir, env)));
    try {
      const app = await createAppWithKey(api, 'wechat-token');
      const call = (method: string, url: string, body?: unknown) => signedInject(api, app, { method, url, body });
      const account = await call('POST', '/v1/channel-accounts', { type: 'wechat-template', name: 'office', config: { appId, appSecret, baseUrl: wechat.baseUrl } });
      assert.equal(account.statusCode, 201, account.body);
      const template = await call('POST', '/v1/templates', {
        code: 'order.paid',
        variables: [{ name: 'order', type: 'object', required: true, example: { id: 'A-1' } }],
        content: { body: 'Order {{ order.id }} paid', channels: { wechat: { templateId, data: { keyword1: '{{ order.id }}', keyword2: '已支付' } } } },
        publish: true,
      });
      assert.equal(template.statusCode, 201, template.body);
      const receivers = Array.from({ length: 64 }, (_, index) => ({ wechatOpenId: `oFollower${String(index).padStart(20, '0')}` }));
      const accepted = await call('POST', '/v1/messages', { to: receivers, channels: ['wechat'], template: 'order.paid', data: { order: { id: 'A-7' } } });
      assert.equal(accepted.statusCode, 202, accepted.body);
      const messageId = accepted.json().id as string;
      await waitFor(async () => (await call('GET', `/v1/messages/${messageId}`)).json().status === 'completed', { what: '64 template messages sent', timeoutMs: 60_000, intervalMs: 50 });

      assert.equal(wechat.received.length, 64);
      assert.equal(wechat.tokenRequestCount, 1, 'one stable_token call for both processes');
      const sendingEvents = await api.context.database.db.selectFrom('events').select('detail').where('message_id', '=', messageId).where('type', '=', 'sending').execute();
      const byWorker = new Map<string, number>();
      for (const event of sendingEvents) byWorker.set(event.detail!, (byWorker.get(event.detail!) ?? 0) + 1);
      assert.ok((byWorker.get('worker token-a') ?? 0) > 0 && (byWorker.get('worker token-b') ?? 0) > 0, `both processes sent: ${JSON.stringify([...byWorker])}`);
      t.diagnostic(`sends per process: ${JSON.stringify(Object.fromEntries(byWorker))}; token fetches: ${wechat.tokenRequestCount}`);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => worker.exited));
      await api.close();
      await wechat.close();
    }
  });
});

describe('a worker process on sqlite killed and started again (as `npm start` after a crash)', () => {
  test('the deliveries the killed process held go out within seconds of the restart, not when their leases run out', async (t) => {
    const { database, testStorage, close } = await createMigratedDatabase('sqlite');
    const cryptoBox = testCryptoBox();
    const sink = await startCountingSink(15);
    const env = { ...QUICK_HEARTBEATS, HERALD_WORKER_CONCURRENCY: '16', HERALD_WORKER_BATCH_SIZE: '16' };
    let restarted: WorkerProcess | undefined;
    try {
      // A restarted process gets a new worker id (the default is host:pid:random).
      const crashed = await startWorkerProcess('before-crash', undefined, testStorage.dataDir, env);
      const appId = await seedApp(database, cryptoBox);
      const accountId = await seedChannelAccount(database, cryptoBox, { appId, type: 'webhook', channel: 'webhook', config: { url: `${sink.origin}/hook` } });
      const { deliveryIds } = await seedMessages(database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: Date.now(), count: 600 });
      await waitFor(() => sink.total() >= 100, { what: '100 requests received', timeoutMs: 60_000, intervalMs: 5 });
      crashed.child.kill('SIGKILL');
      assert.equal(await crashed.exited, null);
      const held = (await database.db.selectFrom('deliveries').select('id').where('lease_owner', '=', 'before-crash').where('status', '=', 'sending').execute()).map((row) => row.id);
      assert.ok(held.length > 0, 'the process died with deliveries in flight');

      restarted = await startWorkerProcess('after-restart', undefined, testStorage.dataDir, env);
      const restartedAtMs = performance.now();
      await waitFor(
        async () => (await database.db.selectFrom('deliveries').select('id').where('id', 'in', held).where('status', '=', 'sent').execute()).length === held.length,
        { what: 'the deliveries the crashed process held sent again', timeoutMs: 20_000, intervalMs: 50 },
      );
      const resentAfterMs = performance.now() - restartedAtMs;
      await waitFor(async () => (await countByStatus(database)).sent === 600, { what: 'all 600 sent', timeoutMs: 60_000, intervalMs: 50 });
      assert.deepEqual(new Set(sink.counts.keys()), new Set(deliveryIds), 'none lost');
      t.diagnostic(`the crashed process held ${held.length} leases; all sent again ${Math.round(resentAfterMs)} ms after the new process started`);
    } finally {
      restarted?.child.kill('SIGTERM');
      if (restarted) assert.equal(await restarted.exited, 0);
      await sink.close();
      await close();
    }
  });
});

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { signIngestRequest, INGEST_HEADERS } from '../../src/security/ingest-signature.ts';
import { testDialects } from './test-databases.ts';
import { inheritedEnvironment } from './test-environment.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from './test-herald.ts';
import { waitFor } from './wait-for.ts';

/**
 * The broker ingestion proofs, run alike against each real local broker: a test file gives a
 * BrokerProbe (how to publish to, and read back from, its broker) and calls brokerIngestSuite.
 * Herald consumes in real `herald start --role ingest` child processes, so one can be SIGKILLed.
 */

/** One request as a test publishes it. */
export interface PublishedRequest {
  app: AppCredentials;
  payload: Buffer;
  headers: Record<string, string>;
  replyTo?: string;
}

export interface DeadLetter {
  headers: Record<string, string>;
  payload: string;
}

/** A test's view of one broker under unique names (`runId`). */
export interface BrokerProbe {
  /** The environment that points a Herald process at this broker and these names. */
  env: Record<string, string>;
  /** A reply address unique to this probe. */
  replyAddress: string;
  publish(request: PublishedRequest): Promise<void>;
  deadLetters: DeadLetter[];
  replies: string[];
  /** Requests the broker still holds for Herald (not yet acked); undefined when the broker cannot say. */
  pending(): Promise<number | undefined>;
  close(): Promise<void>;
}

export interface BrokerUnderTest {
  name: string;
  /** Connects a probe with names made from `runId`, subscribed to dead letters and replies before anything is published. */
  probe(runId: string): Promise<BrokerProbe>;
}

const heraldMain = path.resolve(import.meta.dirname, '../../src/main.ts');
const spawned = new Set<ChildProcess>();
process.on('exit', () => spawned.forEach((child) => child.kill('SIGKILL')));

/** A `herald start --role ingest` process on the test Herald's database; answers once it consumes. */
async function startIngestProcess(herald: TestHerald, env: Record<string, string>): Promise<ChildProcess> {
  const storage = herald.config.storage;
  const child = spawn(process.execPath, [heraldMain, 'start', '--role', 'ingest'], {
    env: {
      ...inheritedEnvironment(),
      DATA_DIR: herald.config.dataDir,
      ...(storage.dialect === 'postgres' ? { DATABASE_URL: storage.url } : {}),
      LOG_LEVEL: 'info',
      HERALD_INGEST_RETRY_DELAY_MS: '200',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned.add(child);
  void once(child, 'exit').then(() => spawned.delete(child));
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  await waitFor(() => output.includes('Herald started') || child.exitCode !== null, { what: 'the ingest process to start', timeoutMs: 90_000 });
  assert.equal(child.exitCode, null, `the ingest process exited during start:\n${output}`);
  return child;
}

async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  // A graceful stop that hangs is a failure of its own; the process must not outlive the test either way.
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** A send request signed as the app signs it, with an idempotency key and optionally a reply address. */
export function signedRequest(app: AppCredentials, body: unknown, options: { idempotencyKey?: string; replyTo?: string; payload?: Buffer; secret?: string } = {}): PublishedRequest {
  const payload = options.payload ?? Buffer.from(JSON.stringify(body));
  const signature = signIngestRequest(options.secret ?? app.secretAccessKey, { accessKeyId: app.accessKeyId, idempotencyKey: options.idempotencyKey, replyTo: options.replyTo, payload });
  return {
    app,
    payload,
    replyTo: options.replyTo,
    headers: {
      [INGEST_HEADERS.accessKey]: app.accessKeyId,
      [INGEST_HEADERS.signature]: signature,
      ...(options.idempotencyKey ? { [INGEST_HEADERS.idempotencyKey]: options.idempotencyKey } : {}),
    },
  };
}

const sendBody = (text: string) => ({ to: [{ channelAccount: 'hooks' }], content: { body: text } });

export function brokerIngestSuite(broker: BrokerUnderTest): void {
  for (const dialect of testDialects) {
    describe(`${broker.name} ingestion on ${dialect}`, () => {
      let herald: TestHerald;
      let app: AppCredentials;

      /** Messages of this app whose idempotency key starts with `prefix`: total and distinct keys. */
      const messagesOf = async (prefix: string) => {
        const rows = await herald.context.database.db.selectFrom('messages').select('idempotency_key').where('app_id', '=', app.appId).where('idempotency_key', 'like', `${prefix}%`).execute();
        return { total: rows.length, distinct: new Set(rows.map((row) => row.idempotency_key)).size };
      };

      /** Publishes in chunks, letting Herald catch up between them (MQTT brokers queue a bounded number per session). */
      const publishAll = async (probe: BrokerProbe, requests: PublishedRequest[], settled: () => Promise<number>) => {
        for (let start = 0; start < requests.length; start += 250) {
          await waitFor(async () => start - (await settled()) < 500, { what: 'Herald to catch up', timeoutMs: 60_000, intervalMs: 50 });
          for (const request of requests.slice(start, start + 250)) await probe.publish(request);
        }
      };

      before(async () => {
        herald = await createTestHerald(dialect);
        app = await createAppWithKey(herald, 'shop');
        const account = await signedInject(herald, app, { method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook', secret: 's' } } });
        assert.equal(account.statusCode, 201, account.body);
      });
      after(() => herald.close());

      test('1,000 requests → 1,000 messages; malformed, invalid and wrongly signed requests dead-lettered with their problems; a reply names the message', async () => {
        const runId = randomBytes(5).toString('hex');
        const probe = await broker.probe(runId);
        const child = await startIngestProcess(herald, probe.env);
        try {
          const startedAt = performance.now();
          const requests = Array.from({ length: 1000 }, (_, i) => signedRequest(app, sendBody(`hello ${i}`), { idempotencyKey: `${runId}-${i}` }));
          await publishAll(probe, requests, async () => (await messagesOf(runId)).total);
          await probe.publish(signedRequest(app, undefined, { payload: Buffer.from('{"to": [{"channelAccount": "hooks"}], "content":'), idempotencyKey: `${runId}-bad-json` }));
          await probe.publish(signedRequest(app, { to: [{ channelAccount: 'hooks' }], content: { body: 5 } }, { idempotencyKey: `${runId}-bad-schema` }));
          await probe.publish(signedRequest(app, sendBody('forged'), { idempotencyKey: `${runId}-forged`, secret: 'not-the-secret-of-this-key' }));
          await probe.publish(signedRequest(app, sendBody('answer me'), { idempotencyKey: `${runId}-reply`, replyTo: probe.replyAddress }));

          await waitFor(async () => (await messagesOf(runId)).total === 1001 && probe.deadLetters.length === 3 && probe.replies.length === 1, {
            what: '1,001 messages, 3 dead letters and a reply',
            timeoutMs: 60_000,
            intervalMs: 50,
          }).catch(async (error: Error) => {
            throw new Error(`${error.message}: ${(await messagesOf(runId)).total} messages, dead letters ${JSON.stringify(probe.deadLetters.map((letter) => letter.headers['herald-problem-code']))}, ${probe.replies.length} replies`);
          });
          const elapsedMs = performance.now() - startedAt;
          assert.deepEqual(await messagesOf(runId), { total: 1001, distinct: 1001 });
          const codes = probe.deadLetters.map((letter) => letter.headers['herald-problem-code']).sort();
          assert.deepEqual(codes, ['INVALID_JSON', 'SIGNATURE_MISMATCH', 'VALIDATION_FAILED']);
          const invalid = probe.deadLetters.find((letter) => letter.headers['herald-problem-code'] === 'VALIDATION_FAILED')!;
          const problem = JSON.parse(invalid.headers['herald-problem']!);
          assert.equal(problem.status, 400);
          assert.equal(problem.field, 'body.content.body', 'the problem names the field, as the HTTP answer does');
          assert.match(invalid.payload, /"body":5/, 'the dead letter keeps the request');
          assert.equal(probe.deadLetters.find((letter) => letter.headers['herald-problem-code'] === 'SIGNATURE_MISMATCH')!.headers['herald-problem-status'], '401');
          const reply = JSON.parse(probe.replies[0]!);
          assert.equal(reply.outcome, 'accepted');
          const stored = await herald.context.database.db.selectFrom('messages').select('idempotency_key').where('id', '=', reply.message.id).executeTakeFirst();
          assert.equal(stored?.idempotency_key, `${runId}-reply`);
          assert.ok([0, undefined].includes(await probe.pending()), 'nothing is left unacked');
          console.log(`${broker.name} on ${dialect}: 1,000 requests → 1,000 messages in ${Math.round(elapsedMs)} ms`);
        } finally {
          await stopProcess(child, 'SIGTERM');
          await probe.close();
        }
      });

      test('Herald SIGKILLed mid-stream: after a restart every request is one message (none lost, none twice)', async () => {
        const runId = randomBytes(5).toString('hex');
        const probe = await broker.probe(runId);
        let child = await startIngestProcess(herald, probe.env);
        try {
          const requests = Array.from({ length: 1000 }, (_, i) => signedRequest(app, sendBody(`crash ${i}`), { idempotencyKey: `${runId}-${i}` }));
          const publishing = publishAll(probe, requests, async () => (await messagesOf(runId)).total);
          await waitFor(async () => (await messagesOf(runId)).total >= 250, { what: '250 messages before the kill', timeoutMs: 60_000, intervalMs: 10 });
          await stopProcess(child, 'SIGKILL');
          const atKill = (await messagesOf(runId)).total;
          assert.ok(atKill < 1000, `the kill came mid-stream (${atKill} committed)`);
          child = await startIngestProcess(herald, probe.env);
          await publishing;
          await waitFor(async () => (await messagesOf(runId)).total >= 1000, { what: '1,000 messages after the restart', timeoutMs: 60_000, intervalMs: 50 });
          await waitFor(async () => (await probe.pending()) === 0 || (await probe.pending()) === undefined, { what: 'the broker to hold nothing for Herald', timeoutMs: 30_000 });
          assert.deepEqual(await messagesOf(runId), { total: 1000, distinct: 1000 });
          assert.equal(probe.deadLetters.length, 0);
          console.log(`${broker.name} on ${dialect}: killed with ${atKill} of 1,000 committed; after the restart 1,000 messages, no duplicates`);
        } finally {
          await stopProcess(child, 'SIGTERM');
          await probe.close();
        }
      });

      // SQLite can be made to refuse writes from inside the process (a full disk); PostgreSQL's outage drill is test/outage/.
      if (dialect === 'sqlite') {
        test('a database outage: the request stays unacked and undropped, delivered again until the database takes it', async () => {
          const runId = randomBytes(5).toString('hex');
          const probe = await broker.probe(runId);
          const ingesting = await createTestHerald('sqlite', { roles: ['ingest'], env: { ...probe.env, HERALD_INGEST_RETRY_DELAY_MS: '100' } });
          try {
            const owner = await createAppWithKey(ingesting, 'shop');
            await ingesting.services.channelAccounts.create(owner.appId, { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook' } });
            await ingesting.start();
            const db = ingesting.context.database.db;
            // The database may not grow past its current pages: what a full disk does to SQLite.
            await sql`pragma max_page_count = 1`.execute(db);
            await probe.publish(signedRequest(owner, sendBody('x'.repeat(30_000)), { idempotencyKey: `${runId}-outage` }));
            const refusals = () => ingesting.logs.text.split('broker request not taken now').length - 1;
            await waitFor(() => refusals() >= 3, { what: 'the request to be tried again during the outage' });
            const stored = async () => (await db.selectFrom('messages').select('id').where('idempotency_key', '=', `${runId}-outage`).execute()).length;
            assert.equal(await stored(), 0);
            assert.equal(probe.deadLetters.length, 0, 'an outage is not the request\'s fault: no dead letter');
            await sql`pragma max_page_count = 1073741823`.execute(db);
            await waitFor(async () => (await stored()) === 1, { what: 'the request committed once the database takes writes' });
            await waitFor(async () => [0, undefined].includes(await probe.pending()), { what: 'the request acked' });
            assert.equal(probe.deadLetters.length, 0);
          } finally {
            await ingesting.close();
            await probe.close();
          }
        });
      }
    });
  }
}

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Pool } from 'undici';
import { SINK_ACCOUNT_NAME } from '../../bench/bench-content.ts';
import { createBenchHerald, type BenchHerald } from '../../bench/bench-herald.ts';
import { startHttpSink, type HttpSink } from '../../bench/http-sink.ts';
import { signedHeaders, type BenchCredentials } from '../../bench/signed-requests.ts';
import { STORAGE_RETRY_AFTER_SECONDS } from '../../src/storage/storage-unavailable.ts';
import { testDialects } from '../support/test-databases.ts';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/throwaway-postgres.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The outage drill (docs/outage-drill.md), automated: real Herald processes on a PostgreSQL
 * cluster of their own, about 100 signed sends per second, the server stopped for about ten
 * seconds and started again. Runs where the PostgreSQL tests run.
 */

const RATE_PER_SECOND = 100;
/** Requests sent before the stop, during the outage, and after the restart (at the rate above: seconds × 100). */
const SENT_BEFORE_STOP = 300;
const SENT_WHILE_DOWN = 1000;
const SENT_AFTER_RESTART = 700;
const ACCEPTED_AGAIN_WITHIN_MS = 5000;

interface Answer {
  sentAtMs: number;
  answeredAtMs: number;
  status: number;
  retryAfter: string | undefined;
  code: string | undefined;
  messageId: string | undefined;
  error: string | undefined;
}

/** Open loop: request n goes out at n / rate seconds whatever the answers do, so an outage cannot slow the load down. */
function startLoad(origin: string, credentials: BenchCredentials, total: number) {
  const pool = new Pool(origin, { connections: 64, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const host = new URL(origin).host;
  const answers: Answer[] = [];
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const sendOne = async (n: number) => {
    const body = JSON.stringify({ to: [{ channelAccount: SINK_ACCOUNT_NAME }], content: { title: 'Drill', body: `Send ${n}` }, metadata: { n: String(n) } });
    const sentAtMs = performance.now();
    try {
      const response = await pool.request({ method: 'POST', path: '/v1/messages', headers: signedHeaders(credentials, { method: 'POST', path: '/v1/messages', host, body }), body });
      const answer = (await response.body.json()) as { id?: string; code?: string };
      const retryAfter = response.headers['retry-after'];
      answers.push({ sentAtMs, answeredAtMs: performance.now(), status: response.statusCode, retryAfter: retryAfter === undefined ? undefined : String(retryAfter), code: answer.code, messageId: answer.id, error: undefined });
    } catch (error) {
      answers.push({ sentAtMs, answeredAtMs: performance.now(), status: 0, retryAfter: undefined, code: undefined, messageId: undefined, error: String(error) });
    }
  };
  const startedAtMs = performance.now();
  const done = (async () => {
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - startedAtMs) * RATE_PER_SECOND) / 1000) + 1);
      for (; sent < due; sent++) {
        const request = sendOne(sent).finally(() => inFlight.delete(request));
        inFlight.add(request);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(inFlight);
    await pool.close();
  })();
  return { answers, done, sent: () => sent };
}

const percentile = (values: number[], p: number) => (values.length === 0 ? NaN : [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!);

for (const dialect of testDialects.filter((d) => d === 'postgres')) {
  describe(`PostgreSQL outages (${dialect}, a throwaway cluster)`, () => {
    let server: ThrowawayPostgres;
    before(async () => {
      server = await startThrowawayPostgres();
    });
    after(() => server.destroy());

    /** Resolves once `count` worker processes heartbeat (they have started). */
    const workersRegistered = (herald: BenchHerald, count: number) =>
      waitFor(async () => Number((await herald.database.db.selectFrom('workers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n) === count, {
        what: `${count} worker processes started`,
        timeoutMs: 60_000,
        intervalMs: 50,
      });

    // fast: the server ends every session (57P01) and shuts down; immediate: it crashes, connections just drop.
    for (const stopMode of ['fast', 'immediate'] as const) {
      test(`stopped (${stopMode}) for about 10 s under 100 sends/s: no process exits, 503 with Retry-After while down, sends made 5 s after the restart accepted, nothing accepted is lost`, { timeout: 180_000 }, async (t) => {
        let sink: HttpSink | undefined;
        let herald: BenchHerald | undefined;
        try {
          sink = await startHttpSink();
          herald = await createBenchHerald({ dialect: 'postgres', postgresAdminUrl: server.url, env: { HERALD_POLL_INTERVAL_MS: '200' } });
          // Every role in one process, as `npm start` runs Herald, and one more worker process.
          const all = await herald.start();
          const worker = await herald.start(['worker']);
          await herald.createSinkAccount(all, sink.url);
          await workersRegistered(herald, 2);
          let exited: Error | undefined;
          for (const child of [all, worker]) child.unexpectedExit.catch((error: Error) => (exited ??= error));

          const load = startLoad(all.origin!, herald.credentials, SENT_BEFORE_STOP + SENT_WHILE_DOWN + SENT_AFTER_RESTART);
          await waitFor(() => load.sent() >= SENT_BEFORE_STOP, { what: 'load before the stop', timeoutMs: 30_000, intervalMs: 10 });
          const stoppingAtMs = performance.now();
          await server.stop(stopMode);
          const stoppedAtMs = performance.now();
          await waitFor(() => load.sent() >= SENT_BEFORE_STOP + SENT_WHILE_DOWN, { what: 'load while the database is down', timeoutMs: 30_000, intervalMs: 10 });
          const startingAtMs = performance.now();
          await server.start();
          const backAtMs = performance.now();
          await load.done;
          const loadEndedAtMs = performance.now();

          const { answers } = load;
          const statuses = new Map<number, number>();
          for (const answer of answers) statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const refused = answers.filter((answer) => answer.status !== 202);
          assert.deepEqual(
            refused.filter((answer) => answer.status !== 503 || answer.code !== 'STORAGE_UNAVAILABLE' || answer.retryAfter !== String(STORAGE_RETRY_AFTER_SECONDS)).slice(0, 5),
            [],
            'every send is accepted or answered 503 STORAGE_UNAVAILABLE with Retry-After',
          );
          // Times are taken in this process, which a busy machine delays: only what cannot be skewed is asserted on them.
          assert.ok(refused.length > 0, 'the outage was answered with 503s');
          // Recovery is judged by when a send was made, not by when it was answered: on a busy machine answers queue up.
          const sentAfterBack = answers.filter((answer) => answer.sentAtMs >= backAtMs);
          const refusedAfterBackMs = sentAfterBack.filter((answer) => answer.status !== 202).map((answer) => answer.sentAtMs - backAtMs);
          assert.ok(refusedAfterBackMs.every((ms) => ms < ACCEPTED_AGAIN_WITHIN_MS), `sends refused after the restart, ms after it: ${refusedAfterBackMs.map(Math.round).join(', ')}`);
          const firstAcceptedMs = Math.min(...sentAfterBack.filter((answer) => answer.status === 202).map((answer) => answer.answeredAtMs - backAtMs));
          assert.equal(exited, undefined, 'no Herald process exited');

          // Nothing acknowledged is lost: every 202 is in the database, and every one of its deliveries reaches the sink.
          const acceptedIds = answers.filter((answer) => answer.status === 202).map((answer) => answer.messageId!);
          const { database } = herald;
          const stored = await database.db.selectFrom('messages').select('id').where('id', 'in', acceptedIds).execute();
          assert.equal(stored.length, acceptedIds.length, 'every accepted message is stored');
          await waitFor(
            async () => {
              const pending = await database.db.selectFrom('deliveries').select('id').where('message_id', 'in', acceptedIds).where('status', '!=', 'sent').limit(1).execute();
              return pending.length === 0;
            },
            { what: 'every accepted message delivered', timeoutMs: 60_000, intervalMs: 100 },
          );
          const deliveredAfterBackMs = performance.now() - backAtMs;
          const allDeliveries = Number((await database.db.selectFrom('deliveries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
          const received = await sink.waitForDeliveries(allDeliveries, 30_000);
          assert.equal(exited, undefined, 'no Herald process exited');

          const refusedLatency = refused.map((answer) => answer.answeredAtMs - answer.sentAtMs);
          const acceptedLatency = answers.filter((answer) => answer.status === 202).map((answer) => answer.answeredAtMs - answer.sentAtMs);
          t.diagnostic(
            [
              `${answers.length} sends at ${RATE_PER_SECOND}/s; answers ${JSON.stringify(Object.fromEntries(statuses))}`,
              `database stop took ${Math.round(stoppedAtMs - stoppingAtMs)} ms, down ${((startingAtMs - stoppedAtMs) / 1000).toFixed(1)} s, start took ${Math.round(backAtMs - startingAtMs)} ms`,
              `503 answered in p50 ${percentile(refusedLatency, 50).toFixed(1)} ms, max ${Math.max(...refusedLatency).toFixed(1)} ms`,
              `first send accepted ${Math.round(firstAcceptedMs)} ms after the database was back; the last refused send was sent ${refusedAfterBackMs.length ? Math.round(Math.max(...refusedAfterBackMs)) : '-'} ms after it`,
              `accept latency p50 ${percentile(acceptedLatency, 50).toFixed(1)} ms, p99 ${percentile(acceptedLatency, 99).toFixed(1)} ms`,
              `${acceptedIds.length} accepted, all stored and delivered (the last ${Math.round(deliveredAfterBackMs)} ms after the database was back, the load ending ${Math.round(loadEndedAtMs - backAtMs)} ms after it); ${allDeliveries} deliveries in the database (sends answered 503 whose commit went through count too), sink saw ${received.uniqueDeliveries} distinct, ${received.duplicates} duplicates`,
            ].join('\n'),
          );
        } finally {
          await herald?.close();
          await sink?.stop();
          // A failed test may leave the server stopped; the next one needs it.
          await server.start().catch(() => undefined);
        }
      });
    }

    test('a process started while the database is down waits for it, then runs', { timeout: 120_000 }, async () => {
      const herald = await createBenchHerald({ dialect: 'postgres', postgresAdminUrl: server.url });
      try {
        await server.stop('fast');
        const worker = await herald.start(['worker']);
        let exited: Error | undefined;
        worker.unexpectedExit.catch((error: Error) => (exited = error));
        await waitFor(() => worker.output().includes('the database is unavailable; waiting for it') || exited, { what: 'the process to wait for the database', timeoutMs: 60_000 });
        assert.equal(exited, undefined);
        await server.start();
        await workersRegistered(herald, 1);
        assert.equal(exited, undefined);
      } finally {
        await server.start().catch(() => undefined);
        await herald.close();
      }
    });
  });
}

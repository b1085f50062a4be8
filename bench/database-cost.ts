/**
 * What one message costs PostgreSQL, and what time partitioning would save: the measurements
 * behind docs/scaling.md. Runs on a throwaway PostgreSQL cluster of its own (the server binaries
 * under /usr/lib/postgresql), so no other work on the machine adds to its WAL.
 *
 *   node bench/database-cost.ts [--messages 2000] [--rows-per-day 20000] [--out bench/database-cost.json]
 *
 * 1. Pipeline cost: N messages (one webhook delivery each) accepted through the signed API, then
 *    sent by a worker to a loopback sink. For each phase: WAL bytes, records and full-page images
 *    (the WAL position, and pg_stat_wal once every backend has published its counters; each phase
 *    starts after a CHECKPOINT, so the first touch of each page writes a full-page image as it does
 *    after every checkpoint in production), and rows inserted / updated (HOT or not) / deleted per table.
 * 2. Partitioning prototype: the events table as it is and range-partitioned by day, 30 days of
 *    rows each; retention of the oldest day as Herald does it today (batched DELETE) against
 *    DETACH + DROP of a partition, and the cost of inserting into each.
 */
import fs from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startThrowawayPostgres } from '../test/support/throwaway-postgres.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '2000' },
    'rows-per-day': { type: 'string', default: '20000' },
    out: { type: 'string', default: 'bench/database-cost.json' },
  },
});
const MESSAGES = Number(values.messages);
const ROWS_PER_DAY = Number(values['rows-per-day']);
const DAYS = 30;
const RETENTION_BATCH = 500;

interface WalSample {
  bytes: number;
  records: number;
  fullPageImages: number;
}

type TableCounts = Record<string, { inserted: number; updated: number; hotUpdated: number; deleted: number }>;

/** WAL position (exact at once) and pg_stat_wal's record and full-page-image counts (as published so far). */
async function walNow(client: pg.Client): Promise<WalSample> {
  const row = (await client.query('select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), \'0/0\')::bigint as bytes, wal_records as records, wal_fpi as fpi from pg_stat_wal')).rows[0];
  return { bytes: Number(row.bytes), records: Number(row.records), fullPageImages: Number(row.fpi) };
}

async function tableCounts(client: pg.Client): Promise<TableCounts> {
  // Statistics reach pg_stat_user_tables when a backend reports them (at most once a second); ask for a fresh view.
  await client.query('select pg_stat_clear_snapshot()');
  // The workers table takes a heartbeat every few seconds whatever the load: it would never hold still.
  const rows = (await client.query(`select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del from pg_stat_user_tables where relname <> 'workers'`)).rows;
  return Object.fromEntries(rows.map((row) => [row.relname, { inserted: Number(row.n_tup_ins), updated: Number(row.n_tup_upd), hotUpdated: Number(row.n_tup_hot_upd), deleted: Number(row.n_tup_del) }]));
}

function countsBetween(before: TableCounts, after: TableCounts, per: number): TableCounts {
  const changes: TableCounts = {};
  for (const [table, now] of Object.entries(after)) {
    const was = before[table] ?? { inserted: 0, updated: 0, hotUpdated: 0, deleted: 0 };
    const delta = { inserted: now.inserted - was.inserted, updated: now.updated - was.updated, hotUpdated: now.hotUpdated - was.hotUpdated, deleted: now.deleted - was.deleted };
    if (delta.inserted + delta.updated + delta.deleted === 0) continue;
    changes[table] = { inserted: delta.inserted / per, updated: delta.updated / per, hotUpdated: delta.hotUpdated / per, deleted: delta.deleted / per };
  }
  return changes;
}

const walBetween = (before: WalSample, after: WalSample, per: number) => ({
  bytes: Math.round((after.bytes - before.bytes) / per),
  records: Math.round(((after.records - before.records) / per) * 10) / 10,
  fullPageImages: Math.round(((after.fullPageImages - before.fullPageImages) / per) * 100) / 100,
});

/**
 * Table and WAL statistics once every backend has published its counters: a busy backend
 * publishes at most once a second, an idle one within 10 s, so the view must hold still for longer.
 */
const STATS_QUIET_MS = 11_000;
async function settled(client: pg.Client): Promise<{ counts: TableCounts; wal: WalSample }> {
  const read = async () => ({ counts: await tableCounts(client), wal: await walNow(client) });
  let last = await read();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, STATS_QUIET_MS));
    const now = await read();
    if (JSON.stringify(now.counts) === JSON.stringify(last.counts)) return now;
    last = now;
  }
}

async function pipelineCost(adminUrl: string) {
  process.env.HERALD_TEST_POSTGRES_URL = adminUrl;
  const { createTestHerald, createAppWithKey, signedInject } = await import('../test/support/test-herald.ts');
  const { waitFor } = await import('../test/support/wait-for.ts');
  let received = 0;
  const sink = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received++;
      response.end('ok');
    });
  });
  sink.listen(0, '127.0.0.1');
  await once(sink, 'listening');
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;

  const herald = await createTestHerald('postgres', { roles: ['api', 'worker'], env: { LOG_LEVEL: 'warn', HERALD_POLL_INTERVAL_MS: '50' } });
  const client = new pg.Client({ connectionString: herald.config.storage.dialect === 'postgres' ? herald.config.storage.url : '' });
  await client.connect();
  try {
    const app = await createAppWithKey(herald, 'cost');
    const created = await signedInject(herald, app, { method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name: 'hooks', config: { url: sinkUrl } } });
    if (created.statusCode !== 201) throw new Error(created.body);
    const accept = async (count: number) => {
      for (let sent = 0; sent < count; sent += 20) {
        const answers = await Promise.all(
          Array.from({ length: Math.min(20, count - sent) }, (_, index) =>
            signedInject(herald, app, { method: 'POST', url: '/v1/messages', body: { to: [{ channelAccount: 'hooks' }], content: { title: 'Order paid', body: `Order ${sent + index} was paid: 42.00 CNY` } } }),
          ),
        );
        const refused = answers.find((answer) => answer.statusCode !== 202);
        if (refused) throw new Error(refused.body);
      }
    };
    // Accepting first with no worker running, then sending, separates the two phases' writes.
    await client.query('checkpoint');
    const beforeAccept = await settled(client);
    await accept(MESSAGES);
    const accepted = await settled(client);
    await client.query('checkpoint');
    const beforeSend = await settled(client);
    await herald.start();
    await waitFor(async () => received >= MESSAGES && Number((await client.query(`select count(*) as n from deliveries where status = 'sent'`)).rows[0].n) === MESSAGES, {
      timeoutMs: 600_000,
      what: 'every delivery sent',
    });
    const sent = await settled(client);
    const sizes = (await client.query(`select relname, pg_total_relation_size(relid) as bytes from pg_stat_user_tables where relname in ('messages', 'deliveries', 'events') order by relname`)).rows;
    return {
      messages: MESSAGES,
      accept: { wal: walBetween(beforeAccept.wal, accepted.wal, MESSAGES), rowsPerMessage: countsBetween(beforeAccept.counts, accepted.counts, MESSAGES) },
      send: { wal: walBetween(beforeSend.wal, sent.wal, MESSAGES), rowsPerDelivery: countsBetween(beforeSend.counts, sent.counts, MESSAGES) },
      bytesPerMessageOnDisk: Object.fromEntries(sizes.map((row) => [row.relname, Math.round(Number(row.bytes) / MESSAGES)])),
    };
  } finally {
    await client.end();
    await herald.close();
    sink.close();
  }
}

async function partitioningPrototype(adminUrl: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('create database partition_prototype');
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = '/partition_prototype';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  const DAY_MS = 86_400_000;
  const startMs = Date.UTC(2026, 10, 1);
  const columns = `id text not null, message_id text not null, delivery_id text, app_id text not null, type text not null, at bigint not null, attempt integer, code text, detail text`;
  try {
    await client.query(`create table events_plain (${columns}, primary key (id))`);
    await client.query('create index events_plain_message on events_plain (message_id, id)');
    // A partitioned table's unique keys must include the partition key.
    await client.query(`create table events_by_day (${columns}, primary key (at, id)) partition by range (at)`);
    await client.query('create index events_by_day_message on events_by_day (message_id, id)');
    for (let day = 0; day <= DAYS; day++) {
      await client.query(`create table events_day_${day} partition of events_by_day for values from (${startMs + day * DAY_MS}) to (${startMs + (day + 1) * DAY_MS})`);
    }
    // Ids sort by time as Herald's do (time prefix, then random), so both tables see the same index order.
    const fill = (table: string, fromDay: number, toDay: number) =>
      client.query(
        `insert into ${table} (id, message_id, delivery_id, app_id, type, at, attempt, code, detail)
         select 'evt_' || lpad(to_hex(t), 12, '0') || md5(n::text), 'msg_' || md5((n / 3)::text), 'dlv_' || md5((n / 3)::text), 'app_1',
                (array['accepted', 'queued', 'sent'])[n % 3 + 1], t, 1, null, null
         from (select n, ${startMs} + (n::bigint * ${DAY_MS}) / ${ROWS_PER_DAY} as t from generate_series(${fromDay * ROWS_PER_DAY}, ${toDay * ROWS_PER_DAY - 1}) as n) as rows`,
      );
    const timed = async (work: () => Promise<unknown>) => {
      await client.query('checkpoint');
      const wal = await walNow(client);
      const started = performance.now();
      await work();
      const ms = Math.round(performance.now() - started);
      return { ms, walBytes: (await walNow(client)).bytes - wal.bytes };
    };
    const insertPlain = await timed(() => fill('events_plain', 0, DAYS));
    const insertPartitioned = await timed(() => fill('events_by_day', 0, DAYS));
    await client.query('vacuum analyze events_plain');
    await client.query('vacuum analyze events_by_day');
    const cutoff = startMs + DAY_MS;
    const deleteOldestDay = await timed(async () => {
      for (;;) {
        const deleted = await client.query(`delete from events_plain where id in (select id from events_plain where at < ${cutoff} limit ${RETENTION_BATCH})`);
        if ((deleted.rowCount ?? 0) < RETENTION_BATCH) return;
      }
    });
    const dropOldestDay = await timed(async () => {
      await client.query('alter table events_by_day detach partition events_day_0');
      await client.query('drop table events_day_0');
    });
    const rows = DAYS * ROWS_PER_DAY;
    return {
      rows,
      rowsPerDay: ROWS_PER_DAY,
      insert: { plain: insertPlain, partitioned: insertPartitioned },
      retentionOfOneDay: { batchedDelete: { ...deleteOldestDay, batchSize: RETENTION_BATCH }, detachAndDrop: dropOldestDay },
      afterRetention: {
        plainBytes: Number((await client.query(`select pg_total_relation_size('events_plain') as b`)).rows[0].b),
        partitionedBytes: Number((await client.query(`select sum(pg_total_relation_size(inhrelid)) as b from pg_inherits where inhparent = 'events_by_day'::regclass`)).rows[0].b),
      },
    };
  } finally {
    await client.end();
  }
}

const postgres = await startThrowawayPostgres();
try {
  const server = new pg.Client({ connectionString: postgres.url });
  await server.connect();
  const version = (await server.query('show server_version')).rows[0].server_version as string;
  await server.end();
  console.error(`[database-cost] throwaway PostgreSQL ${version}; ${MESSAGES} messages, then ${DAYS} × ${ROWS_PER_DAY} event rows`);
  const pipeline = await pipelineCost(postgres.url);
  console.error('[database-cost] pipeline measured; partitioning prototype next');
  const partitioning = await partitioningPrototype(postgres.url);
  const report = { generatedAt: new Date().toISOString(), postgres: version, pipeline, partitioning };
  fs.writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
} finally {
  await postgres.destroy();
}

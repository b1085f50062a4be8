import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../clock.ts';
import { parseConfig } from '../config/config.ts';
import { insertEvents } from '../deliveries/delivery-events.ts';
import { newId } from '../ids.ts';
import { createLogger } from '../logger.ts';
import { createCryptoBox } from '../security/crypto-box.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { seedApp, seedChannelAccount, seedMessages } from '../../test/support/seed-deliveries.ts';
import { createMigratedDatabase, testDialects } from '../../test/support/test-databases.ts';
import { LogCapture } from '../../test/support/test-herald.ts';
import { createRetentionRunner, type RetentionCounts } from './retention-runner.ts';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 5, 1, 9, 0, 0);
let schedulers = 0;

interface RunLog {
  msg: string;
  deleted: RetentionCounts;
  databaseBytesBefore: number;
  databaseBytesAfter: number;
}

/** The runs a runner logged (its `retention run finished` lines). */
const runsIn = (logs: LogCapture): RunLog[] =>
  logs.lines.map((line) => JSON.parse(line) as RunLog).filter((line) => line.msg === 'retention run finished');

for (const dialect of testDialects) {
  describe(`retention on ${dialect}`, () => {
    let database: HeraldDatabase;
    let close: () => Promise<void>;
    let clock: ManualClock;
    let appId: string;
    let accountId: string;
    const cryptoBox = createCryptoBox(Buffer.alloc(32, 7));

    beforeEach(async () => {
      ({ database, close } = await createMigratedDatabase(dialect));
      clock = new ManualClock(T0);
      appId = await seedApp(database, cryptoBox, { nowMs: T0 - 400 * DAY_MS });
      accountId = await seedChannelAccount(database, cryptoBox, { appId, type: 'webhook', channel: 'webhook', nowMs: T0 - 400 * DAY_MS });
    });
    afterEach(() => close());

    function runner(logs: LogCapture, env: Record<string, string> = {}) {
      const config = parseConfig({ HERALD_RETENTION_PAUSE_MS: '0', ...env });
      return createRetentionRunner({
        database,
        clock,
        retention: config.retention,
        workerId: `scheduler-${++schedulers}`,
        leaseSeconds: 60,
        pollIntervalMs: 1000,
        logger: createLogger('info', logs),
      });
    }
    const seed = (daysAgo: number, extra: Partial<Parameters<typeof seedMessages>[1]> = {}) =>
      seedMessages(database, { appId, channelAccountId: accountId, channel: 'webhook', nowMs: T0 - daysAgo * DAY_MS, ...extra });
    const countWhere = async (table: 'messages' | 'deliveries' | 'events' | 'callbacks' | 'message_tags' | 'acknowledgements' | 'escalations' | 'digest_items', column: 'id' | 'message_id', ids: string[]) =>
      Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where(column, 'in', ids).executeTakeFirstOrThrow()).n);

    test('old finished messages go with everything keyed by them; recent, unfinished or still escalating ones stay', async () => {
      // Seeded first, the unfinished message comes first in the purge's order: the batches go on past it.
      const unfinished = await seed(40, { count: 1 });
      const old = await seed(40, { count: 3, finalStatus: 'sent', deliveriesPerMessage: 2 });
      const recent = await seed(10, { count: 2, finalStatus: 'sent' });
      const escalating = await seed(40, { count: 1, finalStatus: 'sent' });
      const [oldMessage] = old.messageIds;
      const atMs = T0 - 40 * DAY_MS;
      await database.db
        .insertInto('callbacks')
        .values({ id: newId('cbk'), message_id: oldMessage!, delivery_id: old.deliveryIds[0]!, app_id: appId, url: 'http://127.0.0.1:9/cb', payload: '{}', status: 'succeeded', attempts: 1, run_at: null, lease_owner: null, lease_expires_at: null, last_error: null, created_at: atMs, updated_at: atMs })
        .execute();
      await database.db.insertInto('message_tags').values({ message_id: oldMessage!, app_id: appId, key: 'order', value: '42' }).execute();
      await database.db.insertInto('acknowledgements').values({ delivery_id: old.deliveryIds[0]!, message_id: oldMessage!, app_id: appId, via: 'api', at: atMs }).execute();
      await insertEvents(database.db, database.dialect, [{ messageId: oldMessage!, deliveryId: old.deliveryIds[0]!, appId, type: 'sent', at: atMs, attempt: 1 }]);
      const escalation = (messageId: string, status: 'finished' | 'waiting') => ({
        id: newId('esc'),
        app_id: appId,
        message_id: messageId,
        receiver: null,
        steps: '[]',
        next_step: 0,
        follow_up_ids: '[]',
        status,
        run_at: status === 'waiting' ? T0 + DAY_MS : null,
        lease_owner: null,
        lease_expires_at: null,
        created_at: atMs,
        updated_at: atMs,
      });
      await database.db.insertInto('escalations').values([escalation(oldMessage!, 'finished'), escalation(escalating.messageIds[0]!, 'waiting')]).execute();
      const bucketId = newId('dgb');
      await database.db
        .insertInto('digest_buckets')
        .values({ id: bucketId, app_id: appId, type_code: 'news', open_key: null, channel: 'webhook', receiver: '{}', locale: null, template_code: 't', events: 1, status: 'flushed', flush_at: atMs, run_at: null, lease_owner: null, lease_expires_at: null, digest_message_id: old.messageIds[1]!, last_error: null, created_at: atMs, updated_at: atMs })
        .execute();
      await database.db.insertInto('digest_items').values({ id: newId('dgi'), bucket_id: bucketId, app_id: appId, message_id: old.messageIds[2]!, delivery_id: old.deliveryIds[4]!, data: '{}', at: atMs }).execute();

      const logs = new LogCapture();
      const retention = runner(logs, { HERALD_RETENTION_BATCH_SIZE: '2' });
      assert.equal(await retention.runDue(), 1);

      for (const table of ['messages'] as const) assert.equal(await countWhere(table, 'id', old.messageIds), 0, table);
      for (const table of ['deliveries', 'events', 'callbacks', 'message_tags', 'acknowledgements', 'escalations', 'digest_items'] as const) {
        assert.equal(await countWhere(table, 'message_id', old.messageIds), 0, table);
      }
      assert.equal((await database.db.selectFrom('digest_buckets').select('id').execute()).length, 0, 'the digest bucket whose message went');
      const kept = [...recent.messageIds, ...unfinished.messageIds, ...escalating.messageIds];
      assert.equal(await countWhere('messages', 'id', kept), kept.length);
      assert.equal(await countWhere('deliveries', 'message_id', kept), kept.length);
      assert.equal(await countWhere('events', 'message_id', kept), kept.length);
      assert.equal(await countWhere('escalations', 'message_id', kept), 1);

      const [run] = runsIn(logs);
      assert.deepEqual(
        { messages: run!.deleted.messages, deliveries: run!.deleted.deliveries, events: run!.deleted.events, callbacks: run!.deleted.callbacks, escalations: run!.deleted.escalations, digest_buckets: run!.deleted.digest_buckets },
        { messages: 3, deliveries: 6, events: 4, callbacks: 1, escalations: 1, digest_buckets: 1 },
      );
      assert.equal(run!.deleted.batches, 2, 'two messages per transaction');
      assert.ok(run!.databaseBytesBefore > 0 && run!.databaseBytesAfter > 0, 'database sizes logged');
      // Not due again until the interval has passed; then a message that has aged out goes.
      assert.equal(await retention.runDue(), 0);
      clock.advance(3600_000);
      assert.equal(await retention.runDue(), 1);
      clock.advance(21 * DAY_MS);
      assert.equal(await retention.runDue(), 1);
      assert.equal(await countWhere('messages', 'id', recent.messageIds), 0, 'recent messages once older than 30 days');
    });

    test("an app's retentionDays replaces the default", async () => {
      await database.db.updateTable('apps').set({ settings: JSON.stringify({ retentionDays: 60 }) }).where('id', '=', appId).execute();
      const kept = await seed(40, { count: 2, finalStatus: 'failed' });
      const purged = await seed(61, { count: 2, finalStatus: 'failed' });
      await runner(new LogCapture()).runDue();
      assert.equal(await countWhere('messages', 'id', kept.messageIds), 2);
      assert.equal(await countWhere('messages', 'id', purged.messageIds), 0);
    });

    test('inbox items past their validity or read before the cut-off, old announcements with their states and long-dead worker rows go', async () => {
      const item = (overrides: { valid_until?: number | null; read_at?: number | null }) => ({
        id: newId('inb'),
        app_id: appId,
        title: 'Hello',
        summary: null,
        body_html: null,
        link: null,
        category: null,
        severity: 'info' as const,
        actions: '[]',
        data: '{}',
        subscriber_id: 'user-1',
        delivery_id: null,
        message_id: null,
        valid_from: T0 - 50 * DAY_MS,
        valid_until: null,
        created_at: T0 - 50 * DAY_MS,
        read_at: null,
        archived_at: null,
        ...overrides,
      });
      const expired = item({ valid_until: T0 - 1 });
      const readLongAgo = item({ read_at: T0 - 40 * DAY_MS });
      const unread = item({});
      const readLately = item({ read_at: T0 - DAY_MS });
      await database.db.insertInto('inbox_items').values([expired, readLongAgo, unread, readLately]).execute();
      const announcement = (expiresAt: number | null, withdrawnAt: number | null) => ({
        id: newId('ann'),
        app_id: appId,
        title: 'News',
        summary: null,
        body_html: null,
        link: null,
        category: null,
        severity: 'info' as const,
        actions: '[]',
        data: '{}',
        audience: '{"all":true}',
        body_markdown: null,
        publish_at: T0 - 60 * DAY_MS,
        expires_at: expiresAt,
        withdrawn_at: withdrawnAt,
        created_at: T0 - 60 * DAY_MS,
        updated_at: T0 - 60 * DAY_MS,
      });
      const gone = [announcement(T0 - 31 * DAY_MS, null), announcement(null, T0 - 45 * DAY_MS)];
      const staying = [announcement(T0 - DAY_MS, null), announcement(null, null)];
      await database.db.insertInto('announcements').values([...gone, ...staying]).execute();
      await database.db
        .insertInto('announcement_states')
        .values([...gone, ...staying].map((a) => ({ announcement_id: a.id, app_id: appId, subscriber_id: 'user-1', read_at: T0 - 50 * DAY_MS, archived_at: null, deleted_at: null })))
        .execute();
      await database.db.insertInto('workers').values([{ id: 'dead', started_at: T0 - 90 * DAY_MS, heartbeat_at: T0 - 31 * DAY_MS }, { id: 'alive', started_at: T0, heartbeat_at: T0 }]).execute();

      await runner(new LogCapture()).runDue();

      assert.deepEqual((await database.db.selectFrom('inbox_items').select('id').orderBy('id').execute()).map((row) => row.id), [unread.id, readLately.id].sort());
      assert.deepEqual((await database.db.selectFrom('announcements').select('id').orderBy('id').execute()).map((row) => row.id), staying.map((a) => a.id).sort());
      assert.deepEqual((await database.db.selectFrom('announcement_states').select('announcement_id').orderBy('announcement_id').execute()).map((row) => row.announcement_id), staying.map((a) => a.id).sort());
      assert.deepEqual((await database.db.selectFrom('workers').select('id').execute()).map((row) => row.id), ['alive']);
    });

    test('alarms resolved before the cut-off go; open ones and those resolved lately stay', async () => {
      const alarm = (status: 'open' | 'resolved', firedDaysAgo: number, resolvedDaysAgo: number | null) => ({
        id: newId('alm', T0 - firedDaysAgo * DAY_MS),
        app_id: appId,
        rule_id: 'alr_rule',
        rule_name: 'backlog',
        kind: 'backlog_age',
        subject: `app:${firedDaysAgo}`,
        subject_label: 'the app',
        status,
        value: 600,
        detail: '{}',
        fired_at: T0 - firedDaysAgo * DAY_MS,
        clear_since: null,
        resolved_at: resolvedDaysAgo === null ? null : T0 - resolvedDaysAgo * DAY_MS,
        fired_message_id: null,
        resolved_message_id: null,
        updated_at: T0,
      });
      const resolvedLongAgo = alarm('resolved', 60, 59);
      const stillOpen = alarm('open', 90, null);
      const resolvedLately = alarm('resolved', 40, 2);
      await database.db.insertInto('alarms').values([resolvedLongAgo, stillOpen, resolvedLately]).execute();
      const logs = new LogCapture();
      await runner(logs).runDue();
      assert.deepEqual((await database.db.selectFrom('alarms').select('id').orderBy('id').execute()).map((r) => r.id), [stillOpen.id, resolvedLately.id].sort());
      assert.equal(runsIn(logs)[0]!.deleted.alarms, 1);
    });

    test('audit rows older than HERALD_AUDIT_RETENTION_DAYS go, in batches; younger ones stay', async () => {
      const row = (daysAgo: number) => ({
        id: newId('aud', T0 - daysAgo * DAY_MS),
        at: T0 - daysAgo * DAY_MS,
        app_id: appId,
        actor: 'user-1',
        actor_kind: 'user' as const,
        action: 'PATCH /v1/apps/{app}',
        target: appId,
        address: '127.0.0.1',
        detail: null,
        before_json: null,
        after_json: null,
      });
      const old = [row(100), row(95), row(91)];
      const young = [row(89), row(1)];
      await database.db.insertInto('audit_log').values([...old, ...young]).execute();
      const logs = new LogCapture();
      await runner(logs, { HERALD_AUDIT_RETENTION_DAYS: '90', HERALD_RETENTION_BATCH_SIZE: '2' }).runDue();
      assert.deepEqual((await database.db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => r.id), young.map((r) => r.id).sort());
      assert.equal(runsIn(logs)[0]!.deleted.audit_log, 3);
    });

    test('two schedulers on one database: one run purges each message exactly once, in batches', async () => {
      const old = await seed(40, { count: 1200, finalStatus: 'delivered' });
      const logsA = new LogCapture();
      const logsB = new LogCapture();
      const env = { HERALD_RETENTION_BATCH_SIZE: '100' };
      const [ranA, ranB] = await Promise.all([runner(logsA, env).runDue(), runner(logsB, env).runDue()]);
      assert.equal(ranA + ranB, 1, 'one scheduler ran the purge');
      const runs = [...runsIn(logsA), ...runsIn(logsB)];
      assert.equal(runs.length, 1);
      assert.equal(runs[0]!.deleted.messages, 1200);
      assert.equal(runs[0]!.deleted.deliveries, 1200);
      assert.equal(runs[0]!.deleted.batches, 12, 'a hundred messages per transaction');
      assert.equal(await countWhere('messages', 'id', old.messageIds), 0);
    });
  });
}

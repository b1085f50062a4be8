import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { createDigestRunner, digestIdempotencyKey, type DigestRunner, type DigestSend } from '../../src/dispatch/digest-runner.ts';
import type { SendRequestBody } from '../../src/domain/messages/send-request-schema.ts';
import { createHerald } from '../../src/herald.ts';
import { createLogger } from '../../src/logger.ts';
import { startWebPushTestServer } from '../../src/providers/webpush/webpush-test-server.ts';
import { startSmtpTestServer, type SmtpTestServer } from '../../src/providers/smtp/smtp-test-server.ts';
import { silentLogger } from '../support/dispatch-test-kit.ts';
import { testDialects } from '../support/test-databases.ts';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * Digests end to end: events of a type with `digest` are skipped DIGESTED into an open bucket,
 * and a scheduler's digest runner, driven with a ManualClock, sends one message per bucket when
 * its window ends (through the worker and an SMTP test server) and writes a `digested` event
 * naming it into each digested delivery's trail.
 */

const WINDOW_SECONDS = 600;

for (const dialect of testDialects) {
  describe(`digests on ${dialect}`, () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 9, 0));
    let herald: TestHerald;
    let app: AppCredentials;
    let smtp: SmtpTestServer;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const ok = async (method: string, url: string, body: unknown, status: number) => {
      const response = await call(method, url, body);
      assert.equal(response.statusCode, status, response.body);
      return response.json();
    };
    const runner = (workerId: string, accept: DigestRunnerAccept = (appId, message, key) => herald.services.intake.accept(appId, message as SendRequestBody, key)): DigestRunner =>
      createDigestRunner({ database: herald.context.database, clock, accept, workerId, leaseSeconds: 60, pollIntervalMs: 1000, logger: silentLogger });
    type DigestRunnerAccept = (appId: string, message: DigestSend, key: string) => Promise<{ id: string }>;
    const trail = async (messageId: string, deliveryId: string) =>
      (await ok('GET', `/v1/messages/${messageId}`, undefined, 200)).events
        .filter((e: { deliveryId: string | null }) => e.deliveryId === deliveryId)
        .map((e: { type: string; code: string | null; detail: string | null }) => [e.type, e.code, e.detail]);
    const mailsTo = (address: string) => smtp.received.filter((mail) => mail.to.includes(address));
    const digestMessages = () => herald.context.database.db.selectFrom('messages').select(['id', 'idempotency_key']).where('idempotency_key', 'like', 'digest:%').where('app_id', '=', app.appId).execute();

    before(async () => {
      // Leases and heartbeats outlast the clock's jumps, so a send in flight across one is not taken for abandoned.
      herald = await createTestHerald(dialect, {
        clock,
        roles: ['api', 'worker'],
        env: { HERALD_POLL_INTERVAL_MS: '50', PORT: '0', HOST: '127.0.0.1', HERALD_LEASE_SECONDS: '3600', HERALD_WORKER_DEAD_AFTER_SECONDS: '3600' },
      });
      await herald.start();
      app = await createAppWithKey(herald, 'shop');
      smtp = await startSmtpTestServer();
      await ok('POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: smtp.port, starttls: 'disabled', from: 'Shop <shop@example.com>' } }, 201);
      await ok('PUT', '/v1/subscribers', { items: ['li', 'ann', 'bo', 'cy'].map((externalId) => ({ externalId, addresses: { email: `${externalId}@example.com` } })) }, 200);
      await ok('POST', '/v1/templates', {
        code: 'order.shipped',
        defaultChannels: ['email'],
        variables: [{ name: 'order', type: 'string', required: true, example: 'A-1' }],
        content: { title: 'Order {{ order }} shipped', body: 'Order {{ order }} is on its way.' },
        publish: true,
      }, 201);
      await ok('POST', '/v1/templates', {
        code: 'order.digest',
        defaultChannels: ['email'],
        variables: [{ name: 'items', type: 'array', required: true, example: [{ order: 'A-1' }] }, { name: 'count', type: 'number', required: true, example: 1 }],
        content: { title: '{{ count }} orders shipped', body: '{% for item in items %}* order {{ item.order }}\n{% endfor %}' },
        publish: true,
      }, 201);
      const type = (code: string, digest: Record<string, unknown>) =>
        ok('POST', '/v1/message-types', { code, name: code, channels: ['email'], template: 'order.shipped', policies: { digest: { windowSeconds: WINDOW_SECONDS, template: 'order.digest', ...digest } } }, 201);
      await type('order.shipped', {});
      await type('order.first', { firstImmediately: true });
      await type('order.byshop', { key: 'shop.id' });
    });
    after(async () => {
      await herald.close();
      await smtp.close();
    });

    test('50 events within a window: one message listing the 50 items, and 50 trails pointing to it', async () => {
      const events = [];
      for (let index = 1; index <= 50; index++) {
        events.push(await ok('POST', '/v1/messages', { type: 'order.shipped', to: ['li'], data: { order: `A-${index}` } }, 202));
        clock.advance(10_000);
      }
      assert.ok(events.every((event) => event.deliveries[0].status === 'skipped' && event.deliveries[0].reason === 'DIGESTED'));
      assert.equal(await runner('s1').runDue(), 0, 'the window has not ended');
      clock.set(Date.UTC(2026, 0, 5, 9, 0) + WINDOW_SECONDS * 1000);
      assert.equal(await runner('s1').runDue(), 1);
      assert.equal(await runner('s2').runDue(), 0, 'flushed once');

      const [digest] = await digestMessages();
      assert.ok(digest);
      await waitFor(async () => mailsTo('li@example.com').length === 1 && (await ok('GET', `/v1/messages/${digest.id}`, undefined, 200)).status === 'completed', { what: 'the digest mailed' });
      const shown = await ok('GET', `/v1/messages/${digest.id}`, undefined, 200);
      assert.equal(shown.metadata.digestType, 'order.shipped');
      assert.equal(digest.idempotency_key, digestIdempotencyKey(shown.metadata.digestWindow));
      const mail = await simpleParser(mailsTo('li@example.com')[0]!.raw);
      assert.equal(mail.subject, '50 orders shipped');
      // The body is a Markdown list: its plain text has one line per item, in the order the events came.
      const lines = mail.text!.split('\n').filter((line) => line.startsWith('- order '));
      assert.deepEqual(lines, Array.from({ length: 50 }, (_, index) => `- order A-${index + 1}`));

      const trails = await Promise.all(events.map((event) => trail(event.id, event.deliveries[0].id)));
      for (const [skipped, digested, ...rest] of trails) {
        assert.deepEqual(skipped.slice(0, 2), ['skipped', 'DIGESTED']);
        assert.deepEqual(digested, ['digested', null, `Sent in digest message ${digest.id} (50 items)`]);
        assert.deepEqual(rest, []);
      }
      const search = await ok('GET', '/v1/messages?reason=DIGESTED&limit=100', undefined, 200);
      assert.equal(search.items.length, 50);

      // The claim closed the window: a later event opens a new one, flushed on its own.
      const later = await ok('POST', '/v1/messages', { type: 'order.shipped', to: ['li'], data: { order: 'B-1' } }, 202);
      assert.equal(later.deliveries[0].reason, 'DIGESTED');
      assert.equal(await runner('s1').runDue(), 0);
      clock.advance(WINDOW_SECONDS * 1000);
      assert.equal(await runner('s1').runDue(), 1);
      await waitFor(() => mailsTo('li@example.com').length === 2, { what: 'the second digest mailed' });
      assert.equal((await simpleParser(mailsTo('li@example.com')[1]!.raw)).subject, '1 orders shipped');
      assert.equal((await digestMessages()).length, 2);
    });

    test('firstImmediately: the event that opens a window goes out at once, the rest of the window is digested', async () => {
      const sent = () => mailsTo('ann@example.com').length;
      const first = await ok('POST', '/v1/messages', { type: 'order.first', to: ['ann'], data: { order: 'C-1' } }, 202);
      assert.equal(first.deliveries[0].status, 'queued');
      await waitFor(() => sent() === 1, { what: 'the first event mailed at once' });
      assert.equal((await simpleParser(mailsTo('ann@example.com')[0]!.raw)).subject, 'Order C-1 shipped');
      const rest = [];
      for (const order of ['C-2', 'C-3']) rest.push(await ok('POST', '/v1/messages', { type: 'order.first', to: ['ann'], data: { order } }, 202));
      assert.deepEqual(rest.map((event) => event.deliveries[0].reason), ['DIGESTED', 'DIGESTED']);
      clock.advance(WINDOW_SECONDS * 1000);
      assert.equal(await runner('s1').runDue(), 1);
      await waitFor(() => sent() === 2, { what: 'the digest of the rest mailed' });
      const digest = await simpleParser(mailsTo('ann@example.com')[1]!.raw);
      assert.equal(digest.subject, '2 orders shipped');
      assert.deepEqual(digest.text!.split('\n').filter((line) => line.startsWith('- order ')), ['- order C-2', '- order C-3']);
      assert.deepEqual((await trail(first.id, first.deliveries[0].id)).map(([type]: string[]) => type), ['queued', 'sending', 'sent'], 'the first is not in the digest');

      // A window with only its first event sends nothing when it ends.
      const alone = await ok('POST', '/v1/messages', { type: 'order.first', to: ['ann'], data: { order: 'C-4' } }, 202);
      assert.equal(alone.deliveries[0].status, 'queued');
      await waitFor(() => sent() === 3, { what: 'the next window opened at once' });
      clock.advance(WINDOW_SECONDS * 1000);
      assert.equal(await runner('s1').runDue(), 1);
      const bucket = await herald.context.database.db.selectFrom('digest_buckets').selectAll().where('type_code', '=', 'order.first').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      assert.deepEqual([bucket.status, bucket.events, bucket.digest_message_id, bucket.open_key], ['flushed', 1, null, null]);
      assert.equal(sent(), 3);
    });

    test('separate buckets per receiver and per digest key; one message each, listing only its own events', async () => {
      const event = (to: string, shop: string, order: string) => ok('POST', '/v1/messages', { type: 'order.byshop', to: [to], data: { order, shop: { id: shop } } }, 202);
      // A batch-free send to two receivers digests each apart, too.
      const both = await ok('POST', '/v1/messages', { type: 'order.byshop', to: ['bo', 'cy'], data: { order: 'D-1', shop: { id: 'north' } } }, 202);
      assert.deepEqual(both.deliveries.map((d: { reason: string }) => d.reason), ['DIGESTED', 'DIGESTED']);
      await event('bo', 'north', 'D-2');
      await event('bo', 'south', 'D-3');
      await event('cy', 'south', 'D-4');
      await event('bo', 'north', 'D-5');
      clock.advance(WINDOW_SECONDS * 1000);
      assert.equal(await runner('s1').runDue(), 4);
      await waitFor(() => mailsTo('bo@example.com').length === 2 && mailsTo('cy@example.com').length === 2, { what: 'four digests mailed' });
      const listed = async (address: string) =>
        (await Promise.all(mailsTo(address).map((mail) => simpleParser(mail.raw)))).map((mail) => mail.text!.split('\n').filter((line) => line.startsWith('- order ')).join(',')).sort();
      assert.deepEqual(await listed('bo@example.com'), ['- order D-1,- order D-2,- order D-5', '- order D-3']);
      assert.deepEqual(await listed('cy@example.com'), ['- order D-1', '- order D-4']);
    });

    test('windows survive restarts: a scheduler that dies mid-flush, then a new process, flush the bucket once', async () => {
      const events = [];
      for (const order of ['E-1', 'E-2', 'E-3']) events.push(await ok('POST', '/v1/messages', { type: 'order.shipped', to: ['cy'], data: { order } }, 202));
      const before = mailsTo('cy@example.com').length;
      clock.advance(WINDOW_SECONDS * 1000);
      const accepted: string[] = [];
      const dying = runner('pod-1', async (appId, message, key) => {
        accepted.push((await herald.services.intake.accept(appId, message as SendRequestBody, key)).id);
        throw new Error('the process died before recording the flush');
      });
      assert.equal(await dying.runDue(), 0, 'the flush did not complete');
      assert.equal(accepted.length, 1);
      // A new scheduler process (its own pool, intake and runner) finds the bucket leased until the lease lapses.
      const restarted = await createHerald(herald.config, { roles: ['scheduler'], clock, logger: createLogger('silent') });
      try {
        assert.equal(await restarted.digestRunner!.runDue(), 0, 'the lease is still held');
        clock.advance(61_000);
        assert.equal(await restarted.digestRunner!.runDue(), 1);
        assert.equal(await restarted.digestRunner!.runDue(), 0);
      } finally {
        await restarted.stop();
      }
      const bucket = await herald.context.database.db.selectFrom('digest_buckets').selectAll().where('digest_message_id', '=', accepted[0]!).executeTakeFirstOrThrow();
      assert.deepEqual([bucket.status, bucket.events, bucket.lease_owner], ['flushed', 3, null]);
      const keyed = (await digestMessages()).filter((message) => message.idempotency_key === digestIdempotencyKey(bucket.id));
      assert.deepEqual(keyed.map((message) => message.id), [accepted[0]], 'the retried flush replayed the first message');
      for (const event of events) {
        assert.deepEqual((await trail(event.id, event.deliveries[0].id)).at(-1), ['digested', null, `Sent in digest message ${accepted[0]} (3 items)`]);
        assert.equal((await trail(event.id, event.deliveries[0].id)).filter(([type]: string[]) => type === 'digested').length, 1);
      }
      await waitFor(() => mailsTo('cy@example.com').length === before + 1, { what: 'the digest mailed once' });
      const mail = await simpleParser(mailsTo('cy@example.com').at(-1)!.raw);
      assert.equal(mail.subject, '3 orders shipped');
    });

    test('events accepted at once join one bucket: none is lost, none opens a second window', async () => {
      const orders = Array.from({ length: 20 }, (_, index) => `F-${index + 1}`);
      const events = await Promise.all(orders.map((order) => ok('POST', '/v1/messages', { type: 'order.shipped', to: ['bo'], data: { order } }, 202)));
      assert.ok(events.every((event) => event.deliveries[0].reason === 'DIGESTED'));
      const open = await herald.context.database.db.selectFrom('digest_buckets').select(['id', 'events']).where('type_code', '=', 'order.shipped').where('status', '=', 'open').execute();
      assert.deepEqual(open.map((bucket) => bucket.events), [20]);
      const items = await herald.context.database.db.selectFrom('digest_items').select('delivery_id').where('bucket_id', '=', open[0]!.id).execute();
      assert.deepEqual(items.map((item) => item.delivery_id).sort(), events.map((event) => event.deliveries[0].id).sort());
      clock.advance(WINDOW_SECONDS * 1000);
      assert.equal(await runner('s1').runDue(), 1);
    });

    test('a digest the intake refuses (no such template) fails its bucket with the reason, once', async () => {
      await ok('POST', '/v1/message-types', { code: 'order.orphan', name: 'Orphan', channels: ['email'], template: 'order.shipped', policies: { digest: { windowSeconds: 60, template: 'no.such.template' } } }, 201);
      const event = await ok('POST', '/v1/messages', { type: 'order.orphan', to: ['ann'], data: { order: 'G-1' } }, 202);
      assert.equal(event.deliveries[0].reason, 'DIGESTED');
      clock.advance(60_000);
      assert.equal(await runner('s1').runDue(), 1);
      assert.equal(await runner('s1').runDue(), 0);
      const bucket = await herald.context.database.db.selectFrom('digest_buckets').selectAll().where('type_code', '=', 'order.orphan').executeTakeFirstOrThrow();
      assert.equal(bucket.status, 'failed');
      assert.equal(bucket.digest_message_id, null);
      assert.match(bucket.last_error!, /^TEMPLATE_NOT_FOUND: /);
    });

    test("a subscriber's browsers share one window: one digest per browser, each event listed once", async () => {
      const pushService = await startWebPushTestServer();
      try {
        await ok('POST', '/v1/channel-accounts', { type: 'webpush', name: 'browsers', config: { subject: 'mailto:ops@shop.example', baseUrl: pushService.baseUrl } }, 201);
        await ok('POST', '/v1/subscribers', { externalId: 'dee' }, 201);
        for (const browser of [pushService.subscribe(), pushService.subscribe()]) await ok('POST', '/v1/subscribers/dee/push-subscriptions', { ...browser, expirationTime: null }, 201);
        await ok('POST', '/v1/message-types', { code: 'order.pushed', name: 'Pushed', channels: ['webpush'], template: 'order.shipped', policies: { digest: { windowSeconds: 60, template: 'order.digest' } } }, 201);
        const events = [];
        for (const order of ['H-1', 'H-2', 'H-3']) events.push(await ok('POST', '/v1/messages', { type: 'order.pushed', to: ['dee'], data: { order } }, 202));
        assert.ok(events.every((event) => event.deliveries.length === 2 && event.deliveries.every((d: { reason: string }) => d.reason === 'DIGESTED')));
        clock.advance(60_000);
        assert.equal(await runner('s1').runDue(), 1);
        const bucket = await herald.context.database.db.selectFrom('digest_buckets').selectAll().where('type_code', '=', 'order.pushed').executeTakeFirstOrThrow();
        assert.equal(bucket.events, 6);
        const shown = await ok('GET', `/v1/messages/${bucket.digest_message_id}`, undefined, 200);
        assert.equal(new Set(shown.deliveries.map((d: { address: string }) => d.address)).size, 2, 'the digest goes to both browsers');
        const row = await herald.context.database.db.selectFrom('messages').select('data').where('id', '=', bucket.digest_message_id!).executeTakeFirstOrThrow();
        assert.deepEqual(JSON.parse(row.data), { items: [{ order: 'H-1' }, { order: 'H-2' }, { order: 'H-3' }], count: 3 });
        for (const event of events) {
          for (const delivery of event.deliveries) assert.deepEqual((await trail(event.id, delivery.id)).at(-1), ['digested', null, `Sent in digest message ${bucket.digest_message_id} (3 items)`]);
        }
      } finally {
        await pushService.close();
      }
    });

    test('the type API checks the digest settings', async () => {
      const bad = await call('POST', '/v1/message-types', { code: 'order.bad', name: 'Bad', policies: { digest: { windowSeconds: 0, template: 'order.digest' } } });
      assert.equal(bad.statusCode, 400, bad.body);
      const badKey = await call('POST', '/v1/message-types', { code: 'order.bad', name: 'Bad', policies: { digest: { windowSeconds: 60, template: 'order.digest', key: 'a..b' } } });
      assert.equal(badKey.statusCode, 400, badKey.body);
      const shown = await ok('GET', '/v1/message-types/order.byshop', undefined, 200);
      assert.deepEqual(shown.policies.digest, { windowSeconds: WINDOW_SECONDS, template: 'order.digest', key: 'shop.id' });
    });
  });
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { createDigestRunner, digestIdempotencyKey, type DigestRunner, type DigestSend } from '../../src/dispatch/digest-runner.ts';
import type { SendRequestBody } from '../../src/domain/messages/send-request-schema.ts';
import { createHerald } from '../../src/herald.ts';
import { createLogger } from '../../src/logger.ts';
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
      herald = await createTestHerald(dialect, { clock, roles: ['api', 'worker'], env: { HERALD_POLL_INTERVAL_MS: '50', PORT: '0', HOST: '127.0.0.1' } });
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
  });
}

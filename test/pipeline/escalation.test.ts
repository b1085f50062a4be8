import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSmtpTestServer, type SmtpTestServer } from '../../src/providers/smtp/smtp-test-server.ts';
import { startWebhookTestServer, type WebhookTestServer } from '../../src/providers/webhook/webhook-test-server.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';

/**
 * Escalation of urgent alerts (issue 12): an alert posted to the ops webhook that nobody
 * acknowledges within five minutes goes to the on-call person by e-mail, then to the backup;
 * an acknowledgement (API or the signed link in the alert, `{{ ack_url }}`) stops it. The
 * api, worker and scheduler roles run in one Herald on a ManualClock; escalation steps are run
 * by calling the scheduler's runner, as its poll would.
 */

const PUBLIC_URL = 'https://herald.example.com';
const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);

for (const dialect of testDialects) {
  describe(`escalation with acknowledgement on ${dialect}`, () => {
    const clock = new ManualClock(T0);
    let herald: TestHerald;
    let app: AppCredentials;
    let smtp: SmtpTestServer;
    let hook: WebhookTestServer;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    const ok = async (method: string, url: string, body: unknown, status: number) => {
      const response = await call(method, url, body);
      assert.equal(response.statusCode, status, response.body);
      return response.json();
    };
    const db = () => herald.context.database.db;
    const runDue = () => herald.escalationRunner!.runDue();
    /** The messages an escalation of `messageId` sent, oldest first, with where their deliveries went. */
    const followUps = async (messageId: string) => {
      const rows = await db()
        .selectFrom('messages')
        .innerJoin('deliveries', 'deliveries.message_id', 'messages.id')
        .select(['messages.id', 'messages.metadata', 'deliveries.channel', 'deliveries.address'])
        .where('messages.metadata', 'like', `%"escalationOf":"${messageId}"%`)
        .orderBy('messages.id')
        .execute();
      return rows.map((row) => ({ id: row.id, step: (JSON.parse(row.metadata) as Record<string, string>).escalationStep, channel: row.channel, address: row.address }));
    };
    const trail = async (messageId: string) =>
      (await db().selectFrom('events').select(['type', 'code', 'detail', 'delivery_id']).where('message_id', '=', messageId).where('type', 'in', ['escalated', 'acknowledged']).orderBy('id').execute()).map((e) => [e.type, e.code, e.delivery_id !== null]);
    const alert = async (body = 'db1 is down') => {
      const accepted = await ok('POST', '/v1/messages', { type: 'db.down', content: { title: 'DB down', body: `${body} — acknowledge: {{ ack_url }}` } }, 202);
      return { messageId: accepted.id as string, deliveryId: accepted.deliveries[0].id as string };
    };
    const mailsTo = (address: string) => smtp.received.filter((mail) => mail.to.includes(address)).length;

    before(async () => {
      herald = await createTestHerald(dialect, { clock, roles: ['api', 'worker', 'scheduler'], env: { HERALD_POLL_INTERVAL_MS: '50', HERALD_PUBLIC_URL: PUBLIC_URL } });
      await herald.start();
      // The test runs the steps itself (runDue), so its own poll does not race it for them.
      await herald.escalationRunner!.stop();
      app = await createAppWithKey(herald, 'ops');
      smtp = await startSmtpTestServer();
      hook = await startWebhookTestServer();
      await ok('POST', '/v1/channel-accounts', { type: 'webhook', name: 'ops-hook', config: { url: hook.url } }, 201);
      await ok('POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: smtp.port, starttls: 'disabled', from: 'Ops <ops@example.com>' } }, 201);
      await ok('PUT', '/v1/subscribers', { items: [{ externalId: 'li', addresses: { email: 'li@example.com' } }, { externalId: 'wang', addresses: { email: 'wang@example.com' } }] }, 200);
      await ok('POST', '/v1/message-types', {
        code: 'db.down',
        name: 'Database down',
        urgency: 'urgent',
        channels: ['webhook'],
        receivers: [{ channelAccount: 'ops-hook' }],
        policies: {
          escalation: {
            steps: [
              { afterSeconds: 300, channels: ['email'], to: ['li'] },
              { afterSeconds: 600, channels: ['email'], to: ['wang'] },
            ],
          },
        },
      }, 201);
    });
    after(async () => {
      await herald.close();
      await smtp.close();
      await hook.close();
    });

    test('unacknowledged webhook delivery → e-mail to the on-call after the delay, then the backup: two steps chain, each in the trail', async () => {
      const { messageId } = await alert('chain');
      await waitFor(async () => hook.received.length > 0 && JSON.stringify(hook.received.at(-1)!.body).includes('chain'), { what: 'the alert posted to the webhook' });
      clock.advance(299_000);
      assert.equal(await runDue(), 0, 'nothing due before five minutes');
      assert.deepEqual(await followUps(messageId), []);

      clock.advance(1000);
      assert.equal(await runDue(), 1);
      const first = await followUps(messageId);
      assert.deepEqual(first.map(({ step, channel, address }) => [step, channel, address]), [['1', 'email', 'li@example.com']]);
      await waitFor(async () => mailsTo('li@example.com') === 1, { what: 'the e-mail to li' });
      assert.equal(await runDue(), 0, 'step 2 waits its own ten minutes');

      clock.advance(600_000);
      assert.equal(await runDue(), 1);
      assert.deepEqual((await followUps(messageId)).map(({ step, address }) => [step, address]), [['1', 'li@example.com'], ['2', 'wang@example.com']]);
      await waitFor(async () => mailsTo('wang@example.com') === 1, { what: 'the e-mail to wang' });
      assert.deepEqual(await trail(messageId), [['escalated', null, false], ['escalated', null, false]]);
      const escalation = await db().selectFrom('escalations').select(['status', 'run_at', 'next_step']).where('message_id', '=', messageId).executeTakeFirstOrThrow();
      assert.deepEqual({ ...escalation, run_at: escalation.run_at === null ? null : Number(escalation.run_at) }, { status: 'finished', run_at: null, next_step: 2 });
      clock.advance(3_600_000);
      assert.equal(await runDue(), 0, 'nothing after the last step');
    });

    test('acknowledged through the API → no e-mail; the acknowledgement is in the delivery trail', async () => {
      const before = smtp.received.length;
      const { messageId, deliveryId } = await alert('api ack');
      clock.advance(60_000);
      const ack = await ok('POST', `/v1/deliveries/${deliveryId}/ack`, undefined, 200);
      assert.deepEqual([ack.deliveryId, ack.via, ack.first, ack.acknowledgedAt], [deliveryId, 'api', true, new Date(clock.now()).toISOString()]);
      const again = await ok('POST', `/v1/deliveries/${deliveryId}/ack`, undefined, 200);
      assert.deepEqual([again.first, again.acknowledgedAt], [false, ack.acknowledgedAt], 'the first acknowledgement stands');
      assert.equal((await ok('GET', `/v1/deliveries/${deliveryId}`, undefined, 200)).acknowledgedAt, ack.acknowledgedAt, 'the delivery shows when it was acknowledged');
      const shown = (await ok('GET', `/v1/messages/${messageId}`, undefined, 200)).deliveries.find((d: { id: string }) => d.id === deliveryId);
      assert.equal(shown.acknowledgedAt, ack.acknowledgedAt);
      clock.advance(300_000);
      assert.equal(await runDue(), 1, 'the due escalation is looked at and stopped');
      clock.advance(3_600_000);
      assert.equal(await runDue(), 0);
      assert.deepEqual(await followUps(messageId), []);
      assert.deepEqual(await trail(messageId), [['acknowledged', null, true]]);
      assert.equal((await db().selectFrom('escalations').select('status').where('message_id', '=', messageId).executeTakeFirstOrThrow()).status, 'acknowledged');
      assert.equal(smtp.received.length, before, 'no e-mail');
      assert.equal((await call('POST', '/v1/deliveries/dlv_nope/ack')).statusCode, 404);
    });

    test('the signed link in the alert ({{ ack_url }}) acknowledges it → no e-mail; a bad signature is 403 and acknowledges nothing', async () => {
      const before = smtp.received.length;
      const { messageId, deliveryId } = await alert('link ack');
      await waitFor(async () => hook.received.some((request) => JSON.stringify(request.body).includes('link ack')), { what: 'the alert posted to the webhook' });
      const posted = JSON.stringify(hook.received.find((request) => JSON.stringify(request.body).includes('link ack'))!.body);
      const link = posted.match(/https:\/\/herald\.example\.com(\/ack\/[^"\s\\]+)/);
      assert.ok(link, `the rendered alert carries its ack link: ${posted}`);
      assert.ok(link[1]!.startsWith(`/ack/${deliveryId}?sig=`), 'the link is this delivery\'s');

      const forged = link[1]!.replace(/sig=(.)/, (_, c: string) => `sig=${c === 'A' ? 'B' : 'A'}`);
      const refused = await herald.server!.inject({ method: 'GET', url: forged, headers: { accept: 'application/json' } });
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(refused.json().code, 'ACK_LINK_INVALID');
      assert.match(refused.headers['content-type'] as string, /application\/problem\+json/);
      const otherDelivery = await herald.server!.inject({ method: 'GET', url: link[1]!.replace(deliveryId, `${deliveryId.slice(0, -1)}${deliveryId.endsWith('0') ? '1' : '0'}`) });
      assert.equal(otherDelivery.statusCode, 403, 'a signature is good for its own delivery only');
      assert.match(otherDelivery.body, /not valid/);
      const unsigned = await herald.server!.inject({ method: 'GET', url: `/ack/${deliveryId}` });
      assert.equal(unsigned.statusCode, 403, 'a link without its signature is refused like a wrong one');
      assert.equal(await db().selectFrom('acknowledgements').select('delivery_id').where('delivery_id', '=', deliveryId).executeTakeFirst(), undefined, 'no acknowledgement');

      const page = await herald.server!.inject({ method: 'GET', url: link[1]! });
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.headers['content-type'] as string, /text\/html/);
      assert.match(page.body, /Acknowledged at/);
      const repeat = await herald.server!.inject({ method: 'GET', url: link[1]!, headers: { accept: 'application/json' } });
      assert.deepEqual([repeat.statusCode, repeat.json().via, repeat.json().first], [200, 'link', false], 'a second click answers the first acknowledgement');
      clock.advance(300_000);
      await runDue();
      clock.advance(600_000);
      await runDue();
      assert.deepEqual(await followUps(messageId), []);
      assert.deepEqual(await trail(messageId), [['acknowledged', null, true]]);
      assert.equal(smtp.received.length, before, 'no e-mail');
    });

    test('acknowledging the step-1 e-mail stops the chain before step 2', async () => {
      const { messageId } = await alert('stop at step 2');
      clock.advance(300_000);
      assert.equal(await runDue(), 1);
      const [first] = await followUps(messageId);
      const mailDelivery = await db().selectFrom('deliveries').select('id').where('message_id', '=', first!.id).executeTakeFirstOrThrow();
      await ok('POST', `/v1/deliveries/${mailDelivery.id}/ack`, undefined, 200);
      clock.advance(600_000);
      assert.equal(await runDue(), 1);
      assert.deepEqual((await followUps(messageId)).map(({ step }) => step), ['1'], 'no step 2');
      assert.equal((await db().selectFrom('escalations').select('status').where('message_id', '=', messageId).executeTakeFirstOrThrow()).status, 'acknowledged');
    });

    test('without `to` each receiver escalates on its own: the one who acknowledged gets no reminder, the other does', async () => {
      await ok('POST', '/v1/message-types', {
        code: 'disk.full',
        name: 'Disk full',
        channels: ['email'],
        receivers: ['li', 'wang'],
        policies: { escalation: { steps: [{ afterSeconds: 60, channels: ['email'] }] } },
      }, 201);
      const accepted = await ok('POST', '/v1/messages', { type: 'disk.full', content: { title: 'Disk full', body: 'db2' } }, 202);
      const byAddress = Object.fromEntries(accepted.deliveries.map((d: { id: string; address: string }) => [d.address, d.id]));
      await ok('POST', `/v1/deliveries/${byAddress['li@example.com']}/ack`, undefined, 200);
      clock.advance(60_000);
      assert.equal(await runDue(), 2);
      assert.deepEqual((await followUps(accepted.id)).map(({ step, channel, address }) => [step, channel, address]), [['1', 'email', 'wang@example.com']]);
      const statuses = await db().selectFrom('escalations').select(['receiver', 'status']).where('message_id', '=', accepted.id).orderBy('receiver').execute();
      assert.deepEqual(statuses.map((row) => [row.receiver, row.status]), [['"li"', 'acknowledged'], ['"wang"', 'finished']]);
    });

    test('the type API refuses an escalation step on an unknown channel, without channels, or to an unknown group', async () => {
      for (const step of [{ afterSeconds: 60, channels: ['pager'] }, { afterSeconds: 60, channels: [] }, { afterSeconds: 0, channels: ['email'] }]) {
        const refused = await call('POST', '/v1/message-types', { code: `bad.${Math.random().toString(36).slice(2, 8)}`, name: 'Bad', policies: { escalation: { steps: [step] } } });
        assert.equal(refused.statusCode, 400, `${JSON.stringify(step)}: ${refused.body}`);
      }
      const unknownGroup = await call('POST', '/v1/message-types', { code: 'bad.group', name: 'Bad', policies: { escalation: { steps: [{ afterSeconds: 60, channels: ['email'], to: [{ group: 'nobody' }] }] } } });
      assert.equal(unknownGroup.statusCode, 422, unknownGroup.body);
      assert.equal(unknownGroup.json().code, 'RECEIVER_GROUP_NOT_FOUND');
    });
  });
}

for (const dialect of testDialects) {
  describe(`{{ ack_url }} without HERALD_PUBLIC_URL on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    before(async () => {
      herald = await createTestHerald(dialect, { clock: new ManualClock(T0) });
      app = await createAppWithKey(herald, 'no-public-url');
      const account = await signedInject(herald, app, { method: 'POST', url: '/v1/channel-accounts', body: { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/unused' } } });
      assert.equal(account.statusCode, 201, account.body);
    });
    after(() => herald.close());

    test('a send whose content uses ack_url is refused at once (422 naming it): there is no public URL to link to', async () => {
      const send = (body: string) => signedInject(herald, app, { method: 'POST', url: '/v1/messages', body: { to: [{ channelAccount: 'hooks' }], channels: ['webhook'], content: { body } } });
      const refused = await send('Acknowledge: {{ ack_url }}');
      assert.equal(refused.statusCode, 422, refused.body);
      assert.match(refused.body, /ack_url/);
      assert.equal((await send('No link here')).statusCode, 202);
    });
  });
}

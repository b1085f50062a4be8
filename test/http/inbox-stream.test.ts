import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createHerald, type Herald } from '../../src/herald.ts';
import { createLogger } from '../../src/logger.ts';
import { subscriberHash } from '../../src/security/subscriber-credentials.ts';
import { openEventStream, type EventStreamClient } from '../support/event-stream-client.ts';
import { createAppWithKey, createTestHerald, LogCapture, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

const originOf = (herald: Herald) => `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;

for (const dialect of testDialects) {
  describe(`inbox live stream on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let secret: string;
    const streams: EventStreamClient[] = [];

    const signed = async (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => {
      const response = await signedInject(herald, app, { method, url, body });
      assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const streamUrl = (origin: string, subscriberId: string, extra = '') =>
      `${origin}/inbox/v1/stream?app=${app.appId}&subscriber=${subscriberId}&subscriberHash=${subscriberHash(secret, subscriberId)}${extra}`;
    const open = async (subscriberId: string, extra = '', headers: Record<string, string> = {}, origin = originOf(herald)) => {
      const stream = await openEventStream(streamUrl(origin, subscriberId, extra), headers);
      streams.push(stream);
      return stream;
    };
    const send = (subscriberId: string, title: string) => signed('POST', '/v1/messages', { to: [subscriberId], channels: ['inbox'], content: { title, body: `**${title}**`, format: 'markdown' } });
    const counts = (event: { data: string }) => JSON.parse(event.data) as { unread: number; byCategory: Record<string, number> };

    before(async () => {
      herald = await createTestHerald(dialect, { roles: ['api', 'worker'] });
      await herald.start();
      app = await createAppWithKey(herald);
      secret = await herald.services.apps.inboxSecret(app.appId);
      await signed('POST', '/v1/channel-accounts', { type: 'inbox', name: 'inbox', config: {} });
      for (const externalId of ['ada', 'bob', 'cy', 'dee']) await signed('POST', '/v1/subscribers', { externalId });
      // The first send of a process starts its render threads: not what the live latency is about.
      const warmUp = await send('dee', 'Warm-up');
      await waitFor(async () => (await signed('GET', `/v1/messages/${warmUp.id}`)).status === 'completed', { what: 'the warm-up sent' });
    });
    after(async () => {
      for (const stream of streams) stream.close();
      await herald.close();
    });

    test('opens with the counts; a message sent through the API arrives as an item, then the counts; nobody else hears it', async () => {
      const ada = await open('ada');
      const bob = await open('bob');
      assert.equal(ada.status, 200);
      assert.match(String(ada.headers['content-type']), /^text\/event-stream/);
      assert.deepEqual(counts(await ada.next((event) => event.event === 'counts', 'the first counts')), { unread: 0, byCategory: {} });
      const sentAt = performance.now();
      await send('ada', 'Order paid');
      const item = await ada.next((event) => event.event === 'item', 'the item');
      const latencyMs = performance.now() - sentAt;
      const entry = JSON.parse(item.data);
      assert.equal(entry.title, 'Order paid');
      assert.equal(entry.bodyHtml, '<p><strong>Order paid</strong></p>');
      assert.equal(item.id, entry.id);
      assert.ok(latencyMs < 1_000, `the item arrived ${Math.round(latencyMs)} ms after the send`);
      const after = ada.events.indexOf(item);
      assert.equal(counts(await ada.next((event) => event.event === 'counts', 'the counts after the item', after)).unread, 1);
      await bob.next((event) => event.event === 'counts', "bob's first counts");
      assert.equal(bob.events.filter((event) => event.event === 'item').length, 0, 'another subscriber hears nothing of it');
    });

    test("marking read in one tab updates the subscriber's other tabs: changed, then the counts", async () => {
      const tab = await open('cy');
      await tab.next((event) => event.event === 'counts', 'the first counts');
      await send('cy', 'Read me');
      const itemEvent = await tab.next((event) => event.event === 'item', 'the item');
      const item = JSON.parse(itemEvent.data);
      await tab.next((event) => event.event === 'counts', 'the counts after the item', tab.events.indexOf(itemEvent));
      const from = tab.events.length;
      const read = await herald.server!.inject({ method: 'POST', url: `/inbox/v1/items/${item.id}/read?app=${app.appId}`, headers: { 'x-herald-subscriber': 'cy', 'x-herald-subscriber-hash': subscriberHash(secret, 'cy') } });
      assert.equal(read.statusCode, 200);
      assert.deepEqual(JSON.parse((await tab.next((event) => event.event === 'changed', 'changed', from)).data), { ids: [item.id] });
      assert.equal(counts(await tab.next((event) => event.event === 'counts', 'counts after the read', from)).unread, 0);
    });

    test('an announcement reaches every stream of the app; a scheduled one arrives when it is published', async () => {
      const [ada, dee] = [await open('ada'), await open('dee')];
      await Promise.all([ada, dee].map((stream) => stream.next((event) => event.event === 'counts', 'the first counts')));
      const now = await signed('POST', '/v1/announcements', { title: 'Maintenance', audience: { all: true } });
      for (const stream of [ada, dee]) assert.equal(JSON.parse((await stream.next((event) => event.event === 'item' && event.id === now.id, 'the announcement')).data).kind, 'announcement');
      const publishAt = new Date(Date.now() + 400).toISOString();
      const later = await signed('POST', '/v1/announcements', { title: 'Scheduled', audience: { all: true }, publishAt });
      const item = await dee.next((event) => event.event === 'item' && event.id === later.id, 'the scheduled announcement', 0, 3_000);
      assert.ok(Date.now() >= Date.parse(publishAt), 'not before its time');
      assert.equal(JSON.parse(item.data).title, 'Scheduled');
    });

    test('an announcement to a tag reaches only the streams of subscribers with it, each with its own counts', async () => {
      await signed('POST', '/v1/subscribers', { externalId: 'vip-1', tags: ['vip'] });
      await signed('POST', '/v1/subscribers', { externalId: 'plain-1' });
      const [vip, plain] = [await open('vip-1'), await open('plain-1')];
      const before = await Promise.all([vip, plain].map(async (stream) => counts(await stream.next((event) => event.event === 'counts', 'the first counts')).unread));
      const from = [vip.events.length, plain.events.length];
      const offer = await signed('POST', '/v1/announcements', { title: 'VIP offer', category: 'offers', audience: { tags: ['vip'] } });
      assert.equal(JSON.parse((await vip.next((event) => event.event === 'item', 'the offer', from[0])).data).id, offer.id);
      assert.deepEqual(counts(await vip.next((event) => event.event === 'counts', 'counts with the offer', from[0])).unread, before[0]! + 1);
      assert.deepEqual(JSON.parse((await plain.next((event) => event.event === 'changed', 'not for plain', from[1])).data), { ids: [offer.id] });
      assert.equal(counts(await plain.next((event) => event.event === 'counts', "plain's counts", from[1])).unread, before[1]);
      assert.equal(plain.events.slice(from[1]).filter((event) => event.event === 'item').length, 0);
    });

    test('resuming with Last-Event-ID sends what was missed, oldest first; an unknown id asks for a refetch', async () => {
      const first = await open('bob');
      await first.next((event) => event.event === 'counts', 'the first counts');
      await send('bob', 'Seen');
      const seen = await first.next((event) => event.event === 'item', 'the seen item');
      first.close();
      await send('bob', 'Missed 1');
      await send('bob', 'Missed 2');
      // Both are stored before the client comes back.
      const stored = async () => (await herald.context.database.db.selectFrom('inbox_items').select('title').where('subscriber_id', '=', 'bob').execute()).length;
      await waitFor(async () => (await stored()) >= 3, { what: 'the missed items stored' });
      const resumed = await open('bob', '', { 'last-event-id': seen.id! });
      await resumed.next((event) => event.event === 'counts', 'the counts after the resume');
      // A live event of an item stored just before the resume may repeat it; clients upsert by id.
      const entries = [...new Map(resumed.events.filter((event) => event.event === 'item').map((event) => [event.id, JSON.parse(event.data)])).values()];
      // Announcements of the earlier test are within the resume overlap: sent again, which clients take as upserts.
      assert.deepEqual(entries.filter((entry) => entry.kind === 'message').map((entry) => entry.title), ['Missed 1', 'Missed 2']);
      const unknown = await open('bob', '&lastEventId=not-an-id');
      await unknown.next((event) => event.event === 'reset', 'a reset');
    });

    test('no stream without the subscriber proof; the credentials never reach the request log', async () => {
      const refused = await openEventStream(`${originOf(herald)}/inbox/v1/stream?app=${app.appId}&subscriber=ada&subscriberHash=${'0'.repeat(64)}`);
      streams.push(refused);
      assert.equal(refused.status, 401);
      const hash = subscriberHash(secret, 'ada');
      await open('ada');
      assert.ok(!herald.logs.text.includes(hash), 'the hash is not logged');
    });

    test('closing Herald ends its streams (stop does not wait for them)', async () => {
      const other = await createTestHerald(dialect, { roles: ['api'] });
      await other.start();
      const otherApp = await createAppWithKey(other);
      const otherSecret = await other.services.apps.inboxSecret(otherApp.appId);
      const stream = await openEventStream(`${originOf(other)}/inbox/v1/stream?app=${otherApp.appId}&subscriber=x&subscriberHash=${subscriberHash(otherSecret, 'x')}`);
      await stream.next((event) => event.event === 'counts', 'the first counts');
      await other.close();
      await stream.ended;
    });

    if (dialect === 'postgres') {
      test('an item sent through one Herald process reaches a stream held by another (LISTEN/NOTIFY)', async () => {
        const second = await createHerald(herald.config, { roles: ['api'], logger: createLogger('warn', new LogCapture()) });
        await second.start();
        try {
          const stream = await open('dee', '', {}, originOf(second));
          await stream.next((event) => event.event === 'counts', 'the first counts');
          await send('dee', 'Across processes');
          const item = await stream.next((event) => event.event === 'item' && JSON.parse(event.data).title === 'Across processes', 'the item through NOTIFY');
          assert.ok(item.id);
        } finally {
          await second.stop();
        }
      });
    }
  });
}

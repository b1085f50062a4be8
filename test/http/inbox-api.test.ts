import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { publishInboxChange, subscribeToInboxChanges, type InboxChange } from '../../src/deliveries/inbox-notifications.ts';
import { newId } from '../../src/ids.ts';
import type { AnnouncementsTable, InboxItemsTable } from '../../src/storage/schema.ts';
import { mintInboxToken, subscriberHash } from '../../src/security/subscriber-credentials.ts';
import { seedChannelAccount, seedMessages } from '../support/seed-deliveries.ts';
import { createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

const SHOP = 'https://shop.example.com';
const HOUR = 3_600_000;

for (const dialect of testDialects) {
  describe(`inbox API on ${dialect}`, () => {
    const clock = new ManualClock();
    let herald: TestHerald;
    let app: AppCredentials;
    let other: AppCredentials;
    let secret: string;

    const db = () => herald.context.database.db;
    const as = (subscriberId: string) => ({ 'x-herald-subscriber': subscriberId, 'x-herald-subscriber-hash': subscriberHash(secret, subscriberId) });
    const call = (subscriberId: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
      herald.server!.inject({ method, url: `/inbox/v1${url}${url.includes('?') ? '&' : '?'}app=${app.appId}`, headers: as(subscriberId), ...(body === undefined ? {} : { payload: body as object }) });

    async function item(subscriberId: string, fields: Partial<InboxItemsTable> = {}): Promise<InboxItemsTable> {
      const now = clock.now();
      const row: InboxItemsTable = {
        id: newId('inb', now),
        app_id: app.appId,
        subscriber_id: subscriberId,
        delivery_id: null,
        message_id: null,
        title: 'Order paid',
        summary: null,
        body_html: '<p>Paid</p>',
        link: null,
        category: 'orders',
        severity: 'info',
        actions: '[]',
        data: '{}',
        valid_from: now,
        valid_until: null,
        created_at: now,
        read_at: null,
        archived_at: null,
        ...fields,
      };
      await db().insertInto('inbox_items').values(row).execute();
      return row;
    }

    async function announcement(fields: Partial<AnnouncementsTable> = {}): Promise<AnnouncementsTable> {
      const now = clock.now();
      const row: AnnouncementsTable = {
        id: newId('ann', now),
        app_id: app.appId,
        audience: JSON.stringify({ all: true }),
        title: 'Maintenance tonight',
        summary: null,
        body_markdown: null,
        body_html: null,
        link: null,
        category: null,
        severity: 'warning',
        actions: '[]',
        data: '{}',
        publish_at: now,
        expires_at: null,
        withdrawn_at: null,
        created_at: now,
        updated_at: now,
        ...fields,
      };
      await db().insertInto('announcements').values(row).execute();
      herald.services.announcementFeed.forget(app.appId);
      return row;
    }

    const ids = async (subscriberId: string, query = '') => {
      const response = await call(subscriberId, 'GET', `/items${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return (response.json().items as Array<{ id: string }>).map((entry) => entry.id);
    };

    before(async () => {
      herald = await createTestHerald(dialect, { clock });
      app = await createAppWithKey(herald);
      other = await createAppWithKey(herald);
      await herald.services.apps.update(app.appId, { settings: { inbox: { allowedOrigins: [SHOP, 'http://localhost:5173'] } } });
      secret = await herald.services.apps.inboxSecret(app.appId);
    });
    after(() => herald.close());

    test('requests without a valid proof are 401 with a code naming the problem', async () => {
      const url = `/inbox/v1/counts?app=${app.appId}`;
      const cases: Array<[string, Record<string, string>, string]> = [
        ['no proof', { 'x-herald-subscriber': 'u1' }, 'INBOX_AUTH_MISSING'],
        ['wrong hash', { 'x-herald-subscriber': 'u1', 'x-herald-subscriber-hash': subscriberHash(secret, 'u2') }, 'INBOX_HASH_INVALID'],
        ['token of another subscriber', { 'x-herald-subscriber': 'u1', authorization: `Bearer ${mintInboxToken(secret, { appId: app.appId, subscriberId: 'u2', expiresAtMs: clock.now() + HOUR })}` }, 'INBOX_TOKEN_INVALID'],
        ['token of another app', { authorization: `Bearer ${mintInboxToken(await herald.services.apps.inboxSecret(other.appId), { appId: other.appId, subscriberId: 'u1', expiresAtMs: clock.now() + HOUR })}` }, 'INBOX_TOKEN_INVALID'],
        ['expired token', { authorization: `Bearer ${mintInboxToken(secret, { appId: app.appId, subscriberId: 'u1', expiresAtMs: clock.now() - 1 })}` }, 'INBOX_TOKEN_EXPIRED'],
        ['SigV4 is not an inbox proof', { authorization: 'AWS4-HMAC-SHA256 Credential=x', 'x-herald-subscriber': 'u1' }, 'INBOX_AUTH_MISSING'],
      ];
      for (const [what, headers, code] of cases) {
        const response = await herald.server!.inject({ method: 'GET', url, headers });
        assert.equal(response.statusCode, 401, what);
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
        assert.equal(response.json().code, code, what);
      }
      const unknownApp = await herald.server!.inject({ method: 'GET', url: '/inbox/v1/counts?app=app_nope', headers: as('u1') });
      assert.equal(unknownApp.statusCode, 401);
      assert.equal(unknownApp.json().code, 'INBOX_APP_UNKNOWN');
      const otherSecret = await herald.services.apps.inboxSecret(other.appId);
      const otherHeaders = { 'x-herald-subscriber': 'u1', 'x-herald-subscriber-hash': subscriberHash(otherSecret, 'u1') };
      assert.equal((await herald.server!.inject({ method: 'GET', url: `/inbox/v1/counts?app=${other.appId}`, headers: otherHeaders })).statusCode, 200);
      await herald.services.apps.update(other.appId, { status: 'disabled' });
      const disabled = await herald.server!.inject({ method: 'GET', url: `/inbox/v1/counts?app=${other.appId}`, headers: otherHeaders });
      assert.equal(disabled.json().code, 'INBOX_APP_UNKNOWN', 'a disabled app is refused like an unknown one');
      await herald.services.apps.update(other.appId, { status: 'active' });
      const signed = await signedInject(herald, app, { method: 'GET', url: `/inbox/v1/counts?app=${app.appId}` });
      assert.equal(signed.statusCode, 401, 'an access key signature does not open the inbox API');
    });

    test('a hash, a token (header or query) and the app name all authenticate', async () => {
      const token = (await herald.services.apps.mintInboxToken(app.appId, 'u1', 600)).token;
      for (const request of [
        { url: `/inbox/v1/counts?app=${app.appName}`, headers: as('u1') },
        { url: `/inbox/v1/counts?app=${app.appId}&subscriber=u1&subscriberHash=${subscriberHash(secret, 'u1')}`, headers: {} },
        { url: `/inbox/v1/counts?app=${app.appId}`, headers: { authorization: `Bearer ${token}` } },
        { url: `/inbox/v1/counts?app=${app.appId}&token=${token}`, headers: {} },
      ]) {
        const response = await herald.server!.inject({ method: 'GET', ...request });
        assert.equal(response.statusCode, 200, `${request.url}: ${response.body}`);
      }
      assert.match(herald.logs.text, /token=\[redacted\]/, 'the request was logged');
      assert.equal(herald.logs.text.includes(token), false, 'tokens never reach the logs');
      assert.equal(herald.logs.text.includes(subscriberHash(secret, 'u1')), false, 'hashes never reach the logs');
    });

    test('CORS: an allowed origin gets the grant, another origin none; preflights need no proof', async () => {
      const allowed = await herald.server!.inject({ method: 'GET', url: `/inbox/v1/counts?app=${app.appId}`, headers: { ...as('u1'), origin: SHOP } });
      assert.equal(allowed.headers['access-control-allow-origin'], SHOP);
      assert.match(String(allowed.headers.vary), /Origin/);
      const refused = await herald.server!.inject({ method: 'GET', url: `/inbox/v1/counts?app=${app.appId}`, headers: { origin: SHOP } });
      assert.equal(refused.statusCode, 401);
      assert.equal(refused.headers['access-control-allow-origin'], SHOP, 'the widget can read why it was refused');
      const evil = await herald.server!.inject({ method: 'GET', url: `/inbox/v1/counts?app=${app.appId}`, headers: { ...as('u1'), origin: 'https://evil.example.com' } });
      assert.equal(evil.statusCode, 200);
      assert.deepEqual(Object.keys(evil.headers).filter((name) => name.startsWith('access-control-')), []);

      const preflight = await herald.server!.inject({ method: 'OPTIONS', url: `/inbox/v1/items/inb_x/read?app=${app.appId}`, headers: { origin: SHOP, 'access-control-request-method': 'POST' } });
      assert.equal(preflight.statusCode, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], SHOP);
      assert.equal(preflight.headers['access-control-allow-methods'], 'GET, POST, PUT, DELETE');
      assert.match(String(preflight.headers['access-control-allow-headers']), /x-herald-subscriber-hash/);
      const evilPreflight = await herald.server!.inject({ method: 'OPTIONS', url: `/inbox/v1/items?app=${app.appId}`, headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'GET' } });
      assert.equal(evilPreflight.statusCode, 204);
      assert.deepEqual(Object.keys(evilPreflight.headers).filter((name) => name.startsWith('access-control-')), []);
      const otherAppPreflight = await herald.server!.inject({ method: 'OPTIONS', url: `/inbox/v1/items?app=${other.appId}`, headers: { origin: SHOP, 'access-control-request-method': 'GET' } });
      assert.equal(otherAppPreflight.headers['access-control-allow-origin'], undefined, 'origins are per app');
    });

    test('allowed origins must be exact http(s) origins', async () => {
      for (const origin of ['https://shop.example.com/', 'ftp://shop.example.com', 'https://shop.example.com/path', 'shop.example.com', 'HTTPS://Shop.example.com']) {
        await assert.rejects(herald.services.apps.update(app.appId, { settings: { inbox: { allowedOrigins: [origin] } } }), { code: 'APP_INBOX_ORIGIN_INVALID' }, origin);
      }
      const view = await herald.services.apps.get(app.appId);
      assert.deepEqual(view.settings.inbox?.allowedOrigins, [SHOP, 'http://localhost:5173']);
      assert.equal(JSON.stringify(view).includes(secret), false, 'the inbox secret is not in the app view');
    });

    test('one subscriber never reaches another subscriber\'s items', async () => {
      const mine = await item('alice');
      assert.deepEqual(await ids('bob'), []);
      for (const [method, url] of [['POST', `/items/${mine.id}/read`], ['POST', `/items/${mine.id}/archive`], ['DELETE', `/items/${mine.id}`]] as const) {
        const response = await call('bob', method, url);
        assert.equal(response.statusCode, 404, `${method} ${url}`);
        assert.equal(response.json().code, 'INBOX_ITEM_NOT_FOUND');
      }
      assert.deepEqual(await ids('alice'), [mine.id]);
      assert.equal((await db().selectFrom('inbox_items').select('read_at').where('id', '=', mine.id).executeTakeFirstOrThrow()).read_at, null);
    });

    test('list merges items and announcements newest first, filters and pages with a cursor', async () => {
      const s = 'carol';
      const first = await item(s, { category: 'orders' });
      clock.advance(1000);
      const news = await announcement({ category: 'news' });
      clock.advance(1000);
      const second = await item(s, { category: null });
      clock.advance(1000);
      await announcement({ publish_at: clock.now() + HOUR });
      await announcement({ expires_at: clock.now() - 1, publish_at: clock.now() - HOUR });
      await announcement({ withdrawn_at: clock.now() });
      await item(s, { valid_from: clock.now() + HOUR });
      await item(s, { valid_from: clock.now() - HOUR, valid_until: clock.now() });

      assert.deepEqual(await ids(s), [second.id, news.id, first.id], 'scheduled, expired and withdrawn entries stay hidden');
      const page1 = (await call(s, 'GET', '/items?limit=2')).json();
      assert.deepEqual(page1.items.map((entry: { id: string }) => entry.id), [second.id, news.id]);
      const page2 = (await call(s, 'GET', `/items?limit=2&cursor=${page1.nextCursor}`)).json();
      assert.deepEqual(page2.items.map((entry: { id: string }) => entry.id), [first.id]);
      assert.equal(page2.nextCursor, null);
      const bad = await call(s, 'GET', '/items?cursor=nonsense');
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().code, 'INVALID_CURSOR');

      assert.deepEqual(await ids(s, '?category=news'), [news.id]);
      assert.deepEqual(await ids(s, '?category='), [second.id], 'the empty category is the one of entries without one');
      const entry = page1.items[1];
      assert.equal(entry.kind, 'announcement');
      assert.equal(entry.createdAt, new Date(news.publish_at).toISOString());

      const counts = (await call(s, 'GET', '/counts')).json();
      assert.deepEqual(counts, { unread: 3, byCategory: { orders: 1, news: 1, '': 1 } });

      assert.equal((await call(s, 'POST', `/items/${news.id}/read`)).json().readAt, new Date(clock.now()).toISOString());
      assert.equal((await call(s, 'POST', `/items/${first.id}/archive`)).statusCode, 200);
      assert.deepEqual(await ids(s, '?unread=true'), [second.id]);
      assert.deepEqual(await ids(s, '?unread=false'), [news.id]);
      assert.deepEqual(await ids(s, '?archived=true'), [first.id]);
      assert.deepEqual((await call(s, 'GET', '/counts')).json(), { unread: 1, byCategory: { '': 1 } });
      assert.equal((await call(s, 'POST', `/items/${news.id}/unread`)).json().readAt, null);
      assert.equal((await call(s, 'DELETE', `/items/${news.id}`)).statusCode, 204);
      assert.equal((await call(s, 'DELETE', `/items/${second.id}`)).statusCode, 204);
      assert.deepEqual(await ids(s), []);
      assert.deepEqual(await ids('dave'), [news.id], 'deleting an announcement hides it for that subscriber only');
    });

    test('announcement audiences: tags and groups; unknown subscribers see only announcements for all', async () => {
      await signedInject(herald, app, { method: 'POST', url: '/v1/subscribers', body: { externalId: 'vip-1', tags: ['vip', 'cn'] } });
      await signedInject(herald, app, { method: 'POST', url: '/v1/subscribers', body: { externalId: 'plain-1' } });
      await signedInject(herald, app, { method: 'POST', url: '/v1/receiver-groups', body: { name: 'ops', members: ['plain-1'] } });
      await signedInject(herald, app, { method: 'POST', url: '/v1/receiver-groups', body: { name: 'china', tagFilter: ['cn'] } });
      const forVip = await announcement({ audience: JSON.stringify({ tags: ['vip'] }) });
      const forOps = await announcement({ audience: JSON.stringify({ group: 'ops' }) });
      const forChina = await announcement({ audience: JSON.stringify({ group: 'china' }) });
      clock.advance(10_000);
      const has = async (subscriberId: string) => (await ids(subscriberId)).filter((id) => [forVip.id, forOps.id, forChina.id].includes(id)).sort();
      assert.deepEqual(await has('vip-1'), [forVip.id, forChina.id].sort());
      assert.deepEqual(await has('plain-1'), [forOps.id]);
      assert.deepEqual(await has('stranger'), []);
      const hidden = await call('stranger', 'POST', `/items/${forVip.id}/read`);
      assert.equal(hidden.statusCode, 404);
    });

    test('read-all marks items and visible announcements read, optionally of one category', async () => {
      const s = 'erin';
      await item(s, { category: 'orders' });
      await item(s, { category: 'billing' });
      const counts = (await call(s, 'POST', '/items/read-all', { category: 'orders' })).json();
      assert.equal(counts.byCategory.orders, undefined);
      assert.equal(counts.byCategory.billing, 1);
      const all = (await call(s, 'POST', '/items/read-all', {})).json();
      assert.deepEqual(all, { unread: 0, byCategory: {} });
      const states = await db().selectFrom('announcement_states').select('read_at').where('app_id', '=', app.appId).where('subscriber_id', '=', s).execute();
      assert.ok(states.length > 0 && states.every((state) => state.read_at !== null));
    });

    test('reading an item a delivery wrote acknowledges the delivery and moves it to read', async () => {
      const accountId = await seedChannelAccount(herald.context.database, herald.context.cryptoBox, { appId: app.appId, type: 'webhook', channel: 'webhook', config: { url: 'http://127.0.0.1:9/hook' } });
      const { messageIds, deliveryIds } = await seedMessages(herald.context.database, { appId: app.appId, channelAccountId: accountId, channel: 'webhook', nowMs: clock.now() });
      await db().updateTable('deliveries').set({ status: 'sent' }).where('id', '=', deliveryIds[0]!).execute();
      const row = await item('frank', { delivery_id: deliveryIds[0]!, message_id: messageIds[0]! });
      const firstRead = (await call('frank', 'POST', `/items/${row.id}/read`)).json().readAt;
      clock.advance(1000);
      assert.equal((await call('frank', 'POST', `/items/${row.id}/read`)).json().readAt, firstRead, 'reading again keeps the first read time');
      const acknowledgements = await db().selectFrom('acknowledgements').selectAll().where('delivery_id', '=', deliveryIds[0]!).execute();
      assert.equal(acknowledgements.length, 1);
      assert.equal(acknowledgements[0]!.via, 'inbox');
      assert.equal((await db().selectFrom('deliveries').select('status').where('id', '=', deliveryIds[0]!).executeTakeFirstOrThrow()).status, 'read');
      const events = await db().selectFrom('events').select('type').where('delivery_id', '=', deliveryIds[0]!).execute();
      assert.equal(events.filter((event) => event.type === 'acknowledged').length, 1);
      assert.equal(events.filter((event) => event.type === 'read').length, 1);
    });

    test('preferences: the subscriber reads and replaces their own; an unknown subscriber is a 404', async () => {
      assert.equal((await signedInject(herald, app, { method: 'POST', url: '/v1/subscribers', body: { externalId: 'gina' } })).statusCode, 201);
      assert.deepEqual((await call('gina', 'GET', '/preferences')).json(), {});
      const put = await call('gina', 'PUT', '/preferences', { channels: { email: false } });
      assert.equal(put.statusCode, 200, put.body);
      assert.deepEqual((await signedInject(herald, app, { method: 'GET', url: '/v1/subscribers/gina/preferences' })).json(), { channels: { email: false } });
      const unknown = await call('nobody', 'GET', '/preferences');
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().code, 'SUBSCRIBER_NOT_FOUND');
    });

    test('marks publish a states change; an announcements change drops the cached feed; the next change time is known', async () => {
      const changes: InboxChange[] = [];
      const unsubscribe = subscribeToInboxChanges(herald.context.notifications, (change) => changes.push(change));
      try {
        const row = await item('hank');
        await call('hank', 'POST', `/items/${row.id}/archive`);
        await waitFor(() => changes.some((change) => change.kind === 'states' && change.subscriberId === 'hank' && change.ids.includes(row.id)), { what: 'a states change' });

        const now = clock.now();
        const late = await announcement({ publish_at: now + 5_000 });
        await ids('hank');
        const fresh = newId('ann', now);
        await db().insertInto('announcements').values({ ...late, id: fresh, publish_at: now - 1, expires_at: now + 7_000 }).execute();
        assert.equal((await ids('hank')).includes(fresh), false, 'the feed is cached');
        publishInboxChange(herald.context.notifications, { kind: 'announcements', appId: app.appId, ids: [fresh] });
        await waitFor(async () => (await ids('hank')).includes(fresh), { what: 'the new announcement after the change' });
        assert.deepEqual(await herald.services.announcementFeed.nextChange(app.appId), { atMs: now + 5_000, ids: [late.id] });
        clock.advance(5_000);
        assert.ok((await ids('hank')).includes(late.id), 'a scheduled announcement shows once due, without a cache drop');
        assert.deepEqual(await herald.services.announcementFeed.nextChange(app.appId), { atMs: now + 7_000, ids: [fresh] });
      } finally {
        unsubscribe();
      }
    });

    test('an app created before the inbox gets its inbox secret on first use', async () => {
      const old = await createAppWithKey(herald);
      await db().updateTable('apps').set({ inbox_secret_enc: null }).where('id', '=', old.appId).execute();
      const created = await herald.services.apps.inboxSecret(old.appId);
      assert.equal(await herald.services.apps.inboxSecret(old.appId), created);
      const stored = await db().selectFrom('apps').select('inbox_secret_enc').where('id', '=', old.appId).executeTakeFirstOrThrow();
      assert.notEqual(stored.inbox_secret_enc, null);
      assert.equal(stored.inbox_secret_enc!.includes(created), false, 'stored encrypted');
    });

    test('the inbox secret can be read, rotated and used to mint tokens through the signed API', async () => {
      const read = await signedInject(herald, other, { method: 'GET', url: `/v1/apps/${other.appId}/inbox-secret` });
      assert.equal(read.statusCode, 200);
      const rotated = await signedInject(herald, other, { method: 'POST', url: `/v1/apps/${other.appId}/inbox-secret/rotate` });
      assert.notEqual(rotated.json().inboxSecret, read.json().inboxSecret);
      const minted = await signedInject(herald, other, { method: 'POST', url: `/v1/apps/${other.appId}/inbox-tokens`, body: { subscriberId: 'u9', ttlSeconds: 600 } });
      assert.equal(minted.statusCode, 200, minted.body);
      assert.equal(minted.json().expiresAt, new Date(clock.now() + 600_000).toISOString());
      const used = await herald.server!.inject({ method: 'GET', url: `/inbox/v1/counts?app=${other.appId}&token=${minted.json().token}` });
      assert.equal(used.statusCode, 200, used.body);
      const otherApp = await signedInject(herald, other, { method: 'GET', url: `/v1/apps/${app.appId}/inbox-secret` });
      assert.equal(otherApp.statusCode, 403);
    });
  });
}

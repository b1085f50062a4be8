import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { subscribeToInboxChanges, type InboxChange } from '../../src/deliveries/inbox-notifications.ts';
import { consoleSession, createAppWithKey, createTestHerald, ManualClock, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

/** The announcement admin API: stored once, status read from the injected clock, edits and withdrawal announced as inbox changes. */

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
const HOUR = 3_600_000;
const EVERYONE = { all: true };

for (const dialect of testDialects) {
  describe(`the announcement API on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    const clock = new ManualClock(T0);
    const changes: InboxChange[] = [];
    let unsubscribe: () => void;
    const call = (method: string, url: string, body?: unknown, credentials = app) => signedInject(herald, credentials, { method, url, body });
    const create = async (body: Record<string, unknown>) => {
      const response = await call('POST', '/v1/announcements', body);
      assert.equal(response.statusCode, 201, response.body);
      return response.json();
    };
    const rowCounts = async () => ({
      announcements: Number((await herald.context.database.db.selectFrom('announcements').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      states: Number((await herald.context.database.db.selectFrom('announcement_states').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      items: Number((await herald.context.database.db.selectFrom('inbox_items').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    });

    before(async () => {
      herald = await createTestHerald(dialect, { clock });
      app = await createAppWithKey(herald, 'announcer');
      unsubscribe = subscribeToInboxChanges(herald.context.notifications, (change) => changes.push(change));
    });
    after(async () => {
      unsubscribe();
      await herald.close();
    });

    test('create, get, list, edit and withdraw; each change is published as an inbox change naming the id', async () => {
      const created = await create({
        title: 'Maintenance tonight',
        summary: 'Checkout pauses for 10 minutes',
        body: 'From **22:00** to 22:10.',
        link: 'https://status.example.com',
        category: 'ops',
        severity: 'warning',
        actions: [{ label: 'Details', url: 'https://status.example.com/42' }],
        data: { incident: 42 },
        audience: EVERYONE,
      });
      assert.match(created.id, /^ann_/);
      assert.equal(created.status, 'live', 'without publishAt it is live at once');
      assert.equal(created.publishAt, at(0));
      assert.equal(created.expiresAt, null);
      assert.equal(created.body, 'From **22:00** to 22:10.');
      assert.equal(created.bodyHtml, '<p>From <strong>22:00</strong> to 22:10.</p>');
      assert.deepEqual(created.actions, [{ label: 'Details', url: 'https://status.example.com/42' }]);
      assert.deepEqual(created.data, { incident: 42 });
      assert.deepEqual(created.audience, EVERYONE);
      await waitFor(() => changes.some((change) => change.kind === 'announcements' && change.appId === app.appId && change.ids[0] === created.id), { what: 'the create change' });

      assert.deepEqual((await call('GET', `/v1/announcements/${created.id}`)).json(), created);

      const changesBefore = changes.length;
      const edited = await call('PATCH', `/v1/announcements/${created.id}`, { title: 'Maintenance moved', body: null, category: null, audience: { tags: ['vip', 'vip', 'beta'] } });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.equal(edited.json().title, 'Maintenance moved');
      assert.equal(edited.json().body, null);
      assert.equal(edited.json().bodyHtml, null);
      assert.equal(edited.json().category, null);
      assert.equal(edited.json().summary, 'Checkout pauses for 10 minutes', 'fields not given stay');
      assert.deepEqual(edited.json().audience, { tags: ['vip', 'beta'] });
      await waitFor(() => changes.length > changesBefore, { what: 'the edit change' });
      assert.deepEqual(changes.at(-1), { kind: 'announcements', appId: app.appId, ids: [created.id] });

      clock.advance(1000);
      const withdrawn = await call('POST', `/v1/announcements/${created.id}/withdraw`);
      assert.equal(withdrawn.statusCode, 200, withdrawn.body);
      assert.equal(withdrawn.json().status, 'withdrawn');
      assert.equal(withdrawn.json().withdrawnAt, at(1000));
      await waitFor(() => changes.length > changesBefore + 1, { what: 'the withdraw change' });
      clock.advance(1000);
      const again = await call('POST', `/v1/announcements/${created.id}/withdraw`);
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().withdrawnAt, at(1000), 'withdrawing again changes nothing');

      const refused = await call('PATCH', `/v1/announcements/${created.id}`, { title: 'Back again' });
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().code, 'ANNOUNCEMENT_WITHDRAWN');
      assert.equal((await call('GET', `/v1/announcements/${created.id}`)).json().title, 'Maintenance moved');
      clock.set(T0);
    });

    test('the status follows the clock: scheduled, live, expired; withdrawn wins over all; the list filters by it', async () => {
      const own = await createAppWithKey(herald, 'status-app');
      const post = async (body: Record<string, unknown>) => (await call('POST', '/v1/announcements', { audience: EVERYONE, ...body }, own)).json();
      const list = async (status?: string) =>
        (await call('GET', `/v1/announcements${status ? `?status=${status}` : ''}`, undefined, own)).json().items.map((item: { title: string }) => item.title);
      const soon = await post({ title: 'soon', publishAt: at(HOUR), expiresAt: at(2 * HOUR) });
      await post({ title: 'now', expiresAt: at(HOUR + HOUR / 2) });
      const gone = await post({ title: 'gone', publishAt: at(-HOUR) });
      await call('POST', `/v1/announcements/${gone.id}/withdraw`, undefined, own);
      assert.equal(soon.status, 'scheduled');
      assert.deepEqual(await list(), ['gone', 'now', 'soon'], 'newest first');
      assert.deepEqual(await list('scheduled'), ['soon']);
      assert.deepEqual(await list('live'), ['now']);
      assert.deepEqual(await list('withdrawn'), ['gone']);

      clock.set(T0 + HOUR);
      assert.equal((await call('GET', `/v1/announcements/${soon.id}`, undefined, own)).json().status, 'live', 'publishAt reached');
      assert.deepEqual(await list('live'), ['now', 'soon']);
      assert.deepEqual(await list('scheduled'), []);

      clock.set(T0 + 2 * HOUR);
      assert.equal((await call('GET', `/v1/announcements/${soon.id}`, undefined, own)).json().status, 'expired', 'expiresAt reached');
      assert.deepEqual(await list('expired'), ['now', 'soon']);
      assert.deepEqual(await list('live'), []);
      assert.deepEqual(await list('withdrawn'), ['gone'], 'withdrawn before it could expire, still withdrawn');
      clock.set(T0);
    });

    test('pages newest first through nextCursor; a cursor that is no announcement id is refused', async () => {
      const paged = await createAppWithKey(herald, 'paged-app');
      for (let index = 0; index < 5; index++) {
        clock.advance(1);
        await call('POST', '/v1/announcements', { title: `n${index}`, audience: EVERYONE }, paged);
      }
      const titles: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Array<{ title: string }>; nextCursor: string | null } = (await call('GET', `/v1/announcements?limit=2${cursor ? `&cursor=${cursor}` : ''}`, undefined, paged)).json();
        assert.ok(page.items.length <= 2);
        titles.push(...page.items.map((item) => item.title));
        cursor = page.nextCursor;
      } while (cursor !== null);
      assert.deepEqual(titles, ['n4', 'n3', 'n2', 'n1', 'n0']);
      const bad = await call('GET', '/v1/announcements?cursor=sub_nope', undefined, paged);
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().code, 'INVALID_CURSOR');
      clock.set(T0);
    });

    test('refused inputs name their code and field, and store nothing', async () => {
      const countsBefore = await rowCounts();
      const longData = { text: 'x'.repeat(8 * 1024) };
      const cases: Array<[Record<string, unknown>, number, string, string]> = [
        [{ title: '' }, 400, 'VALIDATION_FAILED', 'body.title'],
        [{ title: '   ' }, 400, 'ANNOUNCEMENT_TITLE_EMPTY', 'title'],
        [{ title: 't'.repeat(201) }, 400, 'VALIDATION_FAILED', 'body.title'],
        [{ summary: 's'.repeat(501) }, 400, 'VALIDATION_FAILED', 'body.summary'],
        [{ body: 'b'.repeat(20_001) }, 400, 'VALIDATION_FAILED', 'body.body'],
        [{ body: '> '.repeat(10_000) }, 400, 'ANNOUNCEMENT_BODY_TOO_DEEP', 'body'],
        [{ link: 'javascript:alert(1)' }, 400, 'ANNOUNCEMENT_URL_INVALID', 'link'],
        [{ link: '/relative' }, 400, 'ANNOUNCEMENT_URL_INVALID', 'link'],
        [{ actions: [{ label: 'Go', url: 'ftp://files.example.com' }] }, 400, 'ANNOUNCEMENT_URL_INVALID', 'actions.0.url'],
        [{ actions: [1, 2, 3, 4].map((n) => ({ label: `b${n}`, url: 'https://example.com' })) }, 400, 'VALIDATION_FAILED', 'body.actions'],
        [{ actions: [{ label: 'l'.repeat(41), url: 'https://example.com' }] }, 400, 'VALIDATION_FAILED', 'body.actions.0.label'],
        [{ category: 'Orders!' }, 400, 'VALIDATION_FAILED', 'body.category'],
        [{ category: 'c'.repeat(65) }, 400, 'VALIDATION_FAILED', 'body.category'],
        [{ severity: 'critical' }, 400, 'VALIDATION_FAILED', 'body.severity'],
        [{ data: longData }, 400, 'ANNOUNCEMENT_DATA_TOO_LARGE', 'data'],
        [{ data: [1, 2] }, 400, 'VALIDATION_FAILED', 'body.data'],
        [{ audience: {} }, 400, 'VALIDATION_FAILED', 'body.audience'],
        [{ audience: { all: true, group: 'staff' } }, 400, 'VALIDATION_FAILED', 'body.audience'],
        [{ audience: { all: false } }, 400, 'VALIDATION_FAILED', 'body.audience.all'],
        [{ audience: { tags: [] } }, 400, 'VALIDATION_FAILED', 'body.audience'],
        [{ audience: { tags: Array.from({ length: 21 }, (_, n) => `t${n}`) } }, 400, 'VALIDATION_FAILED', 'body.audience'],
        [{ audience: { group: 'nobody' } }, 422, 'RECEIVER_GROUP_NOT_FOUND', 'audience.group'],
        [{ publishAt: 'tomorrow' }, 400, 'VALIDATION_FAILED', 'body.publishAt'],
        [{ publishAt: at(2 * HOUR), expiresAt: at(HOUR) }, 400, 'ANNOUNCEMENT_EXPIRY_INVALID', 'expiresAt'],
        [{ publishAt: at(-2 * HOUR), expiresAt: at(-HOUR) }, 400, 'ANNOUNCEMENT_EXPIRY_INVALID', 'expiresAt'],
        [{ colour: 'red' }, 400, 'VALIDATION_FAILED', 'body'],
      ];
      for (const [fields, status, code, field] of cases) {
        const response = await call('POST', '/v1/announcements', { title: 'Refused', audience: EVERYONE, ...fields });
        assert.equal(response.statusCode, status, `${JSON.stringify(fields).slice(0, 100)}: ${response.body}`);
        assert.equal(response.json().code, code, JSON.stringify(fields).slice(0, 100));
        assert.equal(response.json().field, field, JSON.stringify(fields).slice(0, 100));
        assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
      }
      assert.deepEqual(await rowCounts(), countsBefore, 'nothing was stored');

      const live = await create({ title: 'Patch me', audience: EVERYONE, expiresAt: at(HOUR) });
      const patches: Array<[Record<string, unknown>, string, string]> = [
        [{}, 'VALIDATION_FAILED', 'body'],
        [{ publishAt: at(2 * HOUR) }, 'ANNOUNCEMENT_EXPIRY_INVALID', 'expiresAt'],
        [{ expiresAt: at(-1) }, 'ANNOUNCEMENT_EXPIRY_INVALID', 'expiresAt'],
        [{ link: 'data:text/html,hi' }, 'ANNOUNCEMENT_URL_INVALID', 'link'],
        [{ title: null }, 'VALIDATION_FAILED', 'body.title'],
      ];
      for (const [fields, code, field] of patches) {
        const response = await call('PATCH', `/v1/announcements/${live.id}`, fields);
        assert.equal(response.statusCode, 400, `${JSON.stringify(fields)}: ${response.body}`);
        assert.equal(response.json().code, code, JSON.stringify(fields));
        assert.equal(response.json().field, field, JSON.stringify(fields));
      }
      assert.deepEqual((await call('GET', `/v1/announcements/${live.id}`)).json(), live, 'unchanged');
      assert.equal((await call('GET', '/v1/announcements/ann_nope')).json().code, 'ANNOUNCEMENT_NOT_FOUND');
    });

    test('a group audience names an existing receiver group of the app', async () => {
      const group = await call('POST', '/v1/receiver-groups', { name: 'staff', tagFilter: ['staff'] });
      assert.equal(group.statusCode, 201, group.body);
      const created = await create({ title: 'Staff meeting', audience: { group: 'staff' } });
      assert.deepEqual(created.audience, { group: 'staff' });
      const other = await createAppWithKey(herald, 'no-groups');
      const refused = await call('POST', '/v1/announcements', { title: 'Staff meeting', audience: { group: 'staff' } }, other);
      assert.equal(refused.statusCode, 422);
      assert.equal(refused.json().code, 'RECEIVER_GROUP_NOT_FOUND');
    });

    test('Markdown is rendered once into sanitised HTML: raw HTML, scripts and javascript: links do not survive', async () => {
      const created = await create({
        title: 'Sanitised',
        audience: EVERYONE,
        body: 'Hello <script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)> [ok](https://example.com/a)\n\n<iframe src="https://evil.example"></iframe>',
      });
      const html: string = created.bodyHtml;
      assert.doesNotMatch(html, /<script|javascript:|onerror|<iframe|<img/i);
      assert.match(html, /Hello alert\(1\) click/, 'tags dropped, their text kept as text');
      assert.match(html, /<a href="https:\/\/example\.com\/a"[^>]*>ok<\/a>/);
      assert.match(html, /click/, 'the unsafe link keeps its text');
      assert.match(created.body, /<script>/, 'the Markdown is kept as written for later edits');
      const edited = (await call('PATCH', `/v1/announcements/${created.id}`, { body: '<b onclick="x()">bold</b> and *more*' })).json();
      assert.doesNotMatch(edited.bodyHtml, /onclick|<b /);
      assert.match(edited.bodyHtml, /<em>more<\/em>/);
    });

    test('an audience beyond what a send may reach still costs one row, and no per-subscriber rows', async () => {
      const crowd = await createAppWithKey(herald, 'crowd');
      // One more subscriber than a group send may reach: the audience is never expanded to publish.
      for (const batch of [0, 1]) {
        const items = Array.from({ length: batch === 0 ? 1000 : 1 }, (_, n) => ({ externalId: `c${batch}-${n}`, tags: ['fan'] }));
        assert.equal((await call('PUT', '/v1/subscribers', { items }, crowd)).statusCode, 200);
      }
      assert.equal((await call('POST', '/v1/receiver-groups', { name: 'fans', tagFilter: ['fan'] }, crowd)).statusCode, 201);
      assert.equal((await call('GET', '/v1/receiver-groups/fans/members', undefined, crowd)).json().code, 'GROUP_TOO_LARGE', 'larger than a send may reach');
      const before = await rowCounts();
      for (const audience of [EVERYONE, { group: 'fans' }, { tags: ['fan'] }]) {
        assert.equal((await call('POST', '/v1/announcements', { title: 'To the crowd', audience }, crowd)).statusCode, 201);
      }
      assert.deepEqual(await rowCounts(), { announcements: before.announcements + 3, states: before.states, items: before.items });
    });

    test("another app's announcement is not found, nor listed, nor changed", async () => {
      const mine = await create({ title: 'Mine', audience: EVERYONE });
      const other = await createAppWithKey(herald, 'other-announcer');
      assert.equal((await call('GET', `/v1/announcements/${mine.id}`, undefined, other)).statusCode, 404);
      assert.equal((await call('PATCH', `/v1/announcements/${mine.id}`, { title: 'Theirs' }, other)).statusCode, 404);
      const withdraw = await call('POST', `/v1/announcements/${mine.id}/withdraw`, undefined, other);
      assert.equal(withdraw.statusCode, 404);
      assert.equal(withdraw.json().code, 'ANNOUNCEMENT_NOT_FOUND');
      assert.deepEqual((await call('GET', '/v1/announcements', undefined, other)).json().items, []);
      assert.equal((await call('GET', `/v1/announcements/${mine.id}`)).json().status, 'live');
    });

    test('console users name the app in X-Herald-App: operators announce, viewers only read', async () => {
      const operator = await consoleSession(herald, 'operator');
      const viewer = await consoleSession(herald, 'viewer');
      const headers = (session: Record<string, string>) => ({ ...session, 'x-herald-app': app.appName });
      const created = await herald.server!.inject({ method: 'POST', url: '/v1/announcements', headers: headers(operator), payload: { title: 'From the console', audience: EVERYONE } });
      assert.equal(created.statusCode, 201, created.body);
      const read = await herald.server!.inject({ method: 'GET', url: `/v1/announcements/${created.json().id}`, headers: headers(viewer) });
      assert.equal(read.statusCode, 200);
      const denied = await herald.server!.inject({ method: 'POST', url: `/v1/announcements/${created.json().id}/withdraw`, headers: headers(viewer) });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().code, 'ROLE_INSUFFICIENT');
    });
  });
}

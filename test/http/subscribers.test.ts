import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { consoleSession, createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

for (const dialect of testDialects) {
  describe(`subscribers on ${dialect}`, () => {
    let herald: TestHerald;
    let orders: AppCredentials;
    let billing: AppCredentials;

    /** A signed request; the unique request id keeps identical requests in one second from looking like replays. */
    const call = (credentials: AppCredentials, method: string, url: string, body?: unknown) =>
      signedInject(herald, credentials, { method, url, body, headers: { 'x-request-id': randomUUID() } });

    const storedCount = async (appId: string) =>
      Number((await herald.context.database.db.selectFrom('subscribers').select((eb) => eb.fn.countAll().as('n')).where('app_id', '=', appId).executeTakeFirstOrThrow()).n);

    before(async () => {
      herald = await createTestHerald(dialect);
      orders = await createAppWithKey(herald, 'orders');
      billing = await createAppWithKey(herald, 'billing');
    });
    after(() => herald.close());

    test('create, get, patch and delete through signed requests', async () => {
      const created = await call(orders, 'POST', '/v1/subscribers', {
        externalId: 'user-1',
        name: 'Li Lei',
        locale: 'zh-cn',
        timezone: 'asia/shanghai',
        addresses: { email: 'lilei@example.com', phone: '+86 138-0013-8000', dingtalkUserId: 'manager4220' },
        data: { vip: true, city: 'Shanghai' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const view = created.json();
      assert.match(view.id, /^sub_/);
      assert.equal(view.externalId, 'user-1');
      assert.equal(view.locale, 'zh-CN', 'locale is stored in its canonical spelling');
      assert.equal(view.timezone, 'Asia/Shanghai', 'time zone is stored in its canonical spelling');
      assert.deepEqual(view.addresses, { email: 'lilei@example.com', phone: '+8613800138000', dingtalkUserId: 'manager4220' }, 'the phone number is stored in E.164');

      const again = await call(orders, 'POST', '/v1/subscribers', { externalId: 'user-1' });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'SUBSCRIBER_EXISTS');

      const fetched = await call(orders, 'GET', '/v1/subscribers/user-1');
      assert.equal(fetched.statusCode, 200);
      assert.deepEqual(fetched.json(), view);

      const patched = await call(orders, 'PATCH', '/v1/subscribers/user-1', {
        locale: null,
        addresses: { phone: null, feishuOpenId: 'ou_7d8a6e6df7621556ce0d21922b676706' },
        data: { vip: false },
      });
      assert.equal(patched.statusCode, 200, patched.body);
      assert.equal(patched.json().name, 'Li Lei', 'omitted fields stay');
      assert.equal(patched.json().locale, null);
      assert.equal(patched.json().timezone, 'Asia/Shanghai');
      assert.deepEqual(patched.json().addresses, { email: 'lilei@example.com', dingtalkUserId: 'manager4220', feishuOpenId: 'ou_7d8a6e6df7621556ce0d21922b676706' });
      assert.deepEqual(patched.json().data, { vip: false }, 'data is replaced as a whole');

      const deleted = await call(orders, 'DELETE', '/v1/subscribers/user-1');
      assert.equal(deleted.statusCode, 204);
      const gone = await call(orders, 'GET', '/v1/subscribers/user-1');
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().code, 'SUBSCRIBER_NOT_FOUND');
      assert.equal((await call(orders, 'DELETE', '/v1/subscribers/user-1')).statusCode, 404);
    });

    test('external ids may hold URL-special characters', async () => {
      const externalId = 'corp/42@example.com #1';
      assert.equal((await call(orders, 'POST', '/v1/subscribers', { externalId })).statusCode, 201);
      const fetched = await call(orders, 'GET', `/v1/subscribers/${encodeURIComponent(externalId)}`);
      assert.equal(fetched.statusCode, 200, fetched.body);
      assert.equal(fetched.json().externalId, externalId);
      assert.equal((await call(orders, 'DELETE', `/v1/subscribers/${encodeURIComponent(externalId)}`)).statusCode, 204);
    });

    test('bad inputs get 4xx with their code and field, and nothing is stored', async () => {
      const app = await createAppWithKey(herald);
      const cases: Array<{ body: unknown; status: number; code: string; field?: string; detail?: RegExp }> = [
        { body: { externalId: 'a', addresses: { email: 'not-an-address' } }, status: 400, code: 'EMAIL_INVALID', field: 'addresses.email' },
        { body: { externalId: 'a', addresses: { phone: '13800138000' } }, status: 400, code: 'PHONE_INVALID', field: 'addresses.phone', detail: /\+8613800138000/ },
        { body: { externalId: 'a', addresses: { phone: '+86 138' } }, status: 400, code: 'PHONE_INVALID', field: 'addresses.phone', detail: /too short/ },
        { body: { externalId: 'a', addresses: { phone: '+999 1234 5678' } }, status: 400, code: 'PHONE_INVALID', field: 'addresses.phone', detail: /country calling code is unknown/ },
        { body: { externalId: 'a', addresses: { wecomUserId: 'has space' } }, status: 400, code: 'ADDRESS_INVALID', field: 'addresses.wecomUserId' },
        { body: { externalId: 'a', timezone: 'Mars/Olympus_Mons' }, status: 400, code: 'SUBSCRIBER_TIMEZONE_INVALID', field: 'timezone', detail: /Mars\/Olympus_Mons/ },
        { body: { externalId: 'a', locale: 'en_US' }, status: 400, code: 'SUBSCRIBER_LOCALE_INVALID', field: 'locale' },
        { body: { externalId: 'bad\u0001id' }, status: 400, code: 'SUBSCRIBER_EXTERNAL_ID_INVALID', field: 'externalId' },
        { body: { externalId: 'bad\u0000id' }, status: 400, code: 'NUL_CHARACTER', field: 'body.externalId' },
        { body: { externalId: 'a', data: { blob: 'x'.repeat(20_000) } }, status: 400, code: 'SUBSCRIBER_DATA_TOO_LARGE', field: 'data' },
        { body: { externalId: 'a', colour: 'red' }, status: 400, code: 'VALIDATION_FAILED', detail: /colour/ },
        { body: { externalId: 'a', addresses: { fax: '+861234567' } }, status: 400, code: 'VALIDATION_FAILED', detail: /fax/ },
        { body: { externalId: 'x'.repeat(129) }, status: 400, code: 'VALIDATION_FAILED', field: 'body.externalId' },
        { body: { externalId: 'a', addresses: { email: 42 } }, status: 400, code: 'VALIDATION_FAILED', field: 'body.addresses.email' },
      ];
      for (const { body, status, code, field, detail } of cases) {
        const response = await call(app, 'POST', '/v1/subscribers', body);
        const problem = response.json();
        assert.equal(response.statusCode, status, `${JSON.stringify(body).slice(0, 80)}: ${response.body}`);
        assert.equal(problem.code, code, response.body);
        if (field) assert.equal(problem.field, field, response.body);
        if (detail) assert.match(problem.detail, detail);
      }
      assert.equal(await storedCount(app.appId), 0);

      assert.equal((await call(app, 'POST', '/v1/subscribers', { externalId: 'kept', addresses: { email: 'kept@example.com' } })).statusCode, 201);
      const badPatch = await call(app, 'PATCH', '/v1/subscribers/kept', { name: 'Changed', addresses: { email: 'broken@' } });
      assert.equal(badPatch.statusCode, 400);
      assert.equal(badPatch.json().code, 'EMAIL_INVALID');
      const kept = (await call(app, 'GET', '/v1/subscribers/kept')).json();
      assert.equal(kept.name, '');
      assert.deepEqual(kept.addresses, { email: 'kept@example.com' });
    });

    test('bulk upsert creates and replaces in one call and answers the counts', async () => {
      const app = await createAppWithKey(herald);
      const first = await call(app, 'PUT', '/v1/subscribers', {
        items: [
          { externalId: 'u1', name: 'One', addresses: { email: 'one@example.com' } },
          { externalId: 'u2', name: 'Two', timezone: 'Europe/Berlin' },
        ],
      });
      assert.equal(first.statusCode, 200, first.body);
      assert.deepEqual(first.json(), { created: 2, updated: 0 });
      const u1 = (await call(app, 'GET', '/v1/subscribers/u1')).json();

      const second = await call(app, 'PUT', '/v1/subscribers', {
        items: [
          { externalId: 'u1', addresses: { phone: '+14155550100' } },
          { externalId: 'u3', name: 'Three' },
        ],
      });
      assert.deepEqual(second.json(), { created: 1, updated: 1 });
      const replaced = (await call(app, 'GET', '/v1/subscribers/u1')).json();
      assert.equal(replaced.id, u1.id, 'an upsert keeps the id');
      assert.equal(replaced.createdAt, u1.createdAt);
      assert.equal(replaced.name, '', 'an upsert replaces the whole subscriber');
      assert.deepEqual(replaced.addresses, { phone: '+14155550100' });
      assert.equal((await call(app, 'GET', '/v1/subscribers/u2')).json().timezone, 'Europe/Berlin', 'subscribers not in the call stay');
      assert.equal(await storedCount(app.appId), 3);
    });

    test('bulk upsert is all or nothing: a bad item, a duplicate or too many items store nothing', async () => {
      const app = await createAppWithKey(herald);
      await call(app, 'POST', '/v1/subscribers', { externalId: 'existing', name: 'Before' });

      const badItem = await call(app, 'PUT', '/v1/subscribers', {
        items: [
          { externalId: 'existing', name: 'After' },
          { externalId: 'n1' },
          { externalId: 'n2' },
          { externalId: 'n3', addresses: { email: 'nope' } },
        ],
      });
      assert.equal(badItem.statusCode, 400);
      assert.equal(badItem.json().code, 'EMAIL_INVALID');
      assert.equal(badItem.json().field, 'items[3].addresses.email');
      assert.match(badItem.json().detail, /^items\[3\]\.addresses\.email: /);

      const duplicate = await call(app, 'PUT', '/v1/subscribers', { items: [{ externalId: 'n1' }, { externalId: 'n2' }, { externalId: 'n1' }] });
      assert.equal(duplicate.statusCode, 400);
      assert.equal(duplicate.json().code, 'SUBSCRIBER_DUPLICATE_IN_BATCH');
      assert.equal(duplicate.json().field, 'items[2].externalId');
      assert.match(duplicate.json().detail, /items\[0\]/);

      const tooMany = await call(app, 'PUT', '/v1/subscribers', { items: Array.from({ length: 1001 }, (_, i) => ({ externalId: `bulk-${i}` })) });
      assert.equal(tooMany.statusCode, 413);
      assert.equal(tooMany.json().code, 'SUBSCRIBERS_BATCH_TOO_LARGE');
      assert.match(tooMany.json().detail, /1000/);

      const unknownField = await call(app, 'PUT', '/v1/subscribers', { items: [{ externalId: 'n1', nickname: 'x' }] });
      assert.equal(unknownField.statusCode, 400);
      assert.equal(unknownField.json().code, 'VALIDATION_FAILED');

      assert.equal(await storedCount(app.appId), 1);
      assert.equal((await call(app, 'GET', '/v1/subscribers/existing')).json().name, 'Before');
    });

    test('1,000 subscribers in one call, listed page by page with a cursor', async () => {
      const app = await createAppWithKey(herald);
      const items = Array.from({ length: 1000 }, (_, i) => ({ externalId: `member-${i}`, addresses: { email: `member-${i}@example.com` } }));
      const upserted = await call(app, 'PUT', '/v1/subscribers', { items });
      assert.deepEqual(upserted.json(), { created: 1000, updated: 0 });
      assert.deepEqual((await call(app, 'PUT', '/v1/subscribers', { items })).json(), { created: 0, updated: 1000 });

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/v1/subscribers?limit=200${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await call(app, 'GET', url);
        assert.equal(page.statusCode, 200, page.body);
        const body = page.json() as { items: Array<{ id: string; externalId: string }>; nextCursor: string | null };
        seen.push(...body.items.map((item) => item.externalId));
        cursor = body.nextCursor;
        pages++;
      } while (cursor);
      assert.equal(pages, 5, "the last full page says there is no next one");
      assert.equal(new Set(seen).size, 1000);
      assert.deepEqual(seen, items.map((item) => item.externalId), 'pages follow creation order');

      const defaultPage = (await call(app, 'GET', '/v1/subscribers')).json();
      assert.equal(defaultPage.items.length, 50);
      const overLimit = await call(app, 'GET', '/v1/subscribers?limit=201');
      assert.equal(overLimit.statusCode, 400);
      assert.equal(overLimit.json().code, 'VALIDATION_FAILED');
    });

    test('the list narrows to an external id or name prefix, ignoring case, and to a tag, still paged by cursor', async () => {
      const app = await createAppWithKey(herald);
      const items = [
        { externalId: 'ops-alice', name: 'Alice Wong', tags: ['oncall', 'dba'] },
        { externalId: 'ops-bob', name: 'Bob', tags: ['oncall'] },
        { externalId: 'dev-carol', name: 'Opal Chen' },
        { externalId: 'dev-dave', name: '王大卫', tags: ['dba'] },
        { externalId: '100%_sure', name: 'Wildcards' },
      ];
      assert.deepEqual((await call(app, 'PUT', '/v1/subscribers', { items })).json(), { created: 5, updated: 0 });
      const externalIds = async (query: string) => {
        const response = await call(app, 'GET', `/v1/subscribers?${query}`);
        assert.equal(response.statusCode, 200, response.body);
        return (response.json().items as Array<{ externalId: string }>).map((item) => item.externalId);
      };
      assert.deepEqual(await externalIds('q=OPS-'), ['ops-alice', 'ops-bob'], 'an external id prefix, in any case');
      assert.deepEqual(await externalIds('q=op'), ['ops-alice', 'ops-bob', 'dev-carol'], 'a name prefix too');
      assert.deepEqual(await externalIds('q=wong'), [], 'a prefix, not a substring');
      assert.deepEqual(await externalIds(`q=${encodeURIComponent('王')}`), ['dev-dave']);
      assert.deepEqual(await externalIds(`q=${encodeURIComponent('100%_')}`), ['100%_sure'], 'LIKE wildcards are plain characters');
      assert.deepEqual(await externalIds(`q=${encodeURIComponent('1%')}`), []);
      assert.deepEqual(await externalIds('tag=dba'), ['ops-alice', 'dev-dave']);
      assert.deepEqual(await externalIds('tag=oncall&q=ops-b'), ['ops-bob'], 'both narrow');
      assert.deepEqual(await externalIds('tag=nobody'), []);
      assert.deepEqual(await externalIds('q='), items.map((item) => item.externalId), 'an empty q narrows nothing');

      const first = (await call(app, 'GET', '/v1/subscribers?q=ops&limit=1')).json();
      assert.deepEqual(first.items.map((item: { externalId: string }) => item.externalId), ['ops-alice']);
      const second = (await call(app, 'GET', `/v1/subscribers?q=ops&limit=1&cursor=${first.nextCursor}`)).json();
      assert.deepEqual([second.items.map((item: { externalId: string }) => item.externalId), second.nextCursor], [['ops-bob'], null]);

      await call(orders, 'POST', '/v1/subscribers', { externalId: 'ops-other-app', tags: ['dba'] });
      assert.deepEqual(await externalIds('tag=dba&q=ops'), ['ops-alice'], "another app's subscribers and tags stay out");
      const emptyTag = await call(app, 'GET', '/v1/subscribers?tag=');
      assert.equal(emptyTag.statusCode, 400);
      assert.equal(emptyTag.json().code, 'VALIDATION_FAILED');
    });

    test('resolveSubscribers finds many external ids at once and leaves unknown ones out', async () => {
      const app = await createAppWithKey(herald);
      const items = Array.from({ length: 700 }, (_, i) => ({ externalId: `r-${i}`, locale: 'en' }));
      await herald.services.subscribers.upsertMany(app.appId, items);
      await herald.services.subscribers.create(orders.appId, { externalId: 'r-1' });
      const wanted = [...items.map((item) => item.externalId), 'r-1', 'nobody'];
      const found = await herald.services.subscribers.resolveSubscribers(app.appId, wanted);
      assert.equal(found.size, 700);
      assert.equal(found.has('nobody'), false);
      assert.equal(found.get('r-699')!.locale, 'en');
      const ownRow = await herald.context.database.db.selectFrom('subscribers').select('id').where('app_id', '=', app.appId).where('external_id', '=', 'r-1').executeTakeFirstOrThrow();
      assert.equal(found.get('r-1')!.id, ownRow.id, "another app's subscriber with the same external id is not mixed in");
    });

    test('apps are isolated: another app cannot see or touch a subscriber', async () => {
      await call(orders, 'POST', '/v1/subscribers', { externalId: 'private', name: 'Orders only' });
      for (const [method, body] of [['GET'], ['PATCH', { name: 'Hijacked' }], ['DELETE']] as const) {
        const response = await call(billing, method, '/v1/subscribers/private', body);
        assert.equal(response.statusCode, 404, `${method}: ${response.body}`);
        assert.equal(response.json().code, 'SUBSCRIBER_NOT_FOUND');
      }
      const billingList = (await call(billing, 'GET', '/v1/subscribers')).json();
      assert.equal(billingList.items.some((item: { externalId: string }) => item.externalId === 'private'), false);
      const sameId = await call(billing, 'POST', '/v1/subscribers', { externalId: 'private', name: 'Billing own' });
      assert.equal(sameId.statusCode, 201, 'external ids are unique per app, not globally');
      assert.equal((await call(orders, 'GET', '/v1/subscribers/private')).json().name, 'Orders only');
    });

    test('console users act on the app named in X-Herald-App: viewers read, operators write', async () => {
      const viewer = await consoleSession(herald, 'viewer');
      const operator = await consoleSession(herald, 'operator');
      const inject = (headers: Record<string, string>, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
        herald.server!.inject({ method, url, headers, payload });

      const created = await inject({ ...operator, 'x-herald-app': 'billing' }, 'POST', '/v1/subscribers', { externalId: 'console-made', addresses: { wechatOpenId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal((await call(billing, 'GET', '/v1/subscribers/console-made')).statusCode, 200);
      assert.equal((await call(orders, 'GET', '/v1/subscribers/console-made')).statusCode, 404);

      const read = await inject({ ...viewer, 'x-herald-app': billing.appId }, 'GET', '/v1/subscribers/console-made');
      assert.equal(read.statusCode, 200, read.body);
      const denied = await inject({ ...viewer, 'x-herald-app': 'billing' }, 'PATCH', '/v1/subscribers/console-made', { name: 'x' });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().code, 'ROLE_INSUFFICIENT');
      const noApp = await inject(viewer, 'GET', '/v1/subscribers');
      assert.equal(noApp.statusCode, 400);
      assert.equal(noApp.json().code, 'APP_SCOPE_MISSING');
      const unknownApp = await inject({ ...viewer, 'x-herald-app': 'no-such-app' }, 'GET', '/v1/subscribers');
      assert.equal(unknownApp.statusCode, 404);
      assert.equal(unknownApp.json().code, 'APP_NOT_FOUND');
    });

    test('the routes are in the OpenAPI document', async () => {
      const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
      assert.ok(spec.paths['/v1/subscribers'].put.requestBody);
      assert.ok(spec.paths['/v1/subscribers/{externalId}'].patch);
    });
  });
}

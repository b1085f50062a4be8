import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createECDH } from 'node:crypto';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { sql } from 'kysely';
import { newId } from '../../src/ids.ts';
import { subscriberHash } from '../../src/security/subscriber-credentials.ts';
import { operationsOf, requestsFor, type FuzzOperation, type FuzzRequest, type KnownValues } from '../support/openapi-fuzz.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

/**
 * Property: whatever a signed caller sends to any operation of /openapi.json, Herald answers
 * without a 5xx, every 4xx is problem+json with a string code, and a refused request stores
 * nothing. Every answer is one the document describes: a success status the operation lists, with
 * a body its schema accepts (as a client generated from the document would read it). The seed is fixed so a failure reproduces; HERALD_FUZZ_SEED and HERALD_FUZZ_RUNS
 * (requests per operation) explore further.
 */
const seed = Number(process.env.HERALD_FUZZ_SEED ?? 20_261_129);
const runsPerOperation = Number(process.env.HERALD_FUZZ_RUNS ?? 40);
// Password hashing is slow on purpose (scrypt, ~0.4 s a call): these get a tenth of the runs.
const PASSWORD_OPERATIONS = new Set(['POST /auth/setup', 'POST /auth/login']);

// What a request may change. Left out on purpose: seen_signatures (every accepted signature is
// remembered, also for a request refused later), login_failures (failed logins are counted by
// design) and the worker's flow_windows / provider_tokens (no worker runs here).
const COUNTED_TABLES = ['apps', 'access_keys', 'users', 'sessions', 'subscribers', 'channel_accounts', 'messages', 'message_tags', 'deliveries', 'events', 'callbacks', 'templates', 'template_versions', 'audit_log', 'schedules', 'announcements', 'inbox_items', 'announcement_states', 'push_subscriptions'];
const UPDATED_TABLES = ['apps', 'users', 'subscribers', 'channel_accounts', 'messages', 'deliveries', 'callbacks', 'templates', 'schedules', 'announcements', 'push_subscriptions'];

const hooks = { channelAccount: 'hooks' };
const order = { order: { id: 'A-1' }, amount: 12.5 };
/** A browser's PushSubscription.toJSON(), with a real P-256 key so requests get past the key checks. */
const browser = { endpoint: 'https://push.example.net/wpush/v2/fuzz', expirationTime: null, keys: { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: 'AAECAwQFBgcICQoLDA0ODw' } };

/** Known-good bodies per operation, mutated by the generator so requests get past validation and into the domain. */
const examples: Record<string, unknown[]> = {
  'POST /auth/setup': [{ email: 'owner@example.com', password: 'a long enough password' }],
  'POST /auth/login': [{ email: 'owner@example.com', password: 'a long enough password' }],
  'POST /v1/subscribers': [{ externalId: 'u2', name: 'Bob', locale: 'en-US', timezone: 'Asia/Shanghai', addresses: { email: 'bob@example.com', phone: '+8613800138000' }, data: { tier: 'gold' } }],
  'PUT /v1/subscribers': [{ items: [{ externalId: 'u3', addresses: { email: 'u3@example.com' } }, { externalId: 'u1', name: 'Ada', addresses: { email: 'ada@example.com' } }] }],
  'PATCH /v1/subscribers/{externalId}': [{ name: 'Ada L.', locale: null, addresses: { phone: '+8613800138001', email: null }, data: { vip: true } }],
  'POST /v1/channel-accounts': [
    { type: 'webhook', name: 'hooks-2', config: { url: 'http://127.0.0.1:9/hook', secret: 's3cret' }, isDefault: false, flowLimits: [{ count: 10, perSeconds: 60 }] },
    { type: 'smtp', name: 'mail-2', config: { host: '127.0.0.1', port: 2525, from: 'Shop <shop@example.com>' }, enabled: false, quota: { period: 'day', limit: 100, timeZone: 'Asia/Shanghai' } },
  ],
  'PATCH /v1/channel-accounts/{idOrName}': [{ config: { secret: 'rotated' }, enabled: true, flowLimits: null }, { quota: { period: 'balance', limit: 5000 } }],
  'POST /v1/messages': [
    { to: [hooks], content: { title: 'Order {{ order.id }}', body: 'Paid **{{ amount }}**', format: 'markdown' }, data: order, metadata: { orderId: '1' } },
    { to: ['u1', { email: 'c@example.com' }], channels: ['email'], template: 'order.paid', data: order, priority: 'high', delaySeconds: 60, callbackUrl: 'http://127.0.0.1:9/result' },
    { to: [hooks], template: 'order.paid', data: order, idempotencyKey: 'fuzz-1', sendAt: '2030-01-01T00:00:00Z' },
  ],
  'POST /v1/messages/batch': [{ receivers: [{ to: hooks, data: { order: { id: 'B-1' } } }, { to: 'u1', data: { order: { id: 'B-2' } } }], channels: ['webhook', 'email'], template: 'order.paid' }],
  'POST /v1/templates': [{ code: 'fuzz.t', name: 'Fuzz', defaultChannels: ['webhook'], variables: [{ name: 'name', type: 'string', required: true, example: 'x' }], content: { title: 'Hi {{ name }}', body: 'Hello **{{ name }}**', channels: { email: { subject: 'Hi {{ name }}' } }, locales: { 'zh-CN': { title: '你好 {{ name }}' } } }, publish: true }],
  'PATCH /v1/templates/{code}': [{ content: { title: 'Order {{ order.id }} (v2)', body: 'Paid {{ amount }}' }, publish: true }],
  'POST /v1/templates/{code}/preview': [{ data: order, locale: 'zh-CN', channels: ['webhook', 'email'], version: 'draft' }],
  'POST /v1/templates/{code}/test-send': [{ to: [hooks], data: order, version: 1 }],
  'POST /v1/schedules': [
    { name: 'daily', cron: '0 8 * * 1-5', timeZone: 'Asia/Shanghai', missedTicks: 'skip', message: { to: [hooks], template: 'order.paid', data: order } },
    { name: 'once', at: '2030-01-01T08:00:00+08:00', message: { to: ['u1'], channels: ['email'], content: { title: 'Hi', body: 'Hello' } } },
  ],
  'POST /v1/announcements': [
    { title: 'Maintenance', summary: 'Tonight', body: 'From **22:00**', link: 'https://status.example.com', category: 'ops', severity: 'warning', actions: [{ label: 'Details', url: 'https://status.example.com/1' }], data: { id: 1 }, audience: { all: true } },
    { title: 'VIP sale', audience: { tags: ['vip'] }, publishAt: '2030-01-01T00:00:00Z', expiresAt: '2030-01-02T00:00:00Z' },
  ],
  'PATCH /v1/announcements/{id}': [{ title: 'Maintenance moved', body: null, expiresAt: '2031-01-01T00:00:00Z' }, { audience: { tags: ['beta'] }, severity: 'info' }],
  'PUT /inbox/v1/preferences': [{ all: true, channels: { email: false }, categories: { marketing: false } }],
  'POST /inbox/v1/items/read-all': [{ category: 'orders' }, {}],
  'POST /inbox/v1/push-subscriptions': [browser],
  'POST /v1/subscribers/{externalId}/push-subscriptions': [browser],
  'PATCH /v1/schedules/{id}': [{ cron: '*/10 * * * * *', timeZone: 'America/New_York' }, { at: '2030-01-01T00:00:00Z', missedTicks: 'run-once', message: { to: [hooks], content: { body: 'x' } } }],
};

for (const dialect of testDialects) {
  describe(`OpenAPI-driven fuzzing on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let known: KnownValues;
    let inboxHeaders: Record<string, string>;

    /** The inbox API is not signed: its requests name the app in the query and prove subscriber u1 by its hash. */
    const send = (request: FuzzRequest) => {
      if (!request.url.startsWith('/inbox/v1/')) return signedInject(herald, app, request);
      const url = request.url.replace(/^([^?]*)\??/, (_, path: string) => `${path}?app=${app.appId}&`);
      return herald.server!.inject({ method: request.method as 'GET', url, headers: { ...request.headers, ...inboxHeaders }, payload: request.payload });
    };

    const snapshot = async () => {
      const columns = [
        ...COUNTED_TABLES.map((table) => `(select count(*) from ${table}) as ${table}_rows`),
        ...UPDATED_TABLES.map((table) => `(select max(updated_at) from ${table}) as ${table}_updated`),
      ];
      const { rows } = await sql<Record<string, unknown>>`select ${sql.raw(columns.join(', '))}`.execute(herald.context.database.db);
      return Object.fromEntries(Object.entries(rows[0]!).map(([name, value]) => [name, String(value)]));
    };

    before(async () => {
      herald = await createTestHerald(dialect);
      app = await createAppWithKey(herald, 'fuzz-app');
      const call = async (method: string, url: string, body: unknown) => {
        const response = await signedInject(herald, app, { method, url, body });
        assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
        return response.json();
      };
      await call('POST', '/v1/channel-accounts', { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook', secret: 's3cret' } });
      await call('POST', '/v1/channel-accounts', { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: 2525, from: 'Shop <shop@example.com>' } });
      await call('POST', '/v1/subscribers', { externalId: 'u1', name: 'Ada', addresses: { email: 'ada@example.com' } });
      await call('POST', '/v1/templates', {
        code: 'order.paid',
        defaultChannels: ['webhook'],
        variables: [{ name: 'order', type: 'object', required: true, example: { id: 'EX-1' } }, { name: 'amount', type: 'number', example: 10 }],
        content: { title: 'Order {{ order.id }} paid', body: 'Amount: {{ amount }}' },
        publish: true,
      });
      const message = await call('POST', '/v1/messages', { to: [hooks], template: 'order.paid', data: order, delaySeconds: 3600, metadata: { orderId: '1' } });
      const schedule = await call('POST', '/v1/schedules', { name: 'weekly', cron: '0 9 * * 1', message: { to: [hooks], template: 'order.paid', data: order } });
      const announcement = await call('POST', '/v1/announcements', { title: 'Welcome', audience: { all: true } });
      const pushSubscription = await call('POST', '/v1/subscribers/u1/push-subscriptions', { ...browser, endpoint: 'https://push.example.net/wpush/v2/seeded' });
      const now = herald.clock.now();
      const entry = { title: 'Order paid', summary: null, body_html: null, link: null, category: 'orders', severity: 'info' as const, actions: '[]', data: '{}' };
      const itemId = newId('inb', now);
      await herald.context.database.db.insertInto('inbox_items').values({ ...entry, id: itemId, app_id: app.appId, subscriber_id: 'u1', delivery_id: null, message_id: null, valid_from: now, valid_until: null, created_at: now, read_at: null, archived_at: null }).execute();
      inboxHeaders = { 'x-herald-subscriber': 'u1', 'x-herald-subscriber-hash': subscriberHash(await herald.services.apps.inboxSecret(app.appId), 'u1') };
      known = {
        app: [app.appName, app.appId],
        accessKeyId: ['HKNOSUCHKEY000000000'],
        id: [message.id, message.deliveries[0].id, schedule.id, announcement.id, itemId, pushSubscription.id],
        externalId: ['u1'],
        idOrName: ['hooks', 'mail'],
        code: ['order.paid'],
        version: ['1', '-1', '0', '2147483648', '99999999999999999999'],
        cursor: [message.id],
        receiver: ['u1', 'ada@example.com'],
        metadata: ['orderId:1'],
        channel: ['webhook', 'email'],
      };
    });
    after(() => herald.close());

    test('no request to any operation gets a 5xx; every refusal is a problem with a code and stores nothing', async (t) => {
      const spec = (await herald.server!.inject({ method: 'GET', url: '/openapi.json' })).json();
      // Deletions last, so the seeded rows serve the other operations first.
      const operations = operationsOf(spec).sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
      assert.ok(operations.length > 40, `only ${operations.length} operations in /openapi.json`);
      const statuses = new Map<number, number>();
      const codes = new Map<string, number>();
      let sent = 0;
      let state = await snapshot();
      const startedAt = Date.now();

      const ajv = new Ajv({ strict: false, allErrors: true });
      addFormats.default(ajv);
      const validators = new Map<string, ValidateFunction>();
      /** The operation's schema for a JSON success body; its `$ref`s point into the document's components. */
      const bodyValidator = (operation: FuzzOperation, status: string): ValidateFunction | undefined => {
        const schema = operation.responses[status]?.content?.['application/json']?.schema;
        if (!schema) return undefined;
        const key = `${operation.method} ${operation.path} ${status}`;
        if (!validators.has(key)) validators.set(key, ajv.compile({ ...schema, components: spec.components }));
        return validators.get(key);
      };

      const check = async (operation: FuzzOperation, request: FuzzRequest) => {
        const response = await send(request);
        sent++;
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        const after = await snapshot();
        const where = `${request.method} ${request.url.slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
        assert.ok(response.statusCode < 500, `a 5xx: ${where}`);
        if (response.statusCode < 300) {
          const status = String(response.statusCode);
          assert.ok(operation.responses[status], `${status} is not a documented answer of ${operation.method} ${operation.path} (${Object.keys(operation.responses).join(', ')}): ${where}`);
          const validate = bodyValidator(operation, status);
          if (validate && !validate(response.json())) assert.fail(`the body is not the documented one (${ajv.errorsText(validate.errors)}): ${where}`);
          if (response.statusCode === 204) assert.equal(response.body, '', `a 204 with a body: ${where}`);
        } else {
          assert.ok(operation.responses.default, `refusals are not documented for ${operation.method} ${operation.path}`);
        }
        if (response.statusCode >= 400) {
          assert.match(String(response.headers['content-type']), /^application\/problem\+json/, `not problem+json: ${where}`);
          const problem = response.json();
          assert.equal(typeof problem.code, 'string', `no code: ${where}`);
          codes.set(problem.code, (codes.get(problem.code) ?? 0) + 1);
          assert.equal(problem.status, response.statusCode, `status member differs: ${where}`);
          assert.deepEqual(after, state, `a refused request changed stored rows: ${where}`);
        }
        state = after;
      };

      for (const operation of operations) {
        const key = `${operation.method} ${operation.path}`;
        const property = fc.asyncProperty(requestsFor(operation, known, examples[key]), (request) => check(operation, request));
        const numRuns = PASSWORD_OPERATIONS.has(key) ? Math.ceil(runsPerOperation / 10) : runsPerOperation;
        const details = await fc.check(property, { seed, numRuns, endOnFailure: true });
        if (details.failed) {
          const request = details.counterexample?.[0];
          const shown = request ? { ...request, payload: String(request.payload ?? '').slice(0, 500) } : undefined;
          assert.fail(
            `${operation.method} ${operation.path} failed (reproduce with HERALD_FUZZ_SEED=${details.seed}, path ${details.counterexamplePath}):\n` +
              `${(details.errorInstance as Error | undefined)?.message ?? 'no error'}\nrequest: ${JSON.stringify(shown)}`,
          );
        }
      }

      const accepted = [...statuses].filter(([status]) => status < 300).reduce((sum, [, count]) => sum + count, 0);
      t.diagnostic(`${sent} signed requests to ${operations.length} operations in ${Date.now() - startedAt} ms (seed ${seed}); statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; codes ${JSON.stringify(Object.fromEntries([...codes].sort(([, a], [, b]) => b - a)))}`);
      // Guards the suite itself: if signing broke, every request would be a 401 and prove nothing.
      assert.ok(accepted > sent / 10, `only ${accepted} of ${sent} requests were accepted`);
    });
  });
}

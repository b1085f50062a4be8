import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { startSmtpTestServer, type SmtpTestServer } from '../../src/providers/smtp/smtp-test-server.ts';
import { createAppWithKey, createTestHerald, signedInject, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { waitFor } from '../support/wait-for.ts';

/** 10⁸ loop turns for n = 10,000: runs until Liquid stops it at the budget. */
const NESTED_LOOP = '{% for a in (1..n) %}{% for b in (1..n) %}{{ b }}{% endfor %}{% endfor %}';
const REQUEST_BUDGET_MS = 3000;
const DELIVERY_BUDGET_MS = 100;

for (const dialect of testDialects) {
  describe(`render budgets on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let smtp: SmtpTestServer;
    let origin: string;
    const call = (method: string, url: string, body?: unknown) => signedInject(herald, app, { method, url, body });
    /** Runs `action` while asking /healthz over real HTTP back to back; answers the slowest answer and how many there were. */
    const probingHealth = async <T>(action: () => Promise<T>): Promise<{ result: T; slowestMs: number; probes: number }> => {
      let running = true;
      const latenciesMs: number[] = [];
      const probe = (async () => {
        while (running) {
          const started = performance.now();
          const response = await request(`${origin}/healthz`);
          await response.body.dump();
          assert.equal(response.statusCode, 200);
          latenciesMs.push(performance.now() - started);
        }
      })();
      try {
        return { result: await action(), slowestMs: Math.max(...latenciesMs), probes: latenciesMs.length };
      } finally {
        running = false;
        await probe;
      }
    };
    const messageCount = async () => Number((await herald.context.database.db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

    before(async () => {
      herald = await createTestHerald(dialect, {
        roles: ['api', 'worker'],
        env: {
          HOST: '127.0.0.1',
          PORT: '0',
          HERALD_POLL_INTERVAL_MS: '50',
          HERALD_RENDER_REQUEST_BUDGET_MS: String(REQUEST_BUDGET_MS),
          HERALD_RENDER_DELIVERY_BUDGET_MS: String(DELIVERY_BUDGET_MS),
        },
      });
      await herald.start();
      origin = `http://127.0.0.1:${(herald.server!.server.address() as AddressInfo).port}`;
      app = await createAppWithKey(herald, 'abuser');
      smtp = await startSmtpTestServer();
      for (const account of [
        { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/unused' } },
        { type: 'smtp', name: 'mail', config: { host: '127.0.0.1', port: smtp.port, starttls: 'disabled', from: 'Shop <shop@example.com>' } },
      ]) {
        const created = await call('POST', '/v1/channel-accounts', account);
        assert.equal(created.statusCode, 201, created.body);
      }
    });
    after(async () => {
      await herald.close();
      await smtp.close();
    });

    test('a batch over the request budget gets a 422 RENDER_BUDGET_EXCEEDED, and /healthz answers promptly all along', async () => {
      const before = await messageCount();
      const receivers = Array.from({ length: 200 }, (_, i) => ({ to: { channelAccount: 'hooks' }, data: { n: 10_000, who: `r${i}` } }));
      const started = performance.now();
      const { result: response, slowestMs, probes } = await probingHealth(() => call('POST', '/v1/messages/batch', { receivers, content: { title: 'Report for {{ who }}', body: NESTED_LOOP } }));
      const tookMs = performance.now() - started;

      assert.equal(response.statusCode, 422, response.body);
      const problem = response.json();
      assert.equal(problem.code, 'RENDER_BUDGET_EXCEEDED');
      assert.match(problem.detail ?? problem.message, /took longer than the 3000 ms a request may use\. Send fewer receivers/);
      assert.equal(await messageCount(), before, 'nothing was stored');
      assert.ok(tookMs >= REQUEST_BUDGET_MS, `answered after ${tookMs} ms`);
      // Rendered on the event loop, the seconds of Liquid would have held a health check for all that time
      // (bounded relative to it: on a machine busy with other work every answer is slower).
      assert.ok(probes >= 10, `only ${probes} health checks ran during the render`);
      assert.ok(slowestMs < tookMs / 4, `the slowest /healthz took ${slowestMs} ms of the ${tookMs} ms render`);
    });

    test('saving a large template parses its Liquid off the event loop', async () => {
      // Distinct Liquid in every locale: about 150 kB to parse (most of a second on the event loop of a busy 2-core machine).
      const body = (k: number) => `{% if a${k} %}{{ b | upcase }}{% endif %}`.repeat(1_200);
      const content = { title: 'Big', body: body(99), locales: Object.fromEntries(['en', 'ja'].map((tag, i) => [tag, { body: body(i) }])) };
      // A first save warms up what runs on the event loop for every save (schema checks, JSON).
      assert.equal((await call('POST', '/v1/templates', { code: 'small', content: { ...content, locales: {} } })).statusCode, 201);
      const started = performance.now();
      const { result: created, slowestMs, probes } = await probingHealth(() => call('POST', '/v1/templates', { code: 'big', content }));
      const tookMs = performance.now() - started;
      assert.equal(created.statusCode, 201, created.body);
      // Parsed on the event loop, one health check would wait for the whole save.
      assert.ok(probes >= 1 && slowestMs < Math.max(tookMs / 2, 100), `the slowest of ${probes} /healthz took ${slowestMs} ms of the ${tookMs} ms save`);
      // A Liquid error is still found at save time and named by its field.
      const broken = await call('PATCH', '/v1/templates/big', { content: { ...content, locales: { ...content.locales, ja: { body: '{% if %}' } } } });
      assert.equal(broken.statusCode, 422, broken.body);
      assert.equal(broken.json().field, 'content.locales.ja.body');
    });

    test('a delivery over its budget at send time fails for good with RENDER_BUDGET_EXCEEDED in its trail; a preview over budget is a 422', async () => {
      // The default content passes the accept-time check; the English variant, picked per receiver at send time, runs away.
      const created = await call('POST', '/v1/templates', {
        code: 'digest',
        defaultChannels: ['email'],
        variables: [{ name: 'n', type: 'number', example: 1 }],
        content: { title: 'Digest', body: 'Short digest', locales: { en: { body: NESTED_LOOP } } },
        publish: true,
      });
      assert.equal(created.statusCode, 201, created.body);
      const subscriber = await call('POST', '/v1/subscribers', { externalId: 'reader', locale: 'en', addresses: { email: 'reader@example.com' } });
      assert.equal(subscriber.statusCode, 201, subscriber.body);

      const accepted = await call('POST', '/v1/messages', { to: ['reader'], template: 'digest', data: { n: 10_000 } });
      assert.equal(accepted.statusCode, 202, accepted.body);
      const message = await waitFor(async () => {
        const current = (await call('GET', `/v1/messages/${accepted.json().id}`)).json();
        return current.status === 'failed' ? current : undefined;
      }, { what: 'the message failed' });
      const [delivery] = message.deliveries;
      assert.equal(delivery.status, 'failed');
      assert.equal(delivery.attempts, 1, 'not retried');
      assert.equal(delivery.error.code, 'RENDER_BUDGET_EXCEEDED');
      assert.match(delivery.error.message, /"digest" took longer than the 100 ms a delivery may use/);
      assert.ok(message.events.some((event: { type: string; code: string | null }) => event.type === 'failed' && event.code === 'RENDER_BUDGET_EXCEEDED'), JSON.stringify(message.events));
      assert.equal(smtp.received.length, 0);

      const preview = await call('POST', '/v1/templates/digest/preview', { data: { n: 10_000 }, locale: 'en' });
      assert.equal(preview.statusCode, 422, preview.body);
      assert.equal(preview.json().code, 'RENDER_BUDGET_EXCEEDED');
    });
  });
}

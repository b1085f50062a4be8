import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { createHerald } from '../../src/herald.ts';
import { createLogger } from '../../src/logger.ts';
import { consoleSession, createAppWithKey, createTestHerald, LogCapture, ManualClock, signedInject, TEST_PASSWORD, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';

const hook = { channelAccount: 'hooks' };
const sendBody = () => ({ to: [hook], content: { title: 'Hi', body: 'Hello' } });

function assertRateLimited(response: LightMyRequestResponse, retryAfter: string): void {
  assert.equal(response.statusCode, 429, response.body);
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  assert.equal(response.json().code, 'RATE_LIMITED');
  assert.equal(response.headers['retry-after'], retryAfter);
  assert.equal(response.headers['ratelimit-remaining'], '0');
}

for (const dialect of testDialects) {
  describe(`API rate limits on ${dialect}`, () => {
    const clock = new ManualClock(Date.UTC(2026, 3, 1, 8, 0, 0));
    let herald: TestHerald;
    let limited: AppCredentials;
    let other: AppCredentials;

    before(async () => {
      herald = await createTestHerald(dialect, { clock, env: { HERALD_LOGIN_ATTEMPTS_PER_MINUTE: '3' } });
      limited = await createAppWithKey(herald);
      other = await createAppWithKey(herald);
      for (const app of [limited, other]) {
        await herald.services.channelAccounts.create(app.appId, { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook' } });
      }
      await herald.services.apps.update(limited.appId, { settings: { rateLimits: { sendPerSecond: 2, sendBurst: 2, managePerSecond: 1, manageBurst: 1 } } });
    });
    after(() => herald.close());

    const send = (app: AppCredentials, url = '/v1/messages', body: unknown = sendBody()) => signedInject(herald, app, { method: 'POST', url, body });

    test("an app over its send rate gets 429 with Retry-After and RateLimit headers; other apps are not affected; the bucket refills with time", async () => {
      const first = await send(limited);
      assert.equal(first.statusCode, 202, first.body);
      assert.deepEqual([first.headers['ratelimit-limit'], first.headers['ratelimit-remaining'], first.headers['ratelimit-reset']], ['2', '1', '1']);
      assert.equal((await send(limited)).statusCode, 202);
      assertRateLimited(await send(limited), '1');

      const elsewhere = await send(other);
      assert.equal(elsewhere.statusCode, 202, `per-app isolation: ${elsewhere.body}`);
      assert.equal(elsewhere.headers['ratelimit-limit'], '200000', 'the configured default');

      clock.advance(500);
      assert.equal((await send(limited)).statusCode, 202, 'half a second at 2/s refills one send');
      assertRateLimited(await send(limited), '1');
      clock.advance(1_000);
    });

    test('a batch costs one token per receiver', async () => {
      clock.advance(10_000);
      const batch = { content: { title: 'Hi', body: 'Hello' }, receivers: [{ to: hook }, { to: hook }] };
      assert.equal((await send(limited, '/v1/messages/batch', batch)).statusCode, 202);
      assertRateLimited(await send(limited, '/v1/messages/batch', { ...batch, receivers: [{ to: hook }] }), '1');
      clock.advance(10_000);
    });

    test('management calls have their own bucket; reads are not charged; unauthenticated requests drain nothing', async () => {
      const unsigned = await herald.server!.inject({ method: 'POST', url: '/v1/subscribers', payload: { externalId: 'nobody' } });
      assert.equal(unsigned.statusCode, 401);
      const create = (externalId: string) => signedInject(herald, limited, { method: 'POST', url: '/v1/subscribers', body: { externalId } });
      const created = await create('manage-1');
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.headers['ratelimit-limit'], '1');
      const read = await signedInject(herald, limited, { method: 'GET', url: '/v1/subscribers/manage-1' });
      assert.equal(read.statusCode, 200, read.body);
      assert.equal(read.headers['ratelimit-limit'], undefined);
      assertRateLimited(await create('manage-2'), '1');
      assert.equal((await send(limited)).statusCode, 202, 'the send bucket is apart');
      clock.advance(1_000);
      assert.equal((await create('manage-2')).statusCode, 201);
    });

    test('an admin sets the limits in the app settings; values that are not positive whole numbers are refused', async () => {
      const admin = await consoleSession(herald, 'admin');
      const patch = (rateLimits: unknown) => herald.server!.inject({ method: 'PATCH', url: `/v1/apps/${other.appId}`, headers: admin, payload: { settings: { rateLimits } } });
      const refused = await patch({ sendPerSecond: 0 });
      assert.equal(refused.statusCode, 400, refused.body);
      assert.equal(refused.json().code, 'VALIDATION_FAILED');
      assert.equal(refused.json().field, 'body.settings.rateLimits.sendPerSecond');
      const saved = await patch({ sendBurst: 7 });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.equal((await send(other)).headers['ratelimit-limit'], '7', 'the rate stays the default, the burst is the app\'s own');
    });

    test('login attempts are limited per client address, whatever the e-mails', async () => {
      await herald.services.users.create({ email: 'owner@example.com', password: TEST_PASSWORD, role: 'owner' });
      const attempt = (email: string, password: string, remoteAddress: string) => herald.server!.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress });
      const sprayer = '203.0.113.40';
      assert.equal((await attempt('a@example.com', 'Winter2026!', sprayer)).statusCode, 401);
      assert.equal((await attempt('owner@example.com', TEST_PASSWORD, sprayer)).statusCode, 200, 'successes count too, but are let through below the limit');
      assert.equal((await attempt('b@example.com', 'Winter2026!', sprayer)).statusCode, 401);
      const refused = await attempt('owner@example.com', TEST_PASSWORD, sprayer);
      assert.equal(refused.statusCode, 429, refused.body);
      assert.equal(refused.json().code, 'LOGIN_RATE_LIMITED');
      assert.equal(refused.headers['retry-after'], '20');
      assert.equal((await attempt('owner@example.com', TEST_PASSWORD, '198.51.100.40')).statusCode, 200, 'other addresses are not limited');
      clock.advance(20_000);
      assert.equal((await attempt('owner@example.com', TEST_PASSWORD, sprayer)).statusCode, 200, '3 a minute: one more every 20 seconds');
    });

    if (dialect === 'postgres') {
      test('two API processes on one database share the send bucket', async () => {
        clock.advance(60_000);
        const second = await createHerald(herald.config, { roles: ['api'], clock, logger: createLogger('warn', new LogCapture()) });
        try {
          // The same signed requests, answered by the other process.
          const viaSecond: TestHerald = { ...herald, server: second.server };
          assert.equal((await send(limited)).statusCode, 202);
          const fromSecond = await signedInject(viaSecond, limited, { method: 'POST', url: '/v1/messages', body: sendBody() });
          assert.equal(fromSecond.statusCode, 202, fromSecond.body);
          assertRateLimited(await signedInject(viaSecond, limited, { method: 'POST', url: '/v1/messages', body: sendBody() }), '1');
          assertRateLimited(await send(limited), '1');
          clock.advance(500);
          assert.equal((await signedInject(viaSecond, limited, { method: 'POST', url: '/v1/messages', body: sendBody() })).statusCode, 202);
          assertRateLimited(await send(limited), '1');
        } finally {
          await second.stop();
        }
      });
    }
  });
}

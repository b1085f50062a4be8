import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { HeraldApiError, HeraldClient, HeraldNetworkError } from '../../sdk/src/index.ts';
import { createAppWithKey, createTestHerald, type AppCredentials, type TestHerald } from '../support/test-herald.ts';
import { testDialects } from '../support/test-databases.ts';
import { startLossyProxy } from '../support/lossy-proxy.ts';

const INBOX_SEND = { to: [{ subscriberId: 'u1' }], channels: ['inbox' as const], content: { title: 'Order paid', body: 'Order 1001 was paid' } };

for (const dialect of testDialects) {
  describe(`SDK against a running Herald on ${dialect}`, () => {
    let herald: TestHerald;
    let app: AppCredentials;
    let port: number;
    const client = (url: string, options: Partial<ConstructorParameters<typeof HeraldClient>[0]> = {}) =>
      new HeraldClient({ url, accessKeyId: app.accessKeyId, secretAccessKey: app.secretAccessKey, retryBaseDelayMs: 1, ...options });
    const direct = () => client(`http://127.0.0.1:${port}`);
    const messageCount = async () => (await direct().listMessages({ limit: 100 })).items.length;

    before(async () => {
      herald = await createTestHerald(dialect);
      await herald.start();
      port = (herald.server!.server.address() as AddressInfo).port;
      app = await createAppWithKey(herald);
      await direct().request('POST', '/v1/channel-accounts', { body: { type: 'inbox', name: 'inbox', config: {} } });
    });
    after(() => herald.close());

    test('signs requests Herald accepts, twice in the same second (a fresh nonce each time)', async () => {
      const sdk = client(`http://127.0.0.1:${port}`, { now: () => Date.UTC(2026, 0, 5, 9) });
      const sameSecond = new HeraldClient({ url: `http://127.0.0.1:${port}`, accessKeyId: app.accessKeyId, secretAccessKey: app.secretAccessKey, now: () => herald.clock.now() - (herald.clock.now() % 1000) });
      const [first, second] = await Promise.all([sameSecond.whoami(), sameSecond.whoami()]);
      assert.equal(first.appId, app.appId);
      assert.equal(second.accessKeyId, app.accessKeyId);
      // A signature from far outside the allowed skew is refused with Herald's code, not retried.
      await assert.rejects(sdk.whoami(), (error: unknown) => error instanceof HeraldApiError && error.status === 401 && error.code === 'SIGNATURE_EXPIRED' && /server time/.test(error.detail));
    });

    test('sends, reads back with query parameters, and reports refusals as HeraldApiError with the problem code', async () => {
      const sdk = direct();
      const accepted = await sdk.send({ ...INBOX_SEND, metadata: { order: 'a b/1001' } });
      assert.equal(accepted.deliveries.length, 1);
      assert.equal(accepted.replayed, false);
      const found = await sdk.listMessages({ metadata: 'order:a b/1001', limit: 5 });
      assert.deepEqual(found.items.map((item) => item.id), [accepted.id]);
      const view = await sdk.getMessage(accepted.id);
      assert.ok(view.events!.some((event) => event.type === 'accepted' || event.type === 'queued'), JSON.stringify(view.events));
      // Paths and queries with spaces, slashes, reserved and non-ASCII characters are signed as Herald canonicalises them.
      for (const id of ['msg_nope', "msg a/é*'()!~+"]) {
        await assert.rejects(sdk.getMessage(id), (error: unknown) => error instanceof HeraldApiError && error.status === 404 && error.code === 'MESSAGE_NOT_FOUND');
      }
      assert.deepEqual((await sdk.listMessages({ metadata: "order:é*'()!+ &=", limit: 1 })).items, []);
      await assert.rejects(sdk.send({ to: ['u1'], channels: ['inbox'] }), (error: unknown) => {
        assert.ok(error instanceof HeraldApiError);
        assert.equal(error.status, 400);
        assert.match(error.code, /^[A-Z_]+$/);
        assert.ok(error.detail.length > 10);
        return true;
      });
    });

    test('a send whose first answer is lost is retried under the same idempotency key: one message, not two', async () => {
      const before = await messageCount();
      const proxy = await startLossyProxy({ host: '127.0.0.1', port }, { drop: (connection) => connection === 1 });
      try {
        const accepted = await client(proxy.url).send(INBOX_SEND);
        assert.equal(accepted.replayed, true, 'the retry was answered from the first, committed request');
        assert.ok(proxy.connections() >= 2);
        assert.equal(await messageCount(), before + 1);
        assert.equal((await direct().getMessage(accepted.id)).id, accepted.id);
      } finally {
        await proxy.close();
      }
    });

    test('503 is retried after its Retry-After; a non-idempotent POST that lost its answer is not retried', async () => {
      const before = await messageCount();
      const waits: number[] = [];
      const problem = JSON.stringify({ status: 503, code: 'STORAGE_UNAVAILABLE', detail: 'The database is unreachable' });
      const busy = await startLossyProxy(
        { host: '127.0.0.1', port },
        { answerWith: (connection) => (connection === 1 ? `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\nretry-after: 3\r\ncontent-length: ${problem.length}\r\nconnection: close\r\n\r\n${problem}` : undefined) },
      );
      try {
        const accepted = await client(busy.url, { sleep: async (ms) => void waits.push(ms) }).send(INBOX_SEND);
        assert.deepEqual(waits, [3000]);
        assert.equal(accepted.replayed, false);
        assert.equal(await messageCount(), before + 1);
      } finally {
        await busy.close();
      }
      const lossy = await startLossyProxy({ host: '127.0.0.1', port }, { drop: () => true });
      try {
        const id = (await direct().send(INBOX_SEND)).id;
        await assert.rejects(client(lossy.url).cancelMessage(id), (error: unknown) => error instanceof HeraldNetworkError && error.attempts === 1);
        // Every attempt lost: the send is retried (maxRetries 2 → 3 attempts), then reported, and still created once.
        await assert.rejects(client(lossy.url, { maxRetries: 2 }).send(INBOX_SEND), (error: unknown) => error instanceof HeraldNetworkError && error.attempts === 3);
        assert.equal(await messageCount(), before + 3);
      } finally {
        await lossy.close();
      }
    });
  });
}

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import amqp from 'amqplib';
import { brokerIngestSuite, signedRequest, type DeadLetter } from '../support/broker-ingest-kit.ts';
import { createAppWithKey, createTestHerald } from '../support/test-herald.ts';
import { waitFor } from '../support/wait-for.ts';

/** RabbitMQ on 127.0.0.1:5672 (guest/guest): a queue per test run, deleted afterwards. */
const AMQP_URL = process.env.HERALD_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

brokerIngestSuite({
  name: 'RabbitMQ',
  async probe(runId) {
    const queue = `herald-test.${runId}.send`;
    const deadQueue = `${queue}.dead`;
    const replyQueue = `herald-test.${runId}.replies`;
    const connection = await amqp.connect(AMQP_URL);
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true });
    await channel.assertQueue(deadQueue, { durable: true });
    await channel.assertQueue(replyQueue, { durable: false });
    const deadLetters: DeadLetter[] = [];
    const replies: string[] = [];
    await channel.consume(deadQueue, (message) => {
      if (!message) return;
      const headers = Object.fromEntries(Object.entries(message.properties.headers ?? {}).map(([name, value]) => [name, String(value)]));
      deadLetters.push({ headers, payload: message.content.toString('utf8') });
    }, { noAck: true });
    await channel.consume(replyQueue, (message) => message && replies.push(message.content.toString('utf8')), { noAck: true });
    let sequence = 0;
    return {
      env: { HERALD_INGEST_AMQP_URL: AMQP_URL, HERALD_INGEST_AMQP_QUEUE: queue },
      replyAddress: replyQueue,
      deadLetters,
      replies,
      async publish(request) {
        channel.sendToQueue(queue, request.payload, { persistent: true, headers: request.headers, replyTo: request.replyTo, messageId: `${runId}-${++sequence}` });
        await channel.waitForConfirms();
      },
      async pending() {
        const { messageCount } = await channel.checkQueue(queue);
        return messageCount;
      },
      async close() {
        for (const name of [queue, deadQueue, replyQueue]) await channel.deleteQueue(name);
        await connection.close();
      },
    };
  },
});

describe('ingestion in the api role', () => {
  test('HERALD_INGEST_WITH_API=true: an api process consumes too; without it, only the ingest role does', async () => {
    const queue = `herald-test.${randomBytes(5).toString('hex')}.send`;
    const connection = await amqp.connect(AMQP_URL);
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: true });
    const env = { HERALD_INGEST_AMQP_URL: AMQP_URL, HERALD_INGEST_AMQP_QUEUE: queue };
    const apiOnly = await createTestHerald('sqlite', { roles: ['api'], env });
    const apiWithIngest = await createTestHerald('sqlite', { roles: ['api'], env: { ...env, HERALD_INGEST_WITH_API: 'true' } });
    try {
      const app = await createAppWithKey(apiWithIngest, 'shop');
      await apiWithIngest.services.channelAccounts.create(app.appId, { type: 'webhook', name: 'hooks', config: { url: 'http://127.0.0.1:9/hook' } });
      await apiOnly.start();
      const request = signedRequest(app, { to: [{ channelAccount: 'hooks' }], content: { body: 'hi' } }, { idempotencyKey: 'with-api-1' });
      channel.sendToQueue(queue, request.payload, { persistent: true, headers: request.headers });
      await channel.waitForConfirms();
      // The api-only process has no consumer on the queue: the request stays there.
      assert.equal((await channel.checkQueue(queue)).consumerCount, 0);
      assert.equal((await channel.checkQueue(queue)).messageCount, 1);
      await apiWithIngest.start();
      const db = apiWithIngest.context.database.db;
      await waitFor(async () => (await db.selectFrom('messages').select('id').where('idempotency_key', '=', 'with-api-1').execute()).length === 1, { what: 'the api process to take the request' });
      await waitFor(async () => (await channel.checkQueue(queue)).messageCount === 0, { what: 'the queue to be empty' });
    } finally {
      await apiWithIngest.close();
      await apiOnly.close();
      // The adapter declared the dead-letter queue too.
      for (const name of [queue, `${queue}.dead`]) await channel.deleteQueue(name);
      await connection.close();
    }
  });
});

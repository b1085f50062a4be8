import amqp from 'amqplib';
import { brokerIngestSuite, type DeadLetter } from '../support/broker-ingest-kit.ts';

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

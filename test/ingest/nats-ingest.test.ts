import { connect, headers as natsHeaders } from 'nats';
import { brokerIngestSuite, type DeadLetter } from '../support/broker-ingest-kit.ts';
import { INGEST_HEADERS } from '../../src/security/ingest-signature.ts';

/** NATS with JetStream on 127.0.0.1:4222: a stream, subjects and consumer per test run; the stream is deleted afterwards. */
const NATS_URL = process.env.HERALD_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

brokerIngestSuite({
  name: 'NATS JetStream',
  async probe(runId) {
    const prefix = `herald-test-${runId}`;
    const stream = `HERALD_TEST_${runId}`;
    const consumer = `herald-ingest-${runId}`;
    const replySubject = `${prefix}.replies`;
    const nc = await connect({ servers: NATS_URL });
    const deadLetters: DeadLetter[] = [];
    const replies: string[] = [];
    // Core subscriptions see what JetStream stores on these subjects too.
    const dead = nc.subscribe(`${prefix}.*.dead`);
    void (async () => {
      for await (const message of dead) {
        const headers: Record<string, string> = {};
        for (const name of message.headers?.keys() ?? []) headers[name.toLowerCase()] = message.headers!.get(name);
        deadLetters.push({ headers, payload: new TextDecoder().decode(message.data) });
      }
    })();
    const replied = nc.subscribe(replySubject);
    void (async () => {
      for await (const message of replied) replies.push(new TextDecoder().decode(message.data));
    })();
    await nc.flush();
    const js = nc.jetstream();
    return {
      env: { HERALD_INGEST_NATS_URL: NATS_URL, HERALD_INGEST_NATS_STREAM: stream, HERALD_INGEST_NATS_SUBJECT_PREFIX: prefix, HERALD_INGEST_NATS_CONSUMER: consumer, HERALD_INGEST_NATS_ACK_WAIT_SECONDS: '3' },
      replyAddress: replySubject,
      deadLetters,
      replies,
      async publish(request) {
        const headers = natsHeaders();
        for (const [name, value] of Object.entries(request.headers)) headers.set(name, value);
        if (request.replyTo) headers.set(INGEST_HEADERS.replyTo, request.replyTo);
        await js.publish(`${prefix}.${request.app.appName}.send`, request.payload, { headers });
      },
      async pending() {
        const info = await (await nc.jetstreamManager()).consumers.info(stream, consumer);
        return info.num_pending + info.num_ack_pending;
      },
      async close() {
        await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
        await nc.drain();
      },
    };
  },
});

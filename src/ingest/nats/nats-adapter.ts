import { AckPolicy, connect, headers as natsHeaders, nanos, type ConsumerMessages, type JsMsg, type MsgHdrs, type NatsConnection } from 'nats';
import type { Logger } from '../../logger.ts';
import { deadLetterHeaders, type IngestAdapter, type IngestRequest } from '../ingest-adapter.ts';
import type { SendRequestIntake } from '../send-request-intake.ts';
import { createInFlight, settleOutcome } from '../settle-outcome.ts';
import { INGEST_HEADERS } from '../../security/ingest-signature.ts';

export interface NatsIngestOptions {
  url: string;
  /** The JetStream stream holding `<prefix>.*.send` and `<prefix>.*.dead`; created when missing. */
  stream: string;
  /** Subjects are `<prefix>.<app>.send` (requests) and `<prefix>.<app>.dead` (dead letters). */
  subjectPrefix: string;
  /** The durable consumer's name: Herald processes sharing it share the requests. */
  consumer: string;
  /** How long JetStream waits for an ack before delivering a request again: longer than any accept takes. */
  ackWaitSeconds: number;
  prefetch: number;
  retryDelayMs: number;
}

/**
 * NATS JetStream through nats.js: a durable pull consumer with explicit acks on `<prefix>.*.send`.
 * Each request is acked (and the ack confirmed by the server) only after its message is committed;
 * a refused one is first published to `<prefix>.<app>.dead` (stored by the same stream) with the
 * problem in headers; an outage naks it with a delay. The reply subject is the `herald-reply-to`
 * header (a JetStream message's own reply subject is its ack address).
 */
export function createNatsAdapter(options: NatsIngestOptions, deps: { intake: SendRequestIntake; logger: Logger }): IngestAdapter {
  const logger = deps.logger.child({ broker: 'nats', stream: options.stream, consumer: options.consumer });
  const sendSubjects = `${options.subjectPrefix}.*.send`;
  const inFlight = createInFlight();
  let connection: NatsConnection | undefined;
  let messages: ConsumerMessages | undefined;
  let consuming: Promise<void> | undefined;

  /** `<prefix>.<app>.send` → `<app>`. */
  const appOfSubject = (subject: string): string | undefined => {
    const rest = subject.slice(options.subjectPrefix.length + 1);
    return subject.startsWith(`${options.subjectPrefix}.`) && rest.endsWith('.send') ? rest.slice(0, -'.send'.length) : undefined;
  };

  async function handle(nc: NatsConnection, message: JsMsg): Promise<void> {
    const header = (name: string) => headerOf(message.headers, name);
    const addressedApp = appOfSubject(message.subject);
    const publisherId = header('nats-msg-id');
    const request: IngestRequest = {
      payload: message.data,
      header,
      replyTo: header(INGEST_HEADERS.replyTo),
      brokerMessageId: publisherId ? `nats:${publisherId}` : `nats:${options.stream}:${message.seq}`,
      addressedApp,
    };
    const outcome = await deps.intake.judge(request);
    await settleOutcome(
      outcome,
      request.replyTo,
      {
        ack: async () => {
          if (!(await message.ackAck())) throw new Error('JetStream did not confirm the ack');
        },
        deadLetter: async (problem) => {
          const dead = natsHeaders();
          for (const name of message.headers?.keys() ?? []) if (name.toLowerCase() !== 'nats-msg-id') dead.set(name, message.headers!.get(name));
          for (const [name, value] of Object.entries(deadLetterHeaders(problem))) dead.set(name, value);
          await nc.jetstream().publish(`${options.subjectPrefix}.${addressedApp ?? '_'}.dead`, message.data, { headers: dead });
        },
        reply: async (address, body) => {
          // A reply into a send subject would be taken for a request: never published.
          if (appOfSubject(address) !== undefined) return logger.warn({ address }, 'a reply subject that is a send subject is ignored');
          const correlation = header(INGEST_HEADERS.correlationId);
          const replyHeaders = natsHeaders();
          if (correlation) replyHeaders.set(INGEST_HEADERS.correlationId, correlation);
          nc.publish(address, body, { headers: replyHeaders });
          await nc.flush();
        },
        retry: (delayMs) => message.nak(delayMs),
      },
      logger,
      options.retryDelayMs,
    );
  }

  async function consume(nc: NatsConnection, stream: ConsumerMessages): Promise<void> {
    for await (const message of stream) {
      inFlight.track(handle(nc, message).catch((error) => logger.error({ err: error }, 'handling a NATS message failed')));
      // At most `prefetch` in hand: the next pull waits for room.
      await inFlight.waitForRoom(options.prefetch);
    }
  }

  return {
    name: 'nats',
    async start() {
      const nc = await connect({ servers: options.url, maxReconnectAttempts: -1, reconnectTimeWait: 1000, name: options.consumer });
      connection = nc;
      const manager = await nc.jetstreamManager();
      const subjects = [sendSubjects, `${options.subjectPrefix}.*.dead`];
      await manager.streams.info(options.stream).catch(() => manager.streams.add({ name: options.stream, subjects }));
      await manager.consumers.add(options.stream, {
        durable_name: options.consumer,
        ack_policy: AckPolicy.Explicit,
        filter_subject: sendSubjects,
        ack_wait: nanos(options.ackWaitSeconds * 1000),
        max_ack_pending: Math.max(options.prefetch * 4, 1000),
      });
      const consumer = await nc.jetstream().consumers.get(options.stream, options.consumer);
      messages = await consumer.consume({ max_messages: options.prefetch });
      consuming = consume(nc, messages).catch((error) => logger.error({ err: error }, 'consuming from NATS stopped'));
      logger.info({ subjects: sendSubjects }, 'consuming from NATS JetStream');
    },
    async stop() {
      await messages?.close();
      await consuming;
      await inFlight.drain();
      await connection?.drain().catch(() => undefined);
    },
  };
}

/** NATS header names are case-sensitive on the wire; Herald's are read whatever the case. */
function headerOf(headers: MsgHdrs | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = headers.keys().find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? '' : headers.get(key);
  return value === '' ? undefined : value;
}

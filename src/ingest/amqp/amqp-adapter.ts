import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type RecoveringChannelModel } from 'amqplib';
import type { Logger } from '../../logger.ts';
import { deadLetterHeaders, type IngestAdapter, type IngestRequest } from '../ingest-adapter.ts';
import type { SendRequestIntake } from '../send-request-intake.ts';
import { createInFlight, pause, settleOutcome } from '../settle-outcome.ts';

export interface AmqpIngestOptions {
  url: string;
  /** The shared queue apps publish send requests to; the app is the one of the signing access key. */
  queue: string;
  prefetch: number;
  retryDelayMs: number;
}

/** The queue dead letters of `queue` go to. */
export const amqpDeadLetterQueue = (queue: string) => `${queue}.dead`;

/**
 * RabbitMQ (AMQP 0-9-1) through amqplib: one durable shared queue, `prefetch` messages in hand,
 * each acked only after its message is committed. Dead letters and replies go through a confirm
 * channel and are confirmed before the ack. The connection recovers by itself (amqplib recovery);
 * messages unacked when it dropped are delivered again by RabbitMQ.
 */
export function createAmqpAdapter(options: AmqpIngestOptions, deps: { intake: SendRequestIntake; logger: Logger }): IngestAdapter {
  const logger = deps.logger.child({ broker: 'amqp', queue: options.queue });
  const deadQueue = amqpDeadLetterQueue(options.queue);
  const inFlight = createInFlight();
  const stopping = new AbortController();
  let connection: RecoveringChannelModel | undefined;

  async function handle(channel: Channel, publisher: ConfirmChannel, message: ConsumeMessage): Promise<void> {
    const { properties } = message;
    const headers = (properties.headers ?? {}) as Record<string, unknown>;
    const request: IngestRequest = {
      payload: message.content,
      header: (name) => headerText(headers[name]),
      replyTo: properties.replyTo || undefined,
      brokerMessageId: properties.messageId ? `amqp:${properties.messageId}` : undefined,
      addressedApp: headerText(headers['herald-app']),
    };
    const outcome = await deps.intake.judge(request);
    const publish = async (queue: string, body: Buffer, extraHeaders: Record<string, unknown>) => {
      publisher.sendToQueue(queue, body, { persistent: true, contentType: 'application/json', correlationId: properties.correlationId, messageId: properties.messageId, headers: extraHeaders });
      await publisher.waitForConfirms();
    };
    await settleOutcome(
      outcome,
      request.replyTo,
      {
        ack: () => channel.ack(message),
        deadLetter: (problem, appId) => publish(deadQueue, message.content, { ...headers, ...deadLetterHeaders(problem), ...(appId ? { 'herald-app-id': appId } : {}) }),
        reply: (address, body) => publish(address, body, {}),
        retry: async (delayMs) => {
          await pause(delayMs, stopping.signal);
          if (!stopping.signal.aborted) channel.nack(message, false, true);
        },
      },
      logger,
      options.retryDelayMs,
    );
  }

  return {
    name: 'amqp',
    async start() {
      connection = await amqp.connect(options.url, {
        recovery: {
          maxRetries: Infinity,
          maxDelay: 10_000,
          // Runs after every (re)connect: the topology is declared again and consuming resumes.
          setup: async (model: ChannelModel) => {
            const channel = await model.createChannel();
            const publisher = await model.createConfirmChannel();
            await channel.assertQueue(options.queue, { durable: true });
            await channel.assertQueue(deadQueue, { durable: true });
            await channel.prefetch(options.prefetch);
            await channel.consume(options.queue, (message: ConsumeMessage | null) => {
              if (message === null) return logger.warn('the queue was deleted or the consumer canceled by RabbitMQ');
              inFlight.track(handle(channel, publisher, message).catch((error) => logger.error({ err: error }, 'handling an AMQP message failed')));
            });
          },
        },
      });
      connection.on('disconnect', (error: Error) => logger.warn({ err: error }, 'RabbitMQ connection lost; reconnecting'));
      connection.on('connect', () => logger.info('consuming from RabbitMQ'));
      connection.on('error', (error: Error) => logger.warn({ err: error }, 'RabbitMQ connection error'));
    },
    async stop() {
      stopping.abort();
      await inFlight.drain();
      await connection?.close().catch(() => undefined);
    },
  };
}

/** AMQP header values arrive as strings, Buffers (longstr from some clients) or numbers. */
function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'number') return String(value);
  return undefined;
}

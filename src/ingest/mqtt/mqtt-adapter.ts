import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from '../../logger.ts';
import { deadLetterHeaders, type IngestAdapter, type IngestRequest } from '../ingest-adapter.ts';
import type { SendRequestIntake } from '../send-request-intake.ts';
import { pause, settleOutcome } from '../settle-outcome.ts';

export interface MqttIngestOptions {
  url: string;
  /** Topics are `<prefix>/<app>/send` (requests) and `<prefix>/<app>/dead` (dead letters). */
  topicPrefix: string;
  /** Names the persistent session: one Herald process per client id. */
  clientId: string;
  retryDelayMs: number;
}

/** How long the broker keeps the session (and the QoS 1 requests published to it) while Herald is away: a week. */
const SESSION_EXPIRY_SECONDS = 7 * 24 * 3600;

/**
 * MQTT 5 through mqtt.js: QoS 1 on `<prefix>/+/send` in a persistent session (clean: false, with a
 * session expiry), so requests published while Herald is down wait in the broker. mqtt.js sends a
 * request's PUBACK only when `handleMessage` calls back, which this adapter does after the message
 * is committed (or dead-lettered); until then the broker holds it and, should Herald die, delivers it
 * again to the resumed session. The proof travels in MQTT 5 user properties; the reply address is
 * the MQTT 5 response topic, with the correlation data echoed.
 */
export function createMqttAdapter(options: MqttIngestOptions, deps: { intake: SendRequestIntake; logger: Logger }): IngestAdapter {
  const logger = deps.logger.child({ broker: 'mqtt', clientId: options.clientId });
  const stopping = new AbortController();
  const sendTopics = `${options.topicPrefix}/+/send`;
  let client: MqttClient | undefined;
  // Dead letters and replies go through a second connection: the consuming one reads no packet (not even
  // the PUBACK of a publish) until handleMessage calls back, so awaiting a publish on it would never end.
  let publisher: MqttClient | undefined;

  /** `<prefix>/<app>/send` → `<app>`. */
  const appOfTopic = (topic: string): string | undefined => {
    const rest = topic.slice(options.topicPrefix.length + 1);
    return topic.startsWith(`${options.topicPrefix}/`) && rest.endsWith('/send') ? rest.slice(0, -'/send'.length) : undefined;
  };

  async function handle(packet: IPublishPacket): Promise<void> {
    const properties = packet.properties ?? {};
    const userProperties = properties.userProperties ?? {};
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    const addressedApp = appOfTopic(packet.topic);
    const request: IngestRequest = {
      payload,
      header: (name) => [userProperties[name]].flat()[0],
      replyTo: properties.responseTopic,
      // MQTT has no message id that outlives a delivery: retries are idempotent by the request's own key.
      brokerMessageId: undefined,
      addressedApp,
    };
    const publish = (topic: string, body: Buffer, extra: Record<string, string>) =>
      publisher!
        .publishAsync(topic, body, {
          qos: 1,
          properties: {
            contentType: 'application/json',
            // An empty user property map makes mqtt.js write a packet the broker drops the connection over.
            ...(Object.keys(extra).length > 0 ? { userProperties: extra } : {}),
            ...(properties.correlationData ? { correlationData: properties.correlationData } : {}),
          },
        })
        .then(() => undefined);
    // Held until settled: a retry judges the same request again after the delay, never acking it meanwhile.
    for (;;) {
      if (stopping.signal.aborted) return new Promise(() => undefined);
      const outcome = await deps.intake.judge(request);
      let again = false;
      await settleOutcome(
        outcome,
        request.replyTo,
        {
          ack: () => undefined,
          deadLetter: (problem) => publish(`${options.topicPrefix}/${addressedApp ?? '_'}/dead`, payload, { ...flatten(userProperties), ...deadLetterHeaders(problem) }),
          reply: async (address, body) => {
            // A reply into a send topic would be taken for a request: never published.
            if (appOfTopic(address) !== undefined) return logger.warn({ address }, 'a reply topic that is a send topic is ignored');
            await publish(address, body, {});
          },
          retry: async (delayMs) => {
            again = true;
            await pause(delayMs, stopping.signal);
          },
        },
        logger,
        options.retryDelayMs,
      );
      if (!again) return;
    }
  }

  return {
    name: 'mqtt',
    async start() {
      publisher = await mqtt.connectAsync(options.url, { protocolVersion: 5, clientId: `${options.clientId}-publisher`, clean: true, reconnectPeriod: 1000 });
      publisher.on('error', (error) => logger.warn({ err: error }, 'MQTT publisher error'));
      const connecting = mqtt.connect(options.url, {
        protocolVersion: 5,
        clientId: options.clientId,
        clean: false,
        properties: { sessionExpiryInterval: SESSION_EXPIRY_SECONDS },
        reconnectPeriod: 1000,
      });
      client = connecting;
      // mqtt.js acknowledges (PUBACK) a QoS 1 message when this calls back, and takes the next one after.
      connecting.handleMessage = (packet, done) => {
        handle(packet).then(
          () => done(),
          (error: unknown) => {
            logger.error({ err: error }, 'handling an MQTT message failed; it is delivered again on the next connection');
          },
        );
      };
      connecting.on('error', (error) => logger.warn({ err: error }, 'MQTT client error'));
      connecting.on('offline', () => logger.warn('MQTT broker unreachable; reconnecting'));
      await new Promise<void>((resolve, reject) => {
        connecting.once('connect', () => resolve());
        connecting.once('error', reject);
      });
      await connecting.subscribeAsync(sendTopics, { qos: 1 });
      logger.info({ topics: sendTopics }, 'consuming from MQTT');
    },
    async stop() {
      stopping.abort();
      // Forced: a request in hand is not acked, so the broker delivers it again to the next session.
      await client?.endAsync(true);
      await publisher?.endAsync(true);
    },
  };
}

function flatten(properties: Record<string, string | string[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, [value].flat()[0] ?? '']));
}

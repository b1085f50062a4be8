import mqtt from 'mqtt';
import { brokerIngestSuite, type DeadLetter } from '../support/broker-ingest-kit.ts';

/** Mosquitto on 127.0.0.1:1883: topics and Herald's session named per test run; the session is ended afterwards. */
const MQTT_URL = process.env.HERALD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

brokerIngestSuite({
  name: 'MQTT',
  async probe(runId) {
    const prefix = `herald-test/${runId}`;
    const heraldClientId = `herald-ingest-${runId}`;
    const replyTopic = `${prefix}/replies`;
    const client = await mqtt.connectAsync(MQTT_URL, { protocolVersion: 5, clean: true, clientId: `probe-${runId}` });
    const deadLetters: DeadLetter[] = [];
    const replies: string[] = [];
    client.on('message', (topic, payload, packet) => {
      if (topic === replyTopic) replies.push(payload.toString('utf8'));
      else if (topic.endsWith('/dead')) {
        const properties = packet.properties?.userProperties ?? {};
        deadLetters.push({ headers: Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, [value].flat()[0]!])), payload: payload.toString('utf8') });
      }
    });
    await client.subscribeAsync([`${prefix}/+/dead`, replyTopic], { qos: 1 });
    return {
      env: { HERALD_INGEST_MQTT_URL: MQTT_URL, HERALD_INGEST_MQTT_TOPIC_PREFIX: prefix, HERALD_INGEST_MQTT_CLIENT_ID: heraldClientId },
      replyAddress: replyTopic,
      deadLetters,
      replies,
      async publish(request) {
        await client.publishAsync(`${prefix}/${request.app.appName}/send`, request.payload, {
          qos: 1,
          properties: { userProperties: request.headers, ...(request.replyTo ? { responseTopic: request.replyTo } : {}) },
        });
      },
      // MQTT brokers do not say how many messages a session holds.
      pending: async () => undefined,
      async close() {
        await client.endAsync();
        // Herald's persistent session would otherwise stay in the broker.
        const session = await mqtt.connectAsync(MQTT_URL, { protocolVersion: 5, clean: true, clientId: heraldClientId, properties: { sessionExpiryInterval: 0 } });
        await session.endAsync();
      },
    };
  },
});

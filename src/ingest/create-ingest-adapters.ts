import type { HeraldConfig } from '../config/config.ts';
import type { Logger } from '../logger.ts';
import { createAmqpAdapter } from './amqp/amqp-adapter.ts';
import type { IngestAdapter } from './ingest-adapter.ts';
import { createMqttAdapter } from './mqtt/mqtt-adapter.ts';
import { createNatsAdapter } from './nats/nats-adapter.ts';
import type { SendRequestIntake } from './send-request-intake.ts';

/** One adapter per broker with a configured URL. */
export function createIngestAdapters(config: HeraldConfig['ingest'], deps: { intake: SendRequestIntake; logger: Logger }): IngestAdapter[] {
  const { prefetch, retryDelayMs } = config;
  const adapters: IngestAdapter[] = [];
  if (config.amqp) adapters.push(createAmqpAdapter({ ...config.amqp, prefetch, retryDelayMs }, deps));
  if (config.mqtt) adapters.push(createMqttAdapter({ ...config.mqtt, retryDelayMs }, deps));
  if (config.nats) adapters.push(createNatsAdapter({ ...config.nats, prefetch, retryDelayMs }, deps));
  return adapters;
}

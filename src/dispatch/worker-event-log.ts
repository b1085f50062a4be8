import type { Logger } from '../logger.ts';
import type { WorkerEventMap, WorkerEventName, WorkerEvents } from './worker-events.ts';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * How loud each worker event is in the log. Per-delivery outcomes are routine at thousands a second,
 * so debug; a delivery or callback that failed for good is worth a line; lost work and errors warn or worse.
 */
const LEVELS: { [K in WorkerEventName]: { level: Level; text: string } } = {
  'delivery.sent': { level: 'debug', text: 'delivery sent' },
  'delivery.retrying': { level: 'debug', text: 'delivery failed for now; retrying' },
  'delivery.rate_limited': { level: 'debug', text: 'delivery refused by the provider rate limit; rescheduled' },
  'delivery.deferred': { level: 'debug', text: 'delivery deferred by a send gate' },
  'delivery.skipped': { level: 'info', text: 'delivery skipped by a send gate' },
  'delivery.failed': { level: 'info', text: 'delivery failed' },
  'lease.lost': { level: 'warn', text: 'results dropped: their leases had expired and another worker took them over' },
  'lease.taken_over': { level: 'info', text: 'took over work of a worker that died (its lease ran out, its heartbeats stopped, or it was an earlier process with this id)' },
  'lease.released': { level: 'info', text: 'released leases of work not attempted' },
  'callback.succeeded': { level: 'debug', text: 'result callback delivered' },
  'callback.retrying': { level: 'debug', text: 'result callback failed for now; retrying' },
  'callback.failed': { level: 'warn', text: 'result callback failed for good' },
  'worker.error': { level: 'error', text: 'worker error' },
};

/** Writes every worker event to the log at its level; answers the unsubscribe. */
export function logWorkerEvents(events: WorkerEvents, logger: Logger): () => void {
  const unsubscribes = (Object.keys(LEVELS) as WorkerEventName[]).map((name) => events.on(name, (event) => write(logger, name, event)));
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}

function write<K extends WorkerEventName>(logger: Logger, name: K, event: WorkerEventMap[K]): void {
  const { level, text } = LEVELS[name];
  if (!logger.isLevelEnabled(level)) return;
  if (name === 'worker.error') {
    const { error, during, ...rest } = event as WorkerEventMap['worker.error'];
    logger[level]({ event: name, err: error, ...rest }, `${text} while ${during}`);
    return;
  }
  logger[level]({ event: name, ...event } as Record<string, unknown>, text);
}

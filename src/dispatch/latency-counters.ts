import type { CounterBuffer } from '../deliveries/counter-buffer.ts';
import { latencyBucketFrom } from '../deliveries/latency-histogram.ts';
import type { WorkerEvents } from './worker-events.ts';

/**
 * Accept-to-sent latency per app, channel and minute, as a histogram (latency-histogram.ts), fed
 * from the workers' sent events: the dashboard's percentiles read a few primary-key rows, never
 * deliveries. Answers the unsubscribe.
 */
export function recordLatencyCounters(events: WorkerEvents, counters: CounterBuffer): () => void {
  return events.on('delivery.sent', (report) =>
    counters.add('latency_counters', { app_id: report.appId, channel: report.channel, from_ms: latencyBucketFrom(report.sentAtMs - report.acceptedAtMs) }, { sent: 1 }),
  );
}

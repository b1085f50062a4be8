import type { DeliveryReport, WorkerEvents } from '../../dispatch/worker-events.ts';
import type { HeraldMetrics } from './herald-metrics.ts';

/** Feeds the delivery, callback and lease families from the workers' events; answers the unsubscribe. */
export function recordWorkerEvents(events: WorkerEvents, metrics: HeraldMetrics): () => void {
  const delivery = (report: DeliveryReport, outcome: string) => {
    const provider = report.providerType ?? '';
    metrics.deliveries.inc({ channel: report.channel, provider, account: report.channelAccountId ?? '', outcome });
    if (report.sendDurationMs !== null) metrics.sendDuration.observe({ provider }, report.sendDurationMs / 1000);
  };
  const unsubscribes = [
    events.on('delivery.sent', (event) => {
      delivery(event, 'sent');
      metrics.acceptToSent.observe({ channel: event.channel }, Math.max(0, event.sentAtMs - event.acceptedAtMs) / 1000);
    }),
    events.on('delivery.retrying', (event) => {
      delivery(event, 'retrying');
      metrics.retries.inc();
    }),
    events.on('delivery.rate_limited', (event) => {
      delivery(event, 'rate_limited');
      metrics.deferrals.inc({ reason: 'RATE_LIMITED' });
    }),
    events.on('delivery.deferred', (event) => {
      delivery(event, 'deferred');
      metrics.deferrals.inc({ reason: event.code });
    }),
    events.on('delivery.skipped', (event) => {
      delivery(event, 'skipped');
      metrics.skips.inc({ reason: event.code });
    }),
    events.on('delivery.failed', (event) => delivery(event, 'failed')),
    events.on('callback.succeeded', () => metrics.callbacks.inc({ outcome: 'succeeded' })),
    events.on('callback.retrying', () => metrics.callbacks.inc({ outcome: 'retrying' })),
    events.on('callback.failed', () => metrics.callbacks.inc({ outcome: 'failed' })),
    events.on('lease.lost', ({ component, count }) => metrics.leaseEvents.inc({ component, event: 'lost' }, count)),
    events.on('lease.taken_over', ({ component, count }) => metrics.leaseEvents.inc({ component, event: 'taken_over' }, count)),
    events.on('lease.released', ({ component, count }) => metrics.leaseEvents.inc({ component, event: 'released' }, count)),
    events.on('worker.error', ({ component }) => metrics.workerErrors.inc({ component })),
  ];
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}

import type { AcceptedDelivery } from '../../domain/messages/message-intake.ts';
import type { HeraldMetrics } from './herald-metrics.ts';

/** The intake's `onAccepted`: counts the message, and the deliveries its accept-time policies skipped. */
export function countAccepted(metrics: HeraldMetrics): (appId: string, deliveries: readonly AcceptedDelivery[]) => void {
  return (appId, deliveries) => {
    metrics.messagesAccepted.inc({ app: appId });
    for (const delivery of deliveries) {
      if (delivery.status !== 'skipped') continue;
      const reason = delivery.reason ?? '';
      metrics.skips.inc({ reason });
      metrics.deliveries.inc({ channel: delivery.channel, provider: '', account: '', outcome: 'skipped' });
    }
  };
}

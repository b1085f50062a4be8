import type { CounterBuffer } from '../../deliveries/counter-buffer.ts';
import type { AcceptedDelivery } from '../messages/message-intake.ts';

/**
 * The intake's `onAccepted` for the dashboard: deliveries accepted per app, channel and minute
 * (skipped up front included: they were accepted as rows too), added to the counter buffer once per
 * channel of the message, so an accept pays a few map updates and no write of its own.
 */
export function countAcceptedDeliveries(counters: CounterBuffer): (appId: string, deliveries: readonly AcceptedDelivery[]) => void {
  return (appId, deliveries) => {
    const byChannel = new Map<string, number>();
    for (const { channel } of deliveries) byChannel.set(channel, (byChannel.get(channel) ?? 0) + 1);
    for (const [channel, accepted] of byChannel) counters.add('accept_counters', { app_id: appId, channel }, { accepted });
  };
}

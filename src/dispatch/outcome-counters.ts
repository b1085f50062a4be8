import { counterSubject } from '../deliveries/alarm-rule-kinds.ts';
import type { CounterBuffer } from '../deliveries/counter-buffer.ts';
import type { DeliveryReport, WorkerEvents } from './worker-events.ts';

/**
 * Per-minute counts of provider outcomes (per account and per channel) and of callback attempts
 * (per app), fed from the workers' typed events without touching a worker: the success-rate and
 * callback alarm rules read a handful of primary-key rows instead of scanning deliveries or
 * events. A provider call counts when the provider answered or failed (sent, retrying, rate
 * limited, failed after a call); deferrals and skips made no call and do not count.
 * Answers the unsubscribe.
 */
export function recordOutcomeCounters(events: WorkerEvents, counters: CounterBuffer): () => void {
  const count = (appId: string, subject: string, succeeded: number, failed: number) => counters.add('outcome_counters', { app_id: appId, subject }, { succeeded, failed });

  function providerCall(report: DeliveryReport, sent: boolean): void {
    if (report.sendDurationMs === null) return;
    const [succeeded, failed] = sent ? [1, 0] : [0, 1];
    if (report.channelAccountId !== null) count(report.appId, counterSubject.account(report.channelAccountId), succeeded, failed);
    count(report.appId, counterSubject.channel(report.channel), succeeded, failed);
  }

  const unsubscribes = [
    events.on('delivery.sent', (report) => providerCall(report, true)),
    events.on('delivery.retrying', (report) => providerCall(report, false)),
    events.on('delivery.rate_limited', (report) => providerCall(report, false)),
    events.on('delivery.failed', (report) => providerCall(report, false)),
    events.on('callback.succeeded', (report) => count(report.appId, counterSubject.callbacks, 1, 0)),
    events.on('callback.retrying', (report) => count(report.appId, counterSubject.callbacks, 0, 1)),
    events.on('callback.failed', (report) => count(report.appId, counterSubject.callbacks, 0, 1)),
  ];
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}

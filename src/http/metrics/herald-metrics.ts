import { Counter, Histogram, Registry } from 'prom-client';
import { processMetricsRegistry } from './process-metrics.ts';

/**
 * The metric families of one Herald instance, on a registry of its own: prom-client's global
 * default registry would mix the counts of several Heralds in one process (tests run many).
 * Labels are bounded by what the database bounds: apps, channel accounts, provider types,
 * channels, skip and deferral codes, route patterns (never raw URLs).
 */
export interface HeraldMetrics {
  registry: Registry;
  /** The text exposition: this instance's families and the process metrics. */
  exposition(): Promise<string>;
  messagesAccepted: Counter<'app'>;
  deliveries: Counter<'channel' | 'provider' | 'account' | 'outcome'>;
  sendDuration: Histogram<'provider'>;
  acceptToSent: Histogram<'channel'>;
  retries: Counter<string>;
  deferrals: Counter<'reason'>;
  skips: Counter<'reason'>;
  callbacks: Counter<'outcome'>;
  leaseEvents: Counter<'component' | 'event'>;
  workerErrors: Counter<'component'>;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpRequestDuration: Histogram<'method' | 'route'>;
}

/** Seconds: provider calls take milliseconds to the request timeout (15 s by default). */
const SEND_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds from accept to sent: the queue's wait, retries and backoff included (hours at worst). */
const ACCEPT_TO_SENT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21_600, 86_400];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createHeraldMetrics(): HeraldMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    async exposition() {
      const [own, processText] = await Promise.all([registry.metrics(), processMetricsRegistry().metrics()]);
      return `${own}\n${processText}`;
    },
    messagesAccepted: new Counter({ name: 'herald_messages_accepted_total', help: 'Messages accepted (committed), by app id', labelNames: ['app'], registers }),
    deliveries: new Counter({
      name: 'herald_deliveries_total',
      help: 'Delivery outcomes: sent, retrying, rate_limited, deferred, skipped, failed; skips at accept time have no provider or account',
      labelNames: ['channel', 'provider', 'account', 'outcome'],
      registers,
    }),
    sendDuration: new Histogram({ name: 'herald_send_duration_seconds', help: 'Provider call duration, per delivery of the call, by provider type', labelNames: ['provider'], buckets: SEND_BUCKETS, registers }),
    acceptToSent: new Histogram({ name: 'herald_accept_to_sent_seconds', help: 'From accepting a delivery to the provider taking it, by channel', labelNames: ['channel'], buckets: ACCEPT_TO_SENT_BUCKETS, registers }),
    retries: new Counter({ name: 'herald_delivery_retries_total', help: 'Attempts that failed for now and were rescheduled', registers }),
    deferrals: new Counter({ name: 'herald_delivery_deferrals_total', help: 'Deliveries held back without using an attempt (send gates, provider rate limits), by reason', labelNames: ['reason'], registers }),
    skips: new Counter({ name: 'herald_delivery_skips_total', help: 'Deliveries not sent by decision (accept-time policies and send gates), by reason', labelNames: ['reason'], registers }),
    callbacks: new Counter({ name: 'herald_callbacks_total', help: 'Result callback attempts: succeeded, retrying, failed', labelNames: ['outcome'], registers }),
    leaseEvents: new Counter({ name: 'herald_worker_lease_events_total', help: 'Leased work lost, taken over from dead workers, or released on stop', labelNames: ['component', 'event'], registers }),
    workerErrors: new Counter({ name: 'herald_worker_errors_total', help: 'Failures the workers rode out (a write retried, a batch put back)', labelNames: ['component'], registers }),
    httpRequests: new Counter({ name: 'herald_http_requests_total', help: 'HTTP requests answered, by method, route pattern and status', labelNames: ['method', 'route', 'status'], registers }),
    httpRequestDuration: new Histogram({ name: 'herald_http_request_duration_seconds', help: 'HTTP response time, by method and route pattern', labelNames: ['method', 'route'], buckets: HTTP_BUCKETS, registers }),
  };
}

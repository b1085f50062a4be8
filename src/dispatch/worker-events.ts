import { EventEmitter } from 'node:events';

/**
 * What the workers report as it happens, typed, through one emitter created in the composition
 * root: logs subscribe now (worker-event-log.ts); metrics and alarms subscribe the same way without
 * touching a worker. Delivery and callback events are emitted once their results are written.
 */

/** One delivery whose result was written. */
export interface DeliveryReport {
  workerId: string;
  deliveryId: string;
  messageId: string;
  appId: string;
  channel: string;
  channelAccountId: string | null;
  /** The channel account's provider type; null when the worker did not get as far as the account. */
  providerType: string | null;
  /** Attempts the delivery has used, this one included when it was attempted. */
  attempts: number;
  /** When the delivery was accepted (its row created). */
  acceptedAtMs: number;
  /** How long the provider call took; null when the provider was not called. */
  sendDurationMs: number | null;
}

/** One result callback whose attempt was written. */
export interface CallbackReport {
  workerId: string;
  callbackId: string;
  messageId: string;
  deliveryId: string | null;
  appId: string;
  url: string;
  attempt: number;
  /** `HTTP_<status>` or the failure's code. */
  code: string | null;
}

export type WorkerComponent = 'delivery-worker' | 'callback-worker' | 'result-check-worker';

export interface WorkerEventMap {
  'delivery.sent': DeliveryReport & { providerMessageId: string | null; sentAtMs: number };
  /** Failed for now; tried again at `retryAtMs`. */
  'delivery.retrying': DeliveryReport & { code: string; message: string; retryAtMs: number };
  /** The provider refused for its rate limit; the attempt is given back. */
  'delivery.rate_limited': DeliveryReport & { code: string; message: string; retryAtMs: number };
  /** A send gate (the flow limit, ...) held it back until `untilMs`; no attempt used. */
  'delivery.deferred': DeliveryReport & { code: string; message: string; untilMs: number };
  /** A send gate decided it is not to be sent; final. */
  'delivery.skipped': DeliveryReport & { code: string; message: string };
  /** Final: a permanent failure, or retries used up. */
  'delivery.failed': DeliveryReport & { code: string; message: string };
  /** Results dropped because their leases ran out and another worker took the deliveries over. */
  'lease.lost': { workerId: string; component: WorkerComponent; count: number };
  /** Work of a dead worker claimed again: a lapsed lease or stopped heartbeats, or an earlier process with this worker id. */
  'lease.taken_over': { workerId: string; component: WorkerComponent; count: number; from: 'dead-worker' | 'earlier-process' };
  /** Claimed but not attempted when the worker stopped; back in the queue. */
  'lease.released': { workerId: string; component: WorkerComponent; count: number };
  'callback.succeeded': CallbackReport;
  'callback.retrying': CallbackReport & { message: string; retryAtMs: number };
  'callback.failed': CallbackReport & { message: string };
  /** Something failed that the worker rides out (a write retried, a batch put back); `during` says what it was doing. */
  'worker.error': { workerId: string; component: WorkerComponent; error: unknown; during: string };
}

export type WorkerEventName = keyof WorkerEventMap;

export interface WorkerEvents {
  /** Subscribes; answers the unsubscribe. */
  on<K extends WorkerEventName>(name: K, listener: (event: WorkerEventMap[K]) => void): () => void;
  emit<K extends WorkerEventName>(name: K, event: WorkerEventMap[K]): void;
}

/**
 * Node's EventEmitter behind a typed face. A listener that throws cannot disturb the worker that
 * emitted: its error goes to `onListenerError` and the other listeners still run.
 */
export function createWorkerEvents(onListenerError: (error: unknown, name: WorkerEventName) => void): WorkerEvents {
  const emitter = new EventEmitter();
  return {
    on(name, listener) {
      emitter.on(name, listener);
      return () => void emitter.off(name, listener);
    },
    emit(name, event) {
      for (const listener of emitter.listeners(name)) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error, name);
        }
      }
    },
  };
}

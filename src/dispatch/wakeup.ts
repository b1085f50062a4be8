import { sql } from 'kysely';
import pg from 'pg';
import type { StorageConfig } from '../config/config.ts';
import type { Logger } from '../logger.ts';
import type { HeraldDatabase } from '../storage/database.ts';

/** The PostgreSQL channel carrying "deliveries were queued" hints between processes. */
export const DELIVERIES_NOTIFY_CHANNEL = 'herald_deliveries';

/**
 * Latency hints for workers: a NOTIFY is only a hint, polling guarantees progress. Within a
 * process listeners are called directly; on PostgreSQL a NOTIFY reaches workers in other
 * processes through LISTEN on a dedicated connection, opened on the first subscription.
 */
export interface DeliveryWakeup {
  /** Call after committing queued deliveries (accept, retry). Cheap: bursts are coalesced into one NOTIFY. */
  notifyDeliveriesQueued(): void;
  /** Calls `listener` on every hint; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}

export interface DeliveryWakeupOptions {
  database: HeraldDatabase;
  storage: StorageConfig;
  logger: Logger;
  /** Wait before reconnecting a lost LISTEN connection. Default 1 s. */
  reconnectDelayMs?: number;
}

const LISTEN_CONNECT_TIMEOUT_MS = 5000;

export function createDeliveryWakeup(options: DeliveryWakeupOptions): DeliveryWakeup {
  const { database, storage, logger } = options;
  const reconnectDelayMs = options.reconnectDelayMs ?? 1000;
  const listeners = new Set<() => void>();
  let closed = false;
  let listenClient: pg.Client | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let notifying = false;
  let notifyAgain = false;
  /** While the LISTEN connection is down: logged once, retried quietly. */
  let lost = false;

  const callListeners = () => {
    for (const listener of listeners) listener();
  };

  async function listen(): Promise<void> {
    if (storage.dialect !== 'postgres' || closed || listenClient) return;
    // Keep-alive notices a server that vanished without closing the connection; the timeout, one that does not answer.
    const client = new pg.Client({ connectionString: storage.url, keepAlive: true, connectionTimeoutMillis: LISTEN_CONNECT_TIMEOUT_MS });
    listenClient = client;
    const reconnect = (error: unknown) => {
      if (listenClient !== client) return;
      listenClient = undefined;
      client.end().catch(() => undefined);
      if (closed) return;
      if (!lost) logger.warn({ err: error }, 'LISTEN connection lost; workers fall back to polling until it is back');
      lost = true;
      reconnectTimer = setTimeout(() => void listen(), reconnectDelayMs);
    };
    client.on('error', reconnect);
    client.on('end', () => reconnect(new Error('connection ended')));
    client.on('notification', callListeners);
    try {
      await client.connect();
      await client.query(`LISTEN ${DELIVERIES_NOTIFY_CHANNEL}`);
      if (lost) logger.info('LISTEN connection is back');
      lost = false;
    } catch (error) {
      reconnect(error);
    }
  }

  async function sendNotify(): Promise<void> {
    notifying = true;
    try {
      do {
        notifyAgain = false;
        await sql`select pg_notify(${DELIVERIES_NOTIFY_CHANNEL}, '')`.execute(database.db);
      } while (notifyAgain && !closed);
    } catch (error) {
      logger.warn({ err: error }, 'NOTIFY failed; other workers will find the deliveries by polling');
    } finally {
      notifying = false;
    }
  }

  return {
    notifyDeliveriesQueued() {
      callListeners();
      if (storage.dialect !== 'postgres' || closed) return;
      if (notifying) notifyAgain = true;
      else void sendNotify();
    },

    subscribe(listener) {
      listeners.add(listener);
      void listen();
      return () => listeners.delete(listener);
    },

    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      listeners.clear();
      const client = listenClient;
      listenClient = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}

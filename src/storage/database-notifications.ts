import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';
import type { StorageConfig } from '../config/config.ts';
import type { Logger } from '../logger.ts';
import type { HeraldDatabase } from './database.ts';
import { postgresDriver } from './postgres-driver.ts';

/**
 * Notifications between Herald's processes: within a process listeners are called at once; on
 * PostgreSQL a publication also reaches the other processes through NOTIFY, heard on one LISTEN
 * connection per process, opened on the first subscription. A notification is only a hint (pg-boss):
 * whoever listens must still find the truth in the tables, because NOTIFYs sent while the LISTEN
 * connection is down are lost.
 */
export interface DatabaseNotifications {
  /** Calls this process's listeners of `channel` now and, on PostgreSQL, the other processes' after a NOTIFY (payload ≤ 7,000 bytes). */
  publish(channel: string, payload: string): void;
  /** Calls `listener` with each payload published on `channel`, by any process; returns the unsubscribe function. */
  subscribe(channel: string, listener: (payload: string) => void): () => void;
  /** Calls `listener` each time the LISTEN connection is back after a loss (what was published meanwhile was not heard). */
  onReconnected(listener: () => void): () => void;
  close(): Promise<void>;
}

export interface DatabaseNotificationsOptions {
  database: HeraldDatabase;
  storage: StorageConfig;
  logger: Logger;
  /** Wait before reconnecting a lost LISTEN connection. Default 1 s. */
  reconnectDelayMs?: number;
}

const LISTEN_CONNECT_TIMEOUT_MS = 5000;
/** NOTIFY payloads are limited to 8,000 bytes; the origin prefix takes a few. */
const MAX_PAYLOAD_BYTES = 7000;
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function createDatabaseNotifications(options: DatabaseNotificationsOptions): DatabaseNotifications {
  const { database, storage, logger } = options;
  const reconnectDelayMs = options.reconnectDelayMs ?? 1000;
  /** Marks this process's own NOTIFYs, which PostgreSQL echoes back to its LISTEN connection. */
  const origin = randomBytes(6).toString('base64url');
  const listeners = new Map<string, Set<(payload: string) => void>>();
  const reconnectListeners = new Set<() => void>();
  let closed = false;
  let listenClient: pg.Client | undefined;
  let listening = new Set<string>();
  let listenQueue: Promise<void> = Promise.resolve();
  let reconnectTimer: NodeJS.Timeout | undefined;
  /** While the LISTEN connection is down: logged once, retried quietly. */
  let lost = false;

  const callListeners = (channel: string, payload: string) => {
    for (const listener of listeners.get(channel) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        logger.error({ err: error, channel }, 'a notification listener failed');
      }
    }
  };

  function onNotification(message: pg.Notification): void {
    const text = message.payload ?? '';
    const separator = text.indexOf('|');
    if (separator < 0 || text.slice(0, separator) === origin) return;
    callListeners(message.channel, text.slice(separator + 1));
  }

  async function listen(): Promise<void> {
    if (storage.dialect !== 'postgres' || closed || listenClient) return;
    // Keep-alive notices a server that vanished without closing the connection; the timeout, one that does not answer.
    const client = new (postgresDriver().Client)({ connectionString: storage.url, keepAlive: true, connectionTimeoutMillis: LISTEN_CONNECT_TIMEOUT_MS });
    listenClient = client;
    listening = new Set();
    listenQueue = Promise.resolve();
    const reconnect = (error: unknown) => {
      if (listenClient !== client) return;
      listenClient = undefined;
      client.end().catch(() => undefined);
      if (closed) return;
      if (!lost) logger.warn({ err: error }, 'LISTEN connection lost; notifications between processes wait until it is back (polling goes on)');
      lost = true;
      reconnectTimer = setTimeout(() => void listen(), reconnectDelayMs);
    };
    client.on('error', reconnect);
    client.on('end', () => reconnect(new Error('connection ended')));
    client.on('notification', onNotification);
    try {
      await client.connect();
      await listenToAll(client);
      if (lost) {
        logger.info('LISTEN connection is back');
        lost = false;
        for (const listener of reconnectListeners) listener();
      }
    } catch (error) {
      reconnect(error);
    }
  }

  /** LISTENs on every subscribed channel the connection does not listen to yet; one command at a time (pg does not queue them for us). */
  function listenToAll(client: pg.Client): Promise<void> {
    listenQueue = listenQueue.catch(() => undefined).then(async () => {
      for (const channel of listeners.keys()) {
        if (listening.has(channel) || listenClient !== client) continue;
        listening.add(channel);
        await client.query(`LISTEN ${channel}`);
      }
    });
    return listenQueue;
  }

  /** NOTIFYs on their way, by channel and payload: the same hint published meanwhile is sent once more after, not once per call (a burst of accepts). */
  const inFlight = new Map<string, { again: boolean }>();

  async function notify(channel: string, payload: string, key: string): Promise<void> {
    const pending = { again: false };
    inFlight.set(key, pending);
    try {
      do {
        pending.again = false;
        await sql`select pg_notify(${channel}, ${`${origin}|${payload}`})`.execute(database.db);
      } while (pending.again && !closed);
    } catch (error) {
      logger.warn({ err: error, channel }, 'NOTIFY failed; other processes find the change by polling or on their next read');
    } finally {
      inFlight.delete(key);
    }
  }

  return {
    publish(channel, payload) {
      if (!CHANNEL_NAME.test(channel)) throw new Error(`not a notification channel name: ${channel}`);
      callListeners(channel, payload);
      if (storage.dialect !== 'postgres' || closed) return;
      if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) throw new Error(`notification payload over ${MAX_PAYLOAD_BYTES} bytes on ${channel}`);
      const key = `${channel}|${payload}`;
      const pending = inFlight.get(key);
      if (pending) pending.again = true;
      else void notify(channel, payload, key);
    },

    subscribe(channel, listener) {
      if (!CHANNEL_NAME.test(channel)) throw new Error(`not a notification channel name: ${channel}`);
      let channelListeners = listeners.get(channel);
      if (!channelListeners) listeners.set(channel, (channelListeners = new Set()));
      channelListeners.add(listener);
      if (listenClient && !lost) listenToAll(listenClient).catch(() => undefined);
      else void listen();
      return () => channelListeners.delete(listener);
    },

    onReconnected(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },

    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      listeners.clear();
      reconnectListeners.clear();
      const client = listenClient;
      listenClient = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}

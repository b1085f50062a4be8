import { createDatabaseNotifications, type DatabaseNotifications } from '../../src/storage/database-notifications.ts';
import { afterEach, beforeEach } from 'node:test';
import { pino } from 'pino';
import { ManualClock, type Clock } from '../../src/clock.ts';
import type { HeraldConfig } from '../../src/config/config.ts';
import { createDeliveryWorker, type DeliveryRenderer, type DeliveryWorker, type DeliveryWorkerOptions } from '../../src/dispatch/delivery-worker.ts';
import { createOutboundDispatcher } from '../../src/providers/outbound-http.ts';
import type { ProviderDefinition, RenderedMessage } from '../../src/providers/provider.ts';
import { createCryptoBox, type CryptoBox } from '../../src/security/crypto-box.ts';
import type { HeraldDatabase } from '../../src/storage/database.ts';
import type { Dialect } from '../../src/storage/dialect.ts';
import { seedApp } from './seed-deliveries.ts';
import { createMigratedDatabase } from './test-databases.ts';

/** Shared pieces for dispatch tests and the worker process they start. */

export type DispatchConfig = Pick<HeraldConfig, 'worker' | 'delivery' | 'outbound'>;

export interface DispatchConfigOverrides {
  worker?: Partial<DispatchConfig['worker']>;
  delivery?: Partial<DispatchConfig['delivery']>;
  outbound?: Partial<DispatchConfig['outbound']>;
}

export function dispatchTestConfig(overrides: DispatchConfigOverrides = {}): DispatchConfig {
  return {
    worker: { id: undefined, concurrency: 32, batchSize: 50, leaseSeconds: 30, pollIntervalMs: 25, heartbeatIntervalSeconds: 5, deadAfterSeconds: 15, ...overrides.worker },
    delivery: { maxAttempts: 5, maxAgeSeconds: 86_400, backoffBaseMs: 1000, backoffMaxMs: 60_000, circuitFailureThreshold: 5, circuitCooldownSeconds: 30, quotaRecheckSeconds: 600, quotaReadIntervalSeconds: 600, ...overrides.delivery },
    outbound: { allowLoopback: true, allowPrivateNetworks: false, connectTimeoutMs: 2000, requestTimeoutMs: 5000, ...overrides.outbound },
  };
}

/** 64 hex characters; worker processes started by tests use the same key. */
export const TEST_MASTER_KEY_HEX = '0f'.repeat(32);

export function testCryptoBox(): CryptoBox {
  return createCryptoBox(Buffer.from(TEST_MASTER_KEY_HEX, 'hex'));
}

/** Renders the inline content `{ title, body }` stored on the message, as-is for every channel. */
export const inlineContentRenderer: DeliveryRenderer = {
  async render(_delivery, message): Promise<RenderedMessage> {
    const { title, body } = JSON.parse(message.content ?? '{}') as { title?: string; body?: string };
    if (typeof title !== 'string' || typeof body !== 'string') throw new Error('The inline content needs a title and a body');
    return { title, text: body, markdown: `**${title}**\n\n${body}` };
  },
};

export const silentLogger = pino({ level: 'silent' });

export function providerMap(...providers: ProviderDefinition[]): Map<string, ProviderDefinition> {
  return new Map(providers.map((provider) => [provider.type, provider]));
}

export interface DispatchTestBed {
  database: HeraldDatabase;
  cryptoBox: CryptoBox;
  clock: Clock;
  outboundHttp: ReturnType<typeof createOutboundDispatcher>;
  /** Notifications on this database (LISTEN/NOTIFY on PostgreSQL). */
  notifications: DatabaseNotifications;
  /** A worker on this database; stopped by `close`. */
  createWorker(
    options: { providers: Map<string, ProviderDefinition>; config?: DispatchConfigOverrides } & Omit<Partial<DeliveryWorkerOptions>, 'config' | 'providers'>,
  ): DeliveryWorker;
  close(): Promise<void>;
}

export async function createDispatchTestBed(dialect: Dialect, clock: Clock): Promise<DispatchTestBed> {
  const { database, close, testStorage } = await createMigratedDatabase(dialect);
  const cryptoBox = testCryptoBox();
  const notifications = createDatabaseNotifications({ database, storage: testStorage.storage, logger: silentLogger, reconnectDelayMs: 50 });
  const outboundHttp = createOutboundDispatcher({
    policy: { allowLoopback: true, allowPrivateNetworks: false },
    connectTimeoutMs: 2000,
    requestTimeoutMs: 10_000,
  });
  const workers: DeliveryWorker[] = [];
  return {
    database,
    cryptoBox,
    clock,
    outboundHttp,
    notifications,
    createWorker({ providers, config, ...rest }) {
      const worker = createDeliveryWorker({
        database,
        config: dispatchTestConfig(config),
        clock,
        providers,
        cryptoBox,
        outboundHttp,
        renderer: inlineContentRenderer,
        logger: silentLogger,
        notifications,
        ...rest,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.stop()));
      await outboundHttp.close();
      await notifications.close();
      await close();
    },
  };
}

/** A test bed made afresh for every test of the describe it is used in: always read it inside a test or hook. */
export interface LiveDispatchTestBed extends Omit<DispatchTestBed, 'clock' | 'close'> {
  /** This test's clock, at ManualClock's start. */
  readonly clock: ManualClock;
  /** An app seeded for this test. */
  readonly appId: string;
}

/**
 * Registers a beforeEach that makes a bed (fresh database, clock and app) and an afterEach
 * that closes it. Hooks run in the order they are registered: register cleanup that needs
 * the database (stopping workers the bed did not create) before calling this.
 */
export function useDispatchTestBed(dialect: Dialect): LiveDispatchTestBed {
  let current: { bed: DispatchTestBed; clock: ManualClock; appId: string } | undefined;
  const now = () => {
    if (!current) throw new Error('The dispatch test bed exists only while a test runs');
    return current;
  };
  beforeEach(async () => {
    const clock = new ManualClock();
    const bed = await createDispatchTestBed(dialect, clock);
    current = { bed, clock, appId: await seedApp(bed.database, bed.cryptoBox, { nowMs: clock.now() }) };
  });
  afterEach(async () => {
    const closing = current;
    current = undefined;
    await closing?.bed.close();
  });
  return {
    get database() {
      return now().bed.database;
    },
    get cryptoBox() {
      return now().bed.cryptoBox;
    },
    get outboundHttp() {
      return now().bed.outboundHttp;
    },
    get notifications() {
      return now().bed.notifications;
    },
    get clock() {
      return now().clock;
    },
    get appId() {
      return now().appId;
    },
    createWorker: (options) => now().bed.createWorker(options),
  };
}

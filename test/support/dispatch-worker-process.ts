/**
 * A worker-role process for the multi-process dispatch tests, built from the same pieces
 * the composition root uses: configuration from the environment (DATABASE_URL,
 * HERALD_MASTER_KEY, HERALD_LEASE_SECONDS, ...), the delivery and callback workers, LISTEN
 * wake-ups. HERALD_TEST_WORKER_ID names its leases. Prints "ready" once started; SIGTERM
 * stops it gracefully.
 */
import { parseConfig } from '../../src/config/config.ts';
import { createCallbackWorker } from '../../src/dispatch/callback-worker.ts';
import { createDeliveryWorker } from '../../src/dispatch/delivery-worker.ts';
import { createDeliveryWakeup } from '../../src/dispatch/wakeup.ts';
import { createLogger } from '../../src/logger.ts';
import { dingtalkRobotProvider } from '../../src/providers/dingtalk-robot/dingtalk-robot-provider.ts';
import { createOutboundDispatcher } from '../../src/providers/outbound-http.ts';
import { webhookProvider } from '../../src/providers/webhook/webhook-provider.ts';
import { createCryptoBox } from '../../src/security/crypto-box.ts';
import { loadOrCreateMasterKey } from '../../src/security/master-key.ts';
import { systemClock } from '../../src/clock.ts';
import { openDatabase } from '../../src/storage/database.ts';
import { inlineContentRenderer, providerMap } from './dispatch-test-kit.ts';

const config = parseConfig(process.env);
const logger = createLogger(config.logLevel);
const database = openDatabase(config.storage);
const cryptoBox = createCryptoBox(loadOrCreateMasterKey(config.masterKey, config.dataDir));
const outboundHttp = createOutboundDispatcher({
  policy: { allowLoopback: config.outbound.allowLoopback, allowPrivateNetworks: config.outbound.allowPrivateNetworks },
  connectTimeoutMs: config.outbound.connectTimeoutMs,
  requestTimeoutMs: config.outbound.requestTimeoutMs,
});
const wakeup = createDeliveryWakeup({ database, storage: config.storage, logger });
const callbacks = createCallbackWorker({ database, config, clock: systemClock, cryptoBox, outboundHttp, logger });
const deliveries = createDeliveryWorker({
  database,
  config,
  clock: systemClock,
  providers: providerMap(webhookProvider, dingtalkRobotProvider),
  cryptoBox,
  outboundHttp,
  renderer: inlineContentRenderer,
  logger,
  workerId: process.env.HERALD_TEST_WORKER_ID,
  wakeup,
  onCallbacksQueued: () => callbacks.wake(),
});

deliveries.start();
callbacks.start();
process.stdout.write('ready\n');

process.once('SIGTERM', async () => {
  await deliveries.stop();
  await callbacks.stop();
  await wakeup.close();
  await outboundHttp.close();
  await database.close();
  process.stdout.write('stopped\n');
});

import { sql } from 'kysely';
import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.ts';
import type { HeraldConfig } from '../config/config.ts';
import type { Logger } from '../logger.ts';
import { sendHttpRequest } from '../providers/outbound-http.ts';
import { outcomeFromHttpStatus } from '../providers/outcome-classification.ts';
import type { SendOutcome } from '../providers/provider.ts';
import type { CryptoBox } from '../security/crypto-box.ts';
import { signWebhookRequest } from '../security/webhook-signature.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { CallbacksTable } from '../storage/schema.ts';
import { retryDelayMs, type BackoffPolicy } from '../deliveries/backoff.ts';
import { createClaimLoop } from './claim-loop.ts';
import { insertEvents, type NewDeliveryEvent } from '../deliveries/delivery-events.ts';
import { concurrentWritesFor, createGroupCommit } from './group-commit.ts';
import { createWorkerEvents, type WorkerEventMap, type WorkerEvents } from './worker-events.ts';
import { createLeasedQueue, type LeasedTable } from './leased-queue.ts';
import { createLeaseTakeOver } from './lease-take-over.ts';
import { defaultWorkerId, type WorkerHeartbeat } from './worker-heartbeat.ts';

export interface CallbackWorkerOptions {
  database: HeraldDatabase;
  config: Pick<HeraldConfig, 'worker' | 'delivery' | 'outbound'>;
  clock: Clock;
  cryptoBox: CryptoBox;
  /** The guarded outbound dispatcher (callback URLs are checked like provider URLs). */
  outboundHttp: Dispatcher;
  logger: Logger;
  /** Attempts per callback. Default: config.delivery.maxAttempts. */
  maxAttempts?: number;
  /** Names this worker's leases. Default: the heartbeat's, else `<host>:<pid>:<random>`. */
  workerId?: string;
  /** This process's heartbeat: callbacks leased by workers whose heartbeats stopped come due again at once. */
  heartbeat?: WorkerHeartbeat;
  /** Where the worker reports what happens (the composition root's emitter). Default: one nobody listens to. */
  events?: WorkerEvents;
}

export interface CallbackWorker {
  start(): void;
  /** Stops claiming, waits for requests in flight, writes their results. */
  stop(): Promise<void>;
  wake(): void;
  /** For tests, on a worker that is not started: sends every due callback and writes the results. */
  drain(): Promise<number>;
}

/** Extra headers besides the signature, so receivers can route and deduplicate without parsing. */
export const CALLBACK_ID_HEADER = 'X-Herald-Callback-Id';
export const CALLBACK_EVENT_HEADER = 'X-Herald-Event';

interface CallbackResult {
  callback: CallbacksTable;
  outcome: SendOutcome;
  /** HTTP status when the receiver answered. */
  statusCode: number | undefined;
}

const WRITE_RETRY_DELAY_MS = 1000;

/** `run_at` is set exactly while a callback waits; the `callbacks_due` index serves the claim order. */
export const CALLBACKS_QUEUE: LeasedTable<'callbacks'> = {
  name: 'callbacks',
  idColumn: 'id',
  dueColumn: 'run_at',
  claimOrder: ['run_at'],
  statusColumn: 'status',
  leasedStatus: 'sending',
  leaseOwnerColumn: 'lease_owner',
  leaseExpiresColumn: 'lease_expires_at',
};

/**
 * POSTs queued result callbacks, signed like webhook deliveries with the app's callback
 * secret, and retries failures with backoff. Callbacks are a leased queue (see
 * leased-queue.ts): a callback whose worker died comes due again when its lease runs out — at
 * once when that worker's heartbeats stopped; the lease and the attempt count fence late results.
 */
export function createCallbackWorker(options: CallbackWorkerOptions): CallbackWorker {
  const { database, config, clock, cryptoBox, logger } = options;
  const { db } = database;
  const maxAttempts = options.maxAttempts ?? config.delivery.maxAttempts;
  const backoff: BackoffPolicy = { baseMs: config.delivery.backoffBaseMs, maxMs: config.delivery.backoffMaxMs };
  const requestTimeoutMs = config.outbound.requestTimeoutMs;
  const workerId = options.heartbeat?.workerId ?? options.workerId ?? defaultWorkerId();
  const queue = createLeasedQueue({ database, table: CALLBACKS_QUEUE, workerId, leaseSeconds: config.worker.leaseSeconds });
  const log = logger.child({ component: 'callback-worker', workerId });
  const component = 'callback-worker';
  const workerEvents = options.events ?? createWorkerEvents(() => undefined);
  const reportError = (error: unknown, during: string) => workerEvents.emit('worker.error', { workerId, component, error, during });
  const takeOver = createLeaseTakeOver({
    queue,
    db,
    clock,
    requeueAlso: (nowMs) => sql`status = 'pending', updated_at = ${nowMs}`,
    heartbeat: options.heartbeat,
    intervalMs: config.worker.heartbeatIntervalSeconds * 1000,
    onTakenOver: (count) => workerEvents.emit('lease.taken_over', { workerId, component, count, from: 'dead-worker' }),
  });
  let stopController = new AbortController();

  async function claim(limit: number): Promise<CallbacksTable[]> {
    const nowMs = clock.now();
    return queue.claim(db, limit, nowMs, sql`attempts = attempts + 1, updated_at = ${nowMs}`);
  }

  async function callbackSecrets(appIds: string[]): Promise<Map<string, string>> {
    const rows = await db.selectFrom('apps').select(['id', 'callback_secret_enc']).where('id', 'in', appIds).execute();
    const secrets = new Map<string, string>();
    for (const row of rows) {
      try {
        secrets.set(row.id, cryptoBox.decrypt(row.callback_secret_enc));
      } catch (error) {
        reportError(error, `decrypting the callback secret of app ${row.id}`);
      }
    }
    return secrets;
  }

  async function post(callback: CallbacksTable, secret: string): Promise<CallbackResult> {
    const signal = AbortSignal.any([AbortSignal.timeout(requestTimeoutMs), stopController.signal]);
    const nowMs = clock.now();
    const payloadType = (JSON.parse(callback.payload) as { type: string }).type;
    const headers = {
      'content-type': 'application/json',
      [CALLBACK_ID_HEADER]: callback.id,
      [CALLBACK_EVENT_HEADER]: payloadType,
      ...signWebhookRequest(secret, callback.payload, nowMs),
    };
    let url: URL;
    try {
      url = new URL(callback.url);
    } catch {
      return { callback, outcome: { kind: 'failed', code: 'CALLBACK_URL_INVALID', message: `"${callback.url}" is not a URL` }, statusCode: undefined };
    }
    const { response, outcome } = await sendHttpRequest(url, { method: 'POST', headers, body: callback.payload }, { http: options.outboundHttp, signal });
    if (outcome) return { callback, outcome, statusCode: undefined };
    return { callback, outcome: outcomeFromHttpStatus(response, clock.now()), statusCode: response.statusCode };
  }

  async function processBatch(callbacks: CallbacksTable[], done: () => void): Promise<void> {
    const secrets = await callbackSecrets([...new Set(callbacks.map((callback) => callback.app_id))]).catch((error: unknown) => {
      reportError(error, 'loading callback secrets');
      return new Map<string, string>();
    });
    await Promise.all(
      callbacks.map(async (callback) => {
        const secret = secrets.get(callback.app_id);
        let result: CallbackResult;
        if (callback.attempts > maxAttempts) {
          result = { callback, outcome: { kind: 'failed', code: 'LEASE_EXPIRED', message: 'Workers stopped while sending this callback too many times' }, statusCode: undefined };
        } else if (secret === undefined) {
          result = { callback, outcome: { kind: 'retry', code: 'SECRET_UNREADABLE', message: 'The app callback secret cannot be read' }, statusCode: undefined };
        } else {
          result = await post(callback, secret);
        }
        results.add(result);
        done();
      }),
    );
  }

  async function writeResults(items: CallbackResult[]): Promise<void> {
    const nowMs = clock.now();
    const reports: Array<() => void> = [];
    await db.transaction().execute(async (trx) => {
      const events: NewDeliveryEvent[] = [];
      for (const { callback, outcome, statusCode } of items) {
        const attempt = callback.attempts;
        const base = { messageId: callback.message_id, deliveryId: callback.delivery_id, appId: callback.app_id, at: nowMs, attempt };
        let change: Pick<CallbacksTable, 'status' | 'run_at' | 'last_error'>;
        let report: () => void;
        const reported: WorkerEventMap['callback.succeeded'] = {
          workerId,
          callbackId: callback.id,
          messageId: callback.message_id,
          deliveryId: callback.delivery_id,
          appId: callback.app_id,
          url: callback.url,
          attempt,
          code: outcome.kind === 'sent' ? (statusCode === undefined ? null : `HTTP_${statusCode}`) : outcome.code,
        };
        if (outcome.kind === 'sent') {
          change = { status: 'succeeded', run_at: null, last_error: null };
          events.push({ ...base, type: 'callback_succeeded', code: reported.code, detail: callback.url });
          report = () => workerEvents.emit('callback.succeeded', reported);
        } else {
          const lastError = `${outcome.code}: ${outcome.message}`;
          const retryAfterMs = outcome.kind === 'failed' ? undefined : outcome.retryAfterMs;
          if (outcome.kind !== 'failed' && attempt < maxAttempts) {
            const retryAtMs = nowMs + retryDelayMs(backoff, attempt, retryAfterMs);
            change = { status: 'pending', run_at: retryAtMs, last_error: lastError };
            events.push({ ...base, type: 'callback_retrying', code: outcome.code, detail: `${callback.url}: ${outcome.message}` });
            report = () => workerEvents.emit('callback.retrying', { ...reported, message: outcome.message, retryAtMs });
          } else {
            change = { status: 'failed', run_at: null, last_error: lastError };
            events.push({ ...base, type: 'callback_failed', code: outcome.code, detail: `${callback.url}: ${outcome.message}` });
            report = () => workerEvents.emit('callback.failed', { ...reported, message: outcome.message });
          }
        }
        const written = await trx
          .updateTable('callbacks')
          .set({ ...change, lease_owner: null, lease_expires_at: null, updated_at: nowMs })
          .where('id', '=', callback.id)
          .where(queue.held())
          .where('attempts', '=', attempt)
          .executeTakeFirst();
        if (written.numUpdatedRows === 0n) events.pop();
        else reports.push(report);
      }
      await insertEvents(trx, database.dialect, events);
    });
    // Reported once written: a failed write is retried, and reports what happened then.
    reports.forEach((report) => report());
  }

  const results = createGroupCommit<CallbackResult>({
    maxItems: Math.max(config.worker.batchSize, 50),
    maxDelayMs: 10,
    maxConcurrentWrites: concurrentWritesFor(database.dialect),
    retryDelayMs: WRITE_RETRY_DELAY_MS,
    async write(items) {
      await writeResults(items);
      claimLoop.written();
    },
    onWriteError(error, itemCount) {
      reportError(error, `writing ${itemCount} callback results (retrying)`);
    },
  });

  const claimLoop = createClaimLoop<CallbacksTable>({
    maxClaimed: config.worker.concurrency,
    batchSize: config.worker.batchSize,
    pollIntervalMs: config.worker.pollIntervalMs,
    claim,
    process: processBatch,
    unwritten: () => results.pending,
    beforeClaim: takeOver.runIfDue,
    logger: log,
  });

  let running = false;
  return {
    start() {
      if (running) return;
      running = true;
      stopController = new AbortController();
      takeOver.reset();
      claimLoop.start();
    },
    async stop() {
      if (!running) return;
      running = false;
      await claimLoop.stop();
      await claimLoop.settleWithin(requestTimeoutMs, () => stopController.abort());
      // Callbacks still leased are queued again by a worker's take-over once their lease ends.
      await results.flush().catch((error: unknown) => reportError(error, 'writing the last callback results at stop'));
    },
    wake: () => claimLoop.wake(),
    async drain() {
      await takeOver.run();
      return claimLoop.drain(config.worker.batchSize, () => results.flush());
    },
  };
}

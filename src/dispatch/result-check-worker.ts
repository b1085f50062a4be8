import { sql } from 'kysely';
import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.ts';
import type { HeraldConfig } from '../config/config.ts';
import type { DeliveryStatus } from '../deliveries/delivery-status.ts';
import { applyStatusReports, type ReportableStatus, type StatusReport } from '../deliveries/reported-status.ts';
import type { Logger } from '../logger.ts';
import type { RecipientResult, ResultsOutcome, TokenCache } from '../providers/provider.ts';
import type { CryptoBox } from '../security/crypto-box.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { DeliveriesTable, ResultChecksTable } from '../storage/schema.ts';
import { createChannelAccountSenders, senderEnvironmentOf, type ProviderLookup } from './channel-account-senders.ts';
import { createClaimLoop } from './claim-loop.ts';
import { createLeasedQueue } from './leased-queue.ts';
import { createLeaseTakeOver } from './lease-take-over.ts';
import { createProviderTokenCache } from './provider-token-cache.ts';
import { nextResultCheck, RESULT_CHECKS_QUEUE } from './result-checks.ts';
import { createWorkerEvents, type WorkerEvents } from './worker-events.ts';
import { defaultWorkerId, type WorkerHeartbeat } from './worker-heartbeat.ts';

export interface ResultCheckWorkerOptions {
  database: HeraldDatabase;
  config: Pick<HeraldConfig, 'worker' | 'outbound'>;
  clock: Clock;
  providers: ProviderLookup;
  cryptoBox: CryptoBox;
  /** The guarded outbound dispatcher every provider call goes through. */
  outboundHttp: Dispatcher;
  logger: Logger;
  /** The access-token cache; share the delivery worker's. Default: a database-backed one of its own. */
  tokens?: TokenCache;
  /** Names this worker's leases. Default: the heartbeat's, else `<host>:<pid>:<random>`. */
  workerId?: string;
  /** Checks leased by workers whose heartbeats stopped come due again at once. */
  heartbeat?: WorkerHeartbeat;
  events?: WorkerEvents;
}

export interface ResultCheckWorker {
  start(): void;
  /** Stops claiming, waits for queries in flight (aborting them after the request timeout), writes their results. */
  stop(): Promise<void>;
  wake(): void;
  /** For tests, on a worker that is not started: runs every due check and writes the results. */
  drain(): Promise<number>;
}

/** The deliveries a check is about: those of its call still waiting for a final word. */
const OPEN_STATUSES = ['sent', 'delivered'] as const satisfies readonly DeliveryStatus[];
type OpenDelivery = Pick<DeliveriesTable, 'id' | 'message_id' | 'app_id' | 'address' | 'status' | 'attempts'>;

/** What one check came to, before it is written. */
type CheckAnswer =
  | { kind: 'results'; deliveries: OpenDelivery[]; outcome: Extract<ResultsOutcome, { kind: 'results' }> }
  | { kind: 'retry'; code: string; message: string; retryAfterMs?: number }
  /** Nothing more to learn: no open deliveries, the provider no longer reports, or it refused the query for good. */
  | { kind: 'end'; reason: string };

/** The delivery status a reported result moves an open delivery to, if any (sent → delivered → read; sent/delivered → failed). */
function movedTo(from: DeliveryStatus, result: RecipientResult | undefined): ReportableStatus | undefined {
  if (result === undefined || result.status === 'pending') return undefined;
  if (result.status === 'delivered') return from === 'sent' ? 'delivered' : undefined;
  return result.status;
}

/**
 * Reads what platforms report after accepting a call (DingTalk work notice getsendresult) and
 * moves the call's deliveries to delivered, read or undelivered, with trail events; a message whose
 * sent delivery turned undelivered is decided again. Checks are a leased queue (see leased-queue.ts):
 * due first `firstCheckAfterSeconds` after sending, then after pauses that double, until every
 * delivery of the call is read or undelivered or the provider's results window has passed.
 */
export function createResultCheckWorker(options: ResultCheckWorkerOptions): ResultCheckWorker {
  const { database, config, clock, logger } = options;
  const { db } = database;
  const requestTimeoutMs = config.outbound.requestTimeoutMs;
  const workerId = options.heartbeat?.workerId ?? options.workerId ?? defaultWorkerId();
  const component = 'result-check-worker';
  const log = logger.child({ component, workerId });
  const queue = createLeasedQueue({ database, table: RESULT_CHECKS_QUEUE, workerId, leaseSeconds: config.worker.leaseSeconds });
  const workerEvents = options.events ?? createWorkerEvents(() => undefined);
  const reportError = (error: unknown, during: string) => workerEvents.emit('worker.error', { workerId, component, error, during });
  const tokens = options.tokens ?? createProviderTokenCache({ database, cryptoBox: options.cryptoBox, clock });
  const senders = createChannelAccountSenders({
    database,
    cryptoBox: options.cryptoBox,
    clock,
    providers: options.providers,
    logger: log,
    senderEnvironment: senderEnvironmentOf(config.outbound),
  });
  const takeOver = createLeaseTakeOver({
    queue,
    db,
    clock,
    requeueAlso: (nowMs) => sql`status = 'waiting', updated_at = ${nowMs}`,
    heartbeat: options.heartbeat,
    intervalMs: config.worker.heartbeatIntervalSeconds * 1000,
    onTakenOver: (count) => workerEvents.emit('lease.taken_over', { workerId, component, count, from: 'dead-worker' }),
  });
  let stopController = new AbortController();

  async function claim(limit: number): Promise<ResultChecksTable[]> {
    const nowMs = clock.now();
    return queue.claim(db, limit, nowMs, sql`checks = checks + 1, updated_at = ${nowMs}`);
  }

  /** Asks the platform about one call. Never throws for a provider problem: it becomes a retry. */
  async function ask(check: ResultChecksTable): Promise<CheckAnswer> {
    const deliveries = await db
      .selectFrom('deliveries')
      .select(['id', 'message_id', 'app_id', 'address', 'status', 'attempts'])
      .where('channel_account_id', '=', check.channel_account_id)
      .where('provider_message_id', '=', check.provider_message_id)
      .where('status', 'in', OPEN_STATUSES)
      .execute();
    if (deliveries.length === 0) return { kind: 'end', reason: 'no delivery of the call is waiting for results' };
    const lookup = (await senders.resolve([check.channel_account_id])).get(check.channel_account_id)!;
    // A disabled account may come back within the window; the window ends the check otherwise.
    if (!lookup.available) return { kind: 'retry', code: 'CHANNEL_ACCOUNT_UNAVAILABLE', message: lookup.reason };
    if (!lookup.account.fetchResults) return { kind: 'end', reason: `provider ${lookup.account.type} reports no results` };
    const sent = {
      providerMessageId: check.provider_message_id,
      addresses: deliveries.flatMap((delivery) => (delivery.address === null ? [] : [delivery.address])),
      sentAtMs: check.sent_at,
    };
    const signal = AbortSignal.any([AbortSignal.timeout(requestTimeoutMs), stopController.signal]);
    let outcome: ResultsOutcome;
    try {
      outcome = await lookup.account.fetchResults(sent, { http: options.outboundHttp, tokens, clock, signal });
    } catch (error) {
      log.warn({ err: error, resultCheckId: check.id }, 'provider threw instead of returning a results outcome');
      return { kind: 'retry', code: 'PROVIDER_ERROR', message: error instanceof Error ? error.message : String(error) };
    }
    if (outcome.kind === 'results') return { kind: 'results', deliveries, outcome };
    if (outcome.kind === 'failed') return { kind: 'end', reason: `${outcome.code}: ${outcome.message}` };
    return outcome;
  }

  /** Writes one check's answer in one transaction, only while this worker still holds the check. */
  async function write(check: ResultChecksTable, answer: CheckAnswer): Promise<void> {
    const nowMs = clock.now();
    await db.transaction().execute(async (trx) => {
      // The fence first: a check taken over meanwhile is the new holder's to write (and on PostgreSQL this locks it).
      const fenced = await trx.updateTable('result_checks').set({ updated_at: nowMs }).where('id', '=', check.id).where(queue.held()).executeTakeFirst();
      if (fenced.numUpdatedRows === 0n) return;

      let stillOpen = answer.kind === 'retry';
      const reports: StatusReport[] = [];
      if (answer.kind === 'results') {
        for (const delivery of answer.deliveries) {
          const result = delivery.address === null ? undefined : answer.outcome.byAddress[delivery.address];
          const status = movedTo(delivery.status, result);
          // Not final yet (no news, or delivered and not read): ask again later.
          if (status === undefined || status === 'delivered' || result === undefined || result.status === 'pending') stillOpen = true;
          if (status === undefined || result === undefined || result.status === 'pending') continue;
          const failure = result.status === 'undelivered' ? result : undefined;
          reports.push({
            delivery,
            status,
            code: failure?.code,
            message: failure ? failure.message : `reported by the platform for provider message ${check.provider_message_id}`,
          });
        }
      }
      await applyStatusReports(trx, database.dialect, reports, nowMs);

      const next = stillOpen ? nextResultCheck(check, nowMs, answer.kind === 'retry' ? answer.retryAfterMs : undefined) : undefined;
      if (next) {
        await trx
          .updateTable('result_checks')
          .set({ status: 'waiting', run_at: next.runAtMs, pause_ms: next.pauseMs, lease_owner: null, lease_expires_at: null, updated_at: nowMs })
          .where('id', '=', check.id)
          .execute();
      } else {
        await trx.deleteFrom('result_checks').where('id', '=', check.id).execute();
      }
    });
    if (answer.kind === 'end') log.debug({ resultCheckId: check.id, providerMessageId: check.provider_message_id, reason: answer.reason }, 'result check ended');
    if (answer.kind === 'retry') log.info({ resultCheckId: check.id, code: answer.code, message: answer.message }, 'result query failed for now; asking again later');
  }

  async function processBatch(checks: ResultChecksTable[], done: () => void): Promise<void> {
    await Promise.all(
      checks.map(async (check) => {
        try {
          await write(check, await ask(check));
        } catch (error) {
          // Left leased: the lease runs out and the check is taken over and asked again.
          reportError(error, `result check ${check.id}`);
        } finally {
          done();
        }
      }),
    );
  }

  const claimLoop = createClaimLoop<ResultChecksTable>({
    maxClaimed: config.worker.concurrency,
    batchSize: config.worker.batchSize,
    pollIntervalMs: config.worker.pollIntervalMs,
    claim,
    process: processBatch,
    // Results are written before a check counts as done.
    unwritten: () => 0,
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
      if (!running) return senders.close();
      running = false;
      await claimLoop.stop();
      await claimLoop.settleWithin(requestTimeoutMs, () => stopController.abort());
      // Aborted queries were answered as retries and written; nothing stays leased but what failed to write.
      await senders.close();
    },
    wake: () => claimLoop.wake(),
    async drain() {
      await takeOver.run();
      return claimLoop.drain(config.worker.batchSize);
    },
  };
}

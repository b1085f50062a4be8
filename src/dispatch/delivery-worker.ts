import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.ts';
import type { HeraldConfig } from '../config/config.ts';
import { HeraldError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { CHANNEL_CATALOG, type ChannelName } from '../channels/channel-catalog.ts';
import { MESSAGE_PRIORITIES, type ProviderContext, type RenderedMessage, type SendOutcome, type SendRequest, type TokenCache } from '../providers/provider.ts';
import type { CryptoBox } from '../security/crypto-box.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { DeliveriesTable, MessagesTable } from '../storage/schema.ts';
import { createClaimLoop } from './claim-loop.ts';
import { createChannelAccountSenders, senderEnvironmentOf, type ProviderLookup } from './channel-account-senders.ts';
import type { DeliveryOutcome, DeliveryResult, DeliveryTransition } from '../deliveries/delivery-outcome.ts';
import { createDeliveryQueue } from './delivery-queue.ts';
import { createFlowLimiter } from './flow-limiter.ts';
import { createAccountCircuits } from './account-circuits.ts';
import { createAccountQuotaLedger } from './account-quota-ledger.ts';
import { createChannelRouteLookup } from './channel-route-lookup.ts';
import { applyFailover, routesOfCandidates, type CandidateRoutes } from './failover.ts';
import { concurrentWritesFor, createGroupCommit } from './group-commit.ts';
import { createProviderTokenCache } from './provider-token-cache.ts';
import { scheduleResultChecks, type SentCall } from './result-checks.ts';
import type { SendCandidate, SendGate } from './send-gates/send-gate.ts';
import { passSendGates, SEND_GATES } from './send-gates/send-gate-pipeline.ts';
import { createSendSlots } from './send-slots.ts';
import type { DeliveryWakeup } from './wakeup.ts';
import { isStorageUnavailable, STORAGE_UNAVAILABLE } from '../storage/storage-unavailable.ts';
import { createWorkerEvents, type WorkerEvents } from './worker-events.ts';
import { defaultWorkerId, type WorkerHeartbeat } from './worker-heartbeat.ts';
import { createWebPushDirectory, type GoneAddressForgetters } from './web-push-directory.ts';
import { createInboxDepositor } from './inbox-depositor.ts';
import type { DatabaseNotifications } from '../storage/database-notifications.ts';

/**
 * Turns a delivery of a message into the content for its channel (templates, or inline
 * content). A failure fails the delivery for good, with the HeraldError's code
 * (e.g. RENDER_BUDGET_EXCEEDED) or else RENDER_FAILED; storage that is unavailable while
 * the template is loaded is an outage, so that delivery is retried instead.
 */
export interface DeliveryRenderer {
  render(delivery: DeliveriesTable, message: MessagesTable): Promise<RenderedMessage>;
}

export interface DeliveryWorkerOptions {
  database: HeraldDatabase;
  config: Pick<HeraldConfig, 'worker' | 'delivery' | 'outbound'>;
  clock: Clock;
  providers: ProviderLookup;
  cryptoBox: CryptoBox;
  /** The guarded outbound dispatcher every provider call goes through. */
  outboundHttp: Dispatcher;
  renderer: DeliveryRenderer;
  logger: Logger;
  /** Tells live inbox streams of the items the inbox provider deposits. */
  notifications: DatabaseNotifications;
  /** Names this worker's leases; unique per process. Default: the heartbeat's, else `<host>:<pid>:<random>`. */
  workerId?: string;
  /** This process's heartbeat: leases of workers whose heartbeats stopped are taken over without waiting for them to run out. */
  heartbeat?: WorkerHeartbeat;
  /** Wakes the worker when deliveries are queued, instead of waiting for the next poll. */
  wakeup?: DeliveryWakeup;
  /** Called after result callbacks were queued, e.g. the callback worker's `wake`. */
  onCallbacksQueued?: () => void;
  /** Defaults to the database-backed cache shared by all workers. */
  tokens?: TokenCache;
  /** How long `stop` waits for sends in flight before aborting them. Default: the request timeout plus 1 s. */
  stopTimeoutMs?: number;
  /** Results are written at the latest this long after the first one of a group arrived. Default 10 ms. */
  completionWindowMs?: number;
  /** Where the worker reports what happens (the composition root's emitter). Default: one nobody listens to. */
  events?: WorkerEvents;
  /** HERALD_PUBLIC_URL, for providers that name their receipt URL per send (Twilio). */
  publicUrl?: string;
  /** The gates a batch passes before the provider is called, in order. Default: SEND_GATES. */
  sendGates?: readonly SendGate[];
}

export interface DeliveryWorker {
  readonly workerId: string;
  /** Starts claiming and sending in the background. */
  start(): void;
  /** Graceful: stops claiming, lets sends in flight finish (aborting them after `stopTimeoutMs`), writes results, releases leases. */
  stop(): Promise<void>;
  /** Claims again now (a latency hint; polling happens anyway). */
  wake(): void;
  /**
   * For tests and one-shot runs, on a worker that is not started: reaps expired leases, then
   * claims and sends until nothing is due, writing every result. Answers how many deliveries it handled.
   */
  drain(): Promise<number>;
}

/** After a send is abandoned (timeout, stop), the provider gets this long to report its own outcome. */
const ABANDON_GRACE_MS = 1000;
const WRITE_RETRY_DELAY_MS = 1000;
const IDS_PER_QUERY = 500;

/** What the worker knew of a result's send, for its worker event: the account's provider type, and how long the provider call took. */
interface SendFacts {
  providerType: string | null;
  sendDurationMs: number | null;
}

type WorkerResult = DeliveryResult & SendFacts;
type Settle = (delivery: DeliveriesTable, outcome: DeliveryOutcome, facts?: SendFacts) => void;

const failed = (code: string, message: string): SendOutcome => ({ kind: 'failed', code, message });
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The dispatch loop: claims due deliveries in batches (at most as many as it has free send
 * slots), renders them, passes them through the send gates (flow limits, ...), sends through the
 * provider with a timeout, and writes results back in groups, reporting each as a worker event.
 * Several workers, in one process or many, share one database safely.
 */
export function createDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const { database, config, clock, renderer, logger } = options;
  const { concurrency, batchSize, pollIntervalMs, leaseSeconds } = config.worker;
  const requestTimeoutMs = config.outbound.requestTimeoutMs;
  const stopTimeoutMs = options.stopTimeoutMs ?? requestTimeoutMs + ABANDON_GRACE_MS;
  const workerId = options.heartbeat?.workerId ?? options.workerId ?? defaultWorkerId();
  const log = logger.child({ component: 'delivery-worker', workerId });
  const component = 'delivery-worker';
  const workerEvents = options.events ?? createWorkerEvents(() => undefined);
  const sendGates = options.sendGates ?? SEND_GATES;
  const reportError = (error: unknown, during: string) => workerEvents.emit('worker.error', { workerId, component, error, during });

  if (leaseSeconds * 1000 <= requestTimeoutMs + ABANDON_GRACE_MS) {
    log.warn({ leaseSeconds, requestTimeoutMs }, 'the lease is not longer than a send may take: slow sends may be claimed twice');
  }

  /** Accounts whose provider reports results after sending, as met in `prepare`: their sent calls get a result check. */
  const resultReportingAccounts = new Map<string, SentCall['results']>();
  const queue = createDeliveryQueue({
    database,
    clock,
    workerId,
    leaseSeconds,
    backoff: { baseMs: config.delivery.backoffBaseMs, maxMs: config.delivery.backoffMaxMs },
    afterSent: (trx, sent, nowMs) =>
      scheduleResultChecks(
        trx,
        sent.flatMap(({ delivery, providerMessageId }) => {
          const results = delivery.channel_account_id === null ? undefined : resultReportingAccounts.get(delivery.channel_account_id);
          return results ? [{ channelAccountId: delivery.channel_account_id!, providerMessageId, sentAtMs: nowMs, results }] : [];
        }),
        nowMs,
      ),
  });
  const senders = createChannelAccountSenders({
    database,
    cryptoBox: options.cryptoBox,
    clock,
    providers: options.providers,
    logger: log,
    publicUrl: options.publicUrl,
    senderEnvironment: senderEnvironmentOf(config.outbound),
  });
  const routes = createChannelRouteLookup({ database, clock });
  const circuits = createAccountCircuits({
    database,
    clock,
    policy: { failureThreshold: config.delivery.circuitFailureThreshold, cooldownSeconds: config.delivery.circuitCooldownSeconds },
  });
  const quotas = createAccountQuotaLedger({ database, clock });
  const quotaRecheckMs = config.delivery.quotaRecheckSeconds * 1000;
  const gateServices = { database, clock, flowLimiter: createFlowLimiter({ database, clock }), routes, circuits, quotas, quotaRecheckMs };
  const tokens = options.tokens ?? createProviderTokenCache({ database, cryptoBox: options.cryptoBox, clock });
  const webPush = createWebPushDirectory({ database, cryptoBox: options.cryptoBox, clock });
  const goneAddressForgetters: GoneAddressForgetters = { pushSubscription: webPush.forget };
  const inbox = createInboxDepositor({ database, notifications: options.notifications, clock });
  const sendSlots = createSendSlots(concurrency);
  let running = false;
  let unsubscribe: (() => void) | undefined;
  let stopController = new AbortController();
  // Dead workers are looked for about as often as live ones heartbeat.
  const reapIntervalMs = Math.max(1000, Math.min((leaseSeconds * 1000) / 2, 30_000, options.heartbeat ? config.worker.heartbeatIntervalSeconds * 1000 : Infinity));
  let lastReapAtMs = -Infinity;
  let earlierLeasesReaped = false;

  const results = createGroupCommit<WorkerResult>({
    maxItems: Math.max(batchSize, 50),
    maxDelayMs: options.completionWindowMs ?? 10,
    maxConcurrentWrites: concurrentWritesFor(database.dialect),
    retryDelayMs: WRITE_RETRY_DELAY_MS,
    async write(items) {
      const summary = await queue.complete(items);
      if (summary.applied < items.length) workerEvents.emit('lease.lost', { workerId, component, count: items.length - summary.applied });
      if (summary.callbacksQueued > 0) options.onCallbacksQueued?.();
      claimLoop.written();
      const claimed = new Map(items.map((item) => [item.delivery.id, item]));
      for (const transition of summary.transitions) report(transition, claimed.get(transition.id)!);
    },
    onWriteError(error, itemCount) {
      reportError(error, `writing ${itemCount} delivery results (retrying)`);
    },
  });

  async function loadMessages(messageIds: string[]): Promise<Map<string, MessagesTable>> {
    const messages = new Map<string, MessagesTable>();
    for (let start = 0; start < messageIds.length; start += IDS_PER_QUERY) {
      const rows = await database.db.selectFrom('messages').selectAll().where('id', 'in', messageIds.slice(start, start + IDS_PER_QUERY)).execute();
      for (const row of rows) messages.set(row.id, row);
    }
    return messages;
  }

  /** Everything that can be decided before sending; deliveries that cannot go out are answered through `settle`. */
  async function prepare(deliveries: DeliveriesTable[], settle: Settle) {
    const messages = await loadMessages([...new Set(deliveries.map((d) => d.message_id))]);
    const accounts = await senders.resolve(deliveries.flatMap((d) => (d.channel_account_id === null ? [] : [d.channel_account_id])));
    const metadataByMessage = new Map<string, Record<string, string>>();
    const rendered = await Promise.all(
      deliveries.map(async (delivery): Promise<SendCandidate | undefined> => {
        const message = messages.get(delivery.message_id);
        if (!message) return void settle(delivery, failed('MESSAGE_NOT_FOUND', `Message ${delivery.message_id} no longer exists`));
        const lookup = delivery.channel_account_id === null ? undefined : accounts.get(delivery.channel_account_id);
        if (!lookup?.available) {
          return void settle(delivery, failed('CHANNEL_ACCOUNT_UNAVAILABLE', lookup?.reason ?? 'The delivery has no channel account'));
        }
        const { results } = lookup.account.definition;
        if (results) resultReportingAccounts.set(lookup.account.id, results);
        let content: RenderedMessage;
        try {
          content = await renderer.render(delivery, message);
        } catch (error) {
          const facts = { providerType: lookup.account.type, sendDurationMs: null };
          if (isStorageUnavailable(error)) return void settle(delivery, { kind: 'retry', code: STORAGE_UNAVAILABLE, message: errorText(error) }, facts);
          return void settle(delivery, failed(error instanceof HeraldError ? error.code : 'RENDER_FAILED', errorText(error)), facts);
        }
        let metadata = metadataByMessage.get(message.id);
        if (!metadata) metadataByMessage.set(message.id, (metadata = JSON.parse(message.metadata) as Record<string, string>));
        return { delivery, account: lookup.account, content, metadata };
      }),
    );

    const candidates = rendered.filter((candidate) => candidate !== undefined);
    return passSendGates(sendGates, candidates, gateServices, (candidate, decision) =>
      settle(candidate.delivery, decision, { providerType: candidate.account.type, sendDurationMs: null }),
    );
  }

  /** Reports a written result as the worker event its transition amounts to. */
  function report(transition: DeliveryTransition, { delivery, providerType, sendDurationMs }: WorkerResult): void {
    const base = {
      workerId,
      deliveryId: delivery.id,
      messageId: delivery.message_id,
      appId: delivery.app_id,
      channel: delivery.channel,
      channelAccountId: delivery.channel_account_id,
      providerType,
      attempts: transition.attempts,
      acceptedAtMs: delivery.created_at,
      sendDurationMs,
    };
    const last = transition.events.at(-1)!;
    const reason = { code: last.code ?? '', message: last.detail ?? '' };
    switch (last.type) {
      case 'sent':
        return workerEvents.emit('delivery.sent', { ...base, providerMessageId: transition.providerMessageId, sentAtMs: transition.sentAt! });
      case 'failed':
        return workerEvents.emit('delivery.failed', { ...base, ...reason });
      case 'skipped':
        return workerEvents.emit('delivery.skipped', { ...base, ...reason });
      case 'rate_limited':
        return workerEvents.emit('delivery.rate_limited', { ...base, ...reason, retryAtMs: transition.runAt! });
      case 'deferred':
      case 'flow_limited':
        return workerEvents.emit('delivery.deferred', { ...base, ...reason, untilMs: transition.runAt! });
      default:
        return workerEvents.emit('delivery.retrying', { ...base, ...reason, retryAtMs: transition.runAt! });
    }
  }

  /**
   * One provider call with the request timeout. A provider that throws or hangs still yields an
   * outcome: the retry it amounts to, which `call`'s caller applies to every delivery of the call.
   */
  async function callProvider<Answer>(call: (context: ProviderContext) => Promise<Answer>): Promise<{ answer: Answer } | { problem: SendOutcome }> {
    const controller = new AbortController();
    const stopSignal = stopController.signal;
    let abandonedBecause: 'TIMEOUT' | 'WORKER_STOPPED' | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let onStop: (() => void) | undefined;
    const abandoned = new Promise<{ problem: SendOutcome }>((resolve) => {
      const abandon = (code: 'TIMEOUT' | 'WORKER_STOPPED', reason: Error) => {
        if (abandonedBecause) return;
        abandonedBecause = code;
        controller.abort(reason);
        const message = code === 'TIMEOUT' ? `No answer within ${requestTimeoutMs} ms` : 'The worker stopped while the send was in flight';
        graceTimer = setTimeout(() => resolve({ problem: { kind: 'retry', code, message } }), ABANDON_GRACE_MS);
      };
      timeoutTimer = setTimeout(() => abandon('TIMEOUT', new DOMException(`No answer within ${requestTimeoutMs} ms`, 'TimeoutError')), requestTimeoutMs);
      onStop = () => abandon('WORKER_STOPPED', new DOMException('The worker stopped', 'AbortError'));
      if (stopSignal.aborted) onStop();
      else stopSignal.addEventListener('abort', onStop, { once: true });
    });

    try {
      const context: ProviderContext = { http: options.outboundHttp, tokens, clock, signal: controller.signal, webPush, inbox };
      return await Promise.race([call(context).then((answer) => ({ answer })), abandoned]);
    } catch (error) {
      if (abandonedBecause) return { problem: { kind: 'retry', code: abandonedBecause, message: errorText(error) } };
      log.warn({ err: error }, 'provider threw instead of returning an outcome');
      return { problem: { kind: 'retry', code: 'PROVIDER_ERROR', message: errorText(error) } };
    } finally {
      clearTimeout(timeoutTimer);
      clearTimeout(graceTimer);
      stopSignal.removeEventListener('abort', onStop!);
    }
  }

  function requestOf({ delivery, content, metadata }: SendCandidate): SendRequest {
    return {
      deliveryId: delivery.id,
      messageId: delivery.message_id,
      appId: delivery.app_id,
      dedupKey: delivery.id,
      attempt: delivery.attempts,
      address: delivery.address,
      content,
      metadata,
      priority: MESSAGE_PRIORITIES[delivery.priority] ?? 'normal',
      expiresAtMs: delivery.expires_at,
    };
  }

  /** Forgets the addresses the platform said are gone (Web Push 404/410), so later sends skip them; a failure here only delays that. */
  async function forgetGoneAddresses(call: readonly SendCandidate[], outcomes: readonly SendOutcome[]): Promise<void> {
    await Promise.all(
      call.map(async ({ delivery }, index) => {
        const outcome = outcomes[index];
        const kind = CHANNEL_CATALOG[delivery.channel as ChannelName]?.addressKind;
        const forget = kind && goneAddressForgetters[kind];
        if (outcome?.kind !== 'failed' || !outcome.addressGone || !forget || delivery.address === null) return;
        try {
          await forget(delivery.app_id, delivery.address);
        } catch (error) {
          reportError(error, `forgetting the ${kind} address ${delivery.address} the platform said is gone`);
        }
      }),
    );
  }

  /**
   * A provider's quota error (WeChat 45009, an Aliyun balance) marks the account exhausted, so the
   * quota gate holds or reroutes its other deliveries instead of calling; the deliveries of this
   * call wait until the platform's reset, or the recheck interval when it names none (an operator
   * clears the mark) — except routed ones, due again at once so the gate moves them to an account
   * with quota left. A failure to record the mark only means more calls meet the error.
   */
  async function markQuotaExhaustion(call: readonly SendCandidate[], outcomes: SendOutcome[], candidateRoutes: CandidateRoutes): Promise<void> {
    const { account } = call[0]!;
    const index = outcomes.findIndex((outcome) => outcome.kind === 'rate_limited' && outcome.quotaExhausted);
    if (index < 0) return;
    const nowMs = clock.now();
    const quotaOutcome = outcomes[index] as Extract<SendOutcome, { kind: 'rate_limited' }>;
    const untilMs = quotaOutcome.quotaExhausted!.untilMs ?? null;
    outcomes.forEach((outcome, k) => {
      if (outcome.kind !== 'rate_limited' || !outcome.quotaExhausted) return;
      const waitMs = candidateRoutes.has(call[k]!) ? 0 : Math.max(0, (untilMs ?? nowMs + quotaRecheckMs) - nowMs);
      outcomes[k] = { ...outcome, retryAfterMs: waitMs };
    });
    try {
      await quotas.markExhausted(account.id, { sinceMs: nowMs, untilMs, code: quotaOutcome.code, message: quotaOutcome.message });
      senders.forget(account.id);
    } catch (error) {
      reportError(error, `marking channel account ${account.id} out of quota`);
    }
  }

  /** One call for one delivery, or for a group of recipients of the same content (`sendBatch`); one outcome per candidate, in order. */
  async function send(call: readonly SendCandidate[]): Promise<SendOutcome[]> {
    const { account } = call[0]!;
    const requests = call.map(requestOf);
    if (call.length === 1) {
      const result = await callProvider((context) => account.send(requests[0]!, context));
      return ['answer' in result ? result.answer : result.problem];
    }
    const result = await callProvider((context) => account.sendBatch!(requests, context));
    if ('problem' in result) return call.map(() => result.problem);
    if (result.answer.length === call.length) return result.answer;
    const problem: SendOutcome = { kind: 'retry', code: 'PROVIDER_ERROR', message: `sendBatch answered ${result.answer.length} outcomes for ${call.length} recipients` };
    log.warn({ channelAccountId: account.id, recipients: call.length, outcomes: result.answer.length }, 'provider answered a batch with the wrong number of outcomes');
    return call.map(() => problem);
  }

  /** Claims due deliveries, and with each delivery of an account that sends to many recipients at once, its due siblings (same message and account) up to one call's worth. */
  async function claimDue(limit: number): Promise<DeliveriesTable[]> {
    const claimed = await queue.claim(limit);
    const batchable = await batchableGroups(claimed);
    for (const { messageId, accountId, size, maxRecipients } of batchable) {
      if (size % maxRecipients !== 0) claimed.push(...(await queue.claimSiblings(messageId, accountId, maxRecipients - (size % maxRecipients))));
    }
    return claimed;
  }

  async function batchableGroups(deliveries: readonly DeliveriesTable[]) {
    const withAccount = deliveries.filter((delivery) => delivery.channel_account_id !== null && delivery.address !== null);
    if (withAccount.length === 0) return [];
    const accounts = await senders.resolve(withAccount.map((delivery) => delivery.channel_account_id!));
    const groups = new Map<string, { messageId: string; accountId: string; size: number; maxRecipients: number }>();
    for (const delivery of withAccount) {
      const lookup = accounts.get(delivery.channel_account_id!);
      const maxRecipients = lookup?.available && lookup.account.sendBatch ? (lookup.account.definition.maxRecipientsPerCall ?? 1) : 1;
      if (maxRecipients <= 1) continue;
      const key = `${delivery.message_id}\u0000${delivery.channel_account_id}`;
      const group = groups.get(key);
      if (group) group.size++;
      else groups.set(key, { messageId: delivery.message_id, accountId: delivery.channel_account_id!, size: 1, maxRecipients });
    }
    return [...groups.values()];
  }

  /** Answers every claimed delivery exactly once, whatever fails on the way. */
  async function processBatch(deliveries: DeliveriesTable[], done: () => void): Promise<void> {
    const unanswered = new Set(deliveries);
    const settle: Settle = (delivery, outcome, facts = { providerType: null, sendDurationMs: null }) => {
      if (!unanswered.delete(delivery)) return;
      results.add({ delivery, outcome, ...facts });
      done();
    };
    try {
      const sendable = await prepare(deliveries, settle);
      const candidateRoutes = await routesOfCandidates(sendable, routes);
      await Promise.all(
        providerCalls(sendable).map(async (call) => {
          // Refused when the worker stops first: left unanswered, `releaseLeases` puts it back unattempted.
          if (!(await sendSlots.take())) return;
          try {
            const sendStartedMs = performance.now();
            const outcomes = await send(call);
            const facts = { providerType: call[0]!.account.type, sendDurationMs: performance.now() - sendStartedMs };
            await forgetGoneAddresses(call, outcomes);
            await markQuotaExhaustion(call, outcomes, candidateRoutes);
            const sends = call.map((candidate, index) => ({ candidate, outcome: outcomes[index]! }));
            let decided: DeliveryOutcome[] = outcomes;
            try {
              decided = await applyFailover(sends, candidateRoutes, circuits);
            } catch (error) {
              // The sends happened: their own outcomes stand (retried where they were transient), only failover is missed.
              reportError(error, 'recording circuit breaker outcomes (failover skipped for these sends)');
            }
            call.forEach((candidate, index) => settle(candidate.delivery, decided[index]!, facts));
          } finally {
            sendSlots.give();
          }
        }),
      );
      unanswered.forEach(() => done());
    } catch (error) {
      reportError(error, 'preparing a delivery batch (its deliveries will be retried)');
      for (const delivery of [...unanswered]) settle(delivery, { kind: 'retry', code: 'WORKER_ERROR', message: errorText(error) });
    }
  }

  /** Queues again what dead workers held: leases that ran out, of workers whose heartbeats stopped, and (once) of an earlier process with this id. */
  async function reap(): Promise<void> {
    let reaped: number;
    if (!earlierLeasesReaped) {
      do {
        reaped = await queue.reapEarlierLeases(batchSize);
        if (reaped > 0) workerEvents.emit('lease.taken_over', { workerId, component, count: reaped, from: 'earlier-process' });
      } while (reaped >= batchSize);
      earlierLeasesReaped = true;
    }
    const staleBeforeMs = options.heartbeat?.staleBeforeMs();
    do {
      reaped = await queue.reapExpiredLeases(batchSize, staleBeforeMs);
      if (reaped > 0) workerEvents.emit('lease.taken_over', { workerId, component, count: reaped, from: 'dead-worker' });
    } while (reaped >= batchSize);
  }

  async function reapIfDue(): Promise<void> {
    const nowMs = performance.now();
    if (nowMs - lastReapAtMs < reapIntervalMs) return;
    lastReapAtMs = nowMs;
    await reap();
  }

  const claimLoop = createClaimLoop<DeliveriesTable>({
    // Claim up to a batch ahead of the send slots: the next deliveries are ready the moment a
    // send returns, and claims stay large (each claim is a transaction).
    maxClaimed: concurrency + batchSize,
    batchSize,
    pollIntervalMs,
    claim: claimDue,
    process: processBatch,
    unwritten: () => results.pending,
    beforeClaim: reapIfDue,
    logger: log,
  });

  return {
    workerId,

    start() {
      if (running) return;
      running = true;
      stopController = new AbortController();
      sendSlots.open();
      lastReapAtMs = -Infinity;
      earlierLeasesReaped = false;
      unsubscribe = options.wakeup?.subscribe(() => claimLoop.wake());
      claimLoop.start();
    },

    async stop() {
      if (!running) return senders.close();
      running = false;
      unsubscribe?.();
      await claimLoop.stop();
      sendSlots.close();
      await claimLoop.settleWithin(stopTimeoutMs, () => {
        log.warn({ inFlight: claimLoop.active }, 'sends still in flight at the stop timeout: aborting them');
        stopController.abort();
      });
      try {
        await results.flush();
      } catch (error) {
        reportError(error, 'writing the last results at stop (their leases will expire and the deliveries run again)');
      }
      try {
        const released = await queue.releaseLeases();
        if (released > 0) workerEvents.emit('lease.released', { workerId, component, count: released });
      } catch (error) {
        reportError(error, 'releasing leases at stop (they will expire)');
      }
      await senders.close();
    },

    wake() {
      claimLoop.wake();
    },

    async drain() {
      await reap();
      sendSlots.open();
      return claimLoop.drain(Math.min(batchSize, concurrency), () => results.flush());
    },
  };
}

/**
 * Cuts the sendable deliveries into provider calls: one per delivery, except that recipients of
 * the same message through the same account with the same rendered content share calls of up to
 * the provider's `maxRecipientsPerCall` (WeCom app: 1,000 users per message/send).
 */
export function providerCalls(candidates: readonly SendCandidate[]): SendCandidate[][] {
  const calls: SendCandidate[][] = [];
  const groups = new Map<string, SendCandidate[]>();
  // Receivers of one message usually share one rendering object: stringify each object once.
  const contentKeys = new Map<RenderedMessage, string>();
  for (const candidate of candidates) {
    const { account, delivery, content } = candidate;
    const maxRecipients = account.sendBatch ? (account.definition.maxRecipientsPerCall ?? 1) : 1;
    if (maxRecipients <= 1 || delivery.address === null) {
      calls.push([candidate]);
      continue;
    }
    let contentKey = contentKeys.get(content);
    if (contentKey === undefined) contentKeys.set(content, (contentKey = JSON.stringify(content)));
    const key = `${account.id}\u0000${delivery.message_id}\u0000${contentKey}`;
    let group = groups.get(key);
    if (!group || group.length >= maxRecipients) {
      group = [];
      groups.set(key, group);
      calls.push(group);
    }
    group.push(candidate);
  }
  return calls;
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { HeraldConfig } from './config/config.ts';
import type { HeraldContext } from './context/herald-context.ts';
import { createAccessKeyService } from './domain/apps/access-key-service.ts';
import { createAppService } from './domain/apps/app-service.ts';
import { createReplayGuard } from './domain/auth/replay-guard.ts';
import { createChannelAccountService } from './domain/channel-accounts/channel-account-service.ts';
import { createChannelRouteService } from './domain/channel-accounts/channel-route-service.ts';
import { createSubscriberService } from './domain/subscribers/subscriber-service.ts';
import { createSubscriberPreferenceService } from './domain/subscribers/subscriber-preferences.ts';
import { createMessageTypeService } from './domain/message-types/message-type-service.ts';
import { createReceiverGroupService } from './domain/receiver-groups/receiver-group-service.ts';
import { createReceiptIntake } from './domain/receipts/receipt-intake.ts';
import { createPushSubscriptionService } from './domain/web-push/push-subscription-service.ts';
import { createSessionService } from './domain/users/session-service.ts';
import { createAppRateLimiter } from './domain/rate-limits/app-rate-limiter.ts';
import { createUserService } from './domain/users/user-service.ts';
import type { ApiServices } from './http/api-services.ts';
import { createAuthenticator } from './http/auth/authenticate.ts';
import { createInboxAuthenticator } from './http/auth/inbox-authenticate.ts';
import { createAnnouncementFeed } from './domain/inbox/announcement-feed.ts';
import { createInboxReadReceipt } from './domain/inbox/inbox-read-receipt.ts';
import { createInboxService } from './domain/inbox/inbox-service.ts';
import { createSubscriberAudience } from './domain/inbox/subscriber-audience.ts';
import { createHttpServer } from './http/create-http-server.ts';
import { createOpsServer } from './http/create-ops-server.ts';
import { countAccepted } from './http/metrics/accept-metrics.ts';
import { createHeraldMetrics } from './http/metrics/herald-metrics.ts';
import { registerQueueMetrics } from './http/metrics/queue-metrics.ts';
import { registerQuotaMetrics } from './http/metrics/quota-metrics.ts';
import { recordWorkerEvents } from './http/metrics/worker-event-metrics.ts';
import type { HeraldServer } from './http/route-module.ts';
import { createLogger, type Logger } from './logger.ts';
import { createProviderRegistry } from './providers/provider-registry.ts';
import { createCryptoBox } from './security/crypto-box.ts';
import { loadOrCreateMasterKey } from './security/master-key.ts';
import { openDatabase, type HeraldDatabase } from './storage/database.ts';
import { migrateToLatest } from './storage/migrator.ts';
import { isStorageUnavailable } from './storage/storage-unavailable.ts';
import { createScheduler } from './scheduler/scheduler.ts';
import { createPolicyCounters } from './domain/messages/policy-counters.ts';
import { createCallbackWorker } from './dispatch/callback-worker.ts';
import { createDeliveryWorker } from './dispatch/delivery-worker.ts';
import { createChannelAccountSenders, senderEnvironmentOf } from './dispatch/channel-account-senders.ts';
import { createMessageRecall } from './dispatch/message-recall.ts';
import { createProviderTokenCache } from './dispatch/provider-token-cache.ts';
import { createResultCheckWorker } from './dispatch/result-check-worker.ts';
import { createMessageControl } from './deliveries/message-control.ts';
import { createDeliveryWakeup } from './dispatch/wakeup.ts';
import { createInboxStreamHub } from './http/inbox-stream-hub.ts';
import { createDatabaseNotifications } from './storage/database-notifications.ts';
import { createWorkerHeartbeat, defaultWorkerId } from './dispatch/worker-heartbeat.ts';
import { logWorkerEvents } from './dispatch/worker-event-log.ts';
import { createWorkerEvents } from './dispatch/worker-events.ts';
import { createMessageIntake, type TemplateGate } from './domain/messages/message-intake.ts';
import { createMessageQuery } from './domain/messages/message-query.ts';
import { createMessageRenderer } from './domain/messages/message-renderer.ts';
import { createAnnouncementService } from './domain/inbox/announcement-service.ts';
import { createAuditLogService } from './domain/audit/audit-log-service.ts';
import { createProviderCallStats } from './domain/stats/provider-call-stats.ts';
import { createQueueStats } from './domain/stats/queue-stats.ts';
import { createScheduleService } from './domain/schedules/schedule-service.ts';
import { PRIORITIES, type SendRequestBody } from './domain/messages/send-request-schema.ts';
import { createScheduleRunner, type ScheduleRunner } from './dispatch/schedule-runner.ts';
import { createDigestRunner, type DigestRunner } from './dispatch/digest-runner.ts';
import { createEscalationRunner, type EscalationRunner } from './dispatch/escalation-runner.ts';
import { createRetentionRunner, type RetentionRunner } from './dispatch/retention-runner.ts';
import { createAlarmRunner, type AlarmRunner } from './dispatch/alarm-runner.ts';
import { recordOutcomeCounters } from './dispatch/outcome-counters.ts';
import { recordLatencyCounters } from './dispatch/latency-counters.ts';
import { createCounterBuffer, purgeOldCounters } from './deliveries/counter-buffer.ts';
import { countAcceptedDeliveries } from './domain/stats/accept-counters.ts';
import { createDeliveryStats } from './domain/stats/delivery-stats.ts';
import { createAlarmHistory } from './domain/alarms/alarm-history.ts';
import { ensureAlarmMessageType } from './domain/alarms/alarm-message-type.ts';
import { createAlarmRuleService } from './domain/alarms/alarm-rule-service.ts';
import { createQuotaReadRunner, type QuotaReadRunner } from './dispatch/quota-read-runner.ts';
import { createAckLinks } from './security/ack-links.ts';
import { createDeliveryAcknowledgement } from './deliveries/delivery-acknowledgement.ts';
import { createTemplateService } from './domain/templates/template-service.ts';
import { createOutboundDispatcher } from './providers/outbound-http.ts';
import { createIngestAdapters } from './ingest/create-ingest-adapters.ts';
import { createSendRequestIntake } from './ingest/send-request-intake.ts';
import { createRenderPool } from './templates/render-pool.ts';
import { createTemplateRenderer } from './templates/template-renderer.ts';

export const ROLES = ['api', 'worker', 'scheduler', 'ingest'] as const;
export type HeraldRole = (typeof ROLES)[number];

export interface HeraldOptions {
  roles?: readonly HeraldRole[];
  clock?: Clock;
  logger?: Logger;
  /** Uniform in [0, 1), for weighted channel routes. Default Math.random; tests pass a seeded one. */
  random?: () => number;
}

export interface Herald {
  context: HeraldContext;
  services: ApiServices;
  /** Present when the `api` role runs; tests call `server.inject()`. */
  server: HeraldServer | undefined;
  /** Present without the `api` role when HERALD_OPS_PORT is set: /healthz, /readyz and /metrics. */
  opsServer: HeraldServer | undefined;
  /** Present when the `scheduler` role runs; tests drive it with a ManualClock. */
  scheduleRunner: ScheduleRunner | undefined;
  digestRunner: DigestRunner | undefined;
  /** Present when the `scheduler` role runs; tests drive it with a ManualClock. */
  escalationRunner: EscalationRunner | undefined;
  /** Present when the `scheduler` role runs; tests drive it with a ManualClock. */
  retentionRunner: RetentionRunner | undefined;
  /** Present when the `scheduler` role runs; tests drive it with a ManualClock. */
  alarmRunner: AlarmRunner | undefined;
  quotaReadRunner: QuotaReadRunner | undefined;
  /** Listens (api), starts workers and the scheduler. */
  start(): Promise<void>;
  /** Graceful: stops accepting, lets in-flight work finish, releases leases, closes the database. */
  stop(): Promise<void>;
}

/**
 * The composition root: the one place that builds every component from the
 * validated configuration and wires them together.
 */
export async function createHerald(config: HeraldConfig, options: HeraldOptions = {}): Promise<Herald> {
  const roles = new Set(options.roles ?? ROLES);
  const logger = options.logger ?? createLogger(config.logLevel, undefined, config.logFormat);
  const clock = options.clock ?? systemClock;
  const database = openDatabase(config.storage, {
    clock,
    onConnectionError: (error) => logger.warn({ err: error }, 'a database connection failed; the pool replaces it'),
  });
  await migrateOnceReachable(database, logger);
  const masterKey = loadOrCreateMasterKey(config.masterKey, config.dataDir);
  const context: HeraldContext = {
    config,
    database,
    clock,
    cryptoBox: createCryptoBox(masterKey),
    logger,
    notifications: createDatabaseNotifications({ database, storage: config.storage, logger }),
  };
  const ackLinks = createAckLinks(masterKey, config.http.publicUrl);
  const acknowledgement = createDeliveryAcknowledgement(context);

  const apps = createAppService(context);
  const keys = createAccessKeyService(context, apps);
  const users = createUserService(context);
  const sessions = createSessionService(context, users);
  const replay = createReplayGuard(context);
  const authenticator = createAuthenticator({ keys, replay, sessions, clock: context.clock, signatureMaxSkewSeconds: config.auth.signatureMaxSkewSeconds });
  const providers = createProviderRegistry();
  const subscribers = createSubscriberService(context);
  const preferences = createSubscriberPreferenceService(context);
  const messageTypes = createMessageTypeService(context);
  const receiverGroups = createReceiverGroupService(context);
  const pushSubscriptions = createPushSubscriptionService(context);
  /** Subscribers as a send needs them: with their browsers' push subscriptions. */
  const findSubscribers = async (appId: string, externalIds: readonly string[]) => {
    const found = await subscribers.resolveSubscribers(appId, externalIds);
    const pushIds = await pushSubscriptions.idsBySubscriber([...found.values()].map((subscriber) => subscriber.id));
    return new Map([...found].map(([externalId, subscriber]) => [externalId, { ...subscriber, pushSubscriptionIds: pushIds.get(subscriber.id) ?? [] }]));
  };
  const channelAccounts = createChannelAccountService(context, providers);
  const channelRoutes = createChannelRouteService(context, providers, (appId) => channelAccounts.forgetSendable(appId));

  const outboundHttp = createOutboundDispatcher({
    policy: { allowLoopback: config.outbound.allowLoopback, allowPrivateNetworks: config.outbound.allowPrivateNetworks },
    connectTimeoutMs: config.outbound.connectTimeoutMs,
    requestTimeoutMs: config.outbound.requestTimeoutMs,
  });
  const wakeup = createDeliveryWakeup(context.notifications);
  const heartbeat = roles.has('worker')
    ? createWorkerHeartbeat({
        database,
        clock,
        workerId: config.worker.id ?? defaultWorkerId(),
        intervalSeconds: config.worker.heartbeatIntervalSeconds,
        deadAfterSeconds: config.worker.deadAfterSeconds,
        logger,
      })
    : undefined;
  // What the workers report; logs, metrics, the alarms' outcome counters and the dashboard's latency counters subscribe here.
  const workerEvents = createWorkerEvents((error, name) => logger.error({ err: error, event: name }, 'a worker event listener failed'));
  logWorkerEvents(workerEvents, logger);
  // This instance's metrics: each process serves what it counted itself (its api role's /metrics), and the queue as the database sees it.
  const metrics = createHeraldMetrics();
  recordWorkerEvents(workerEvents, metrics);
  // Per-minute counts for the alarm rules and the dashboard, written once a second by whichever process counted them.
  const counters = createCounterBuffer({ database, clock, logger });
  const stopCounting = heartbeat ? [recordOutcomeCounters(workerEvents, counters), recordLatencyCounters(workerEvents, counters)] : [];
  const countAcceptMetrics = countAccepted(metrics);
  const countAcceptStats = countAcceptedDeliveries(counters);
  registerQueueMetrics(metrics.registry, { database, clock, cacheTtlMs: QUEUE_METRICS_CACHE_TTL_MS });
  registerQuotaMetrics(metrics.registry, { database, clock, cacheTtlMs: QUEUE_METRICS_CACHE_TTL_MS });
  const callbackWorker = heartbeat ? createCallbackWorker({ database, config, clock, cryptoBox: context.cryptoBox, outboundHttp, logger, heartbeat, events: workerEvents }) : undefined;
  const onCallbacksQueued = () => callbackWorker?.wake();
  // Threads start on the first render: a process that never renders (the CLI, an idle api) starts none.
  const renderPool = createRenderPool({ threads: config.render.threads, logger });
  const templateRenderer = createTemplateRenderer({ pool: renderPool, requestBudgetMs: config.render.requestBudgetMs, deliveryBudgetMs: config.render.deliveryBudgetMs });
  const renderer = createMessageRenderer(context, templateRenderer, ackLinks);
  const intakeWith = (templates: TemplateGate) =>
    createMessageIntake(context, {
      directory: { findSubscribers, accountsForSend: channelAccounts.resolveAccountsForSend, messageType: messageTypes.forSend, groupMembers: receiverGroups.expand },
      providers,
      templates,
      appSettings: (appId) => apps.settings(appId),
      onQueued: () => wakeup.notifyDeliveriesQueued(),
      onCallbacksQueued,
      onAccepted: (appId, deliveries) => {
        countAcceptMetrics(appId, deliveries);
        countAcceptStats(appId, deliveries);
      },
      random: options.random,
    });
  const intake = intakeWith(renderer.gate);
  const templates = createTemplateService(context, { gate: renderer.gate, intakeWith, renderer: templateRenderer });
  const messageControl = createMessageControl({ database, clock: context.clock, wakeup, onCallbacksQueued });
  // One token cache for this process (workers and recalls share fetches of the same token); the database shares it with other processes.
  const tokens = createProviderTokenCache({ database, cryptoBox: context.cryptoBox, clock });
  // Recalls call providers from the api process, through senders of its own.
  const recallSenders = createChannelAccountSenders({
    database,
    cryptoBox: context.cryptoBox,
    clock,
    providers,
    logger,
    senderEnvironment: senderEnvironmentOf(config.outbound),
  });
  const messageRecall = createMessageRecall({
    database,
    clock,
    senders: recallSenders,
    tokens,
    outboundHttp,
    messageControl,
    requestTimeoutMs: config.outbound.requestTimeoutMs,
    logger,
  });
  const announcementFeed = createAnnouncementFeed(context);
  const inbox = createInboxService(context, { feed: announcementFeed, audience: createSubscriberAudience(context), readReceipt: createInboxReadReceipt({ database, clock, acknowledgement }) });
  const inboxStreams = createInboxStreamHub({
    source: {
      entries: inbox.entries,
      recent: async (owner, limit) => (await inbox.list(owner, { limit })).items,
      counts: inbox.counts,
      announcementChangeFor: inbox.announcementChangeFor,
      nextAnnouncementChange: announcementFeed.nextChange,
    },
    notifications: context.notifications,
    clock,
    logger,
  });
  const services: ApiServices = {
    context,
    authenticator,
    apps,
    rateLimits: createAppRateLimiter(context, apps),
    keys,
    users,
    sessions,
    subscribers,
    preferences,
    messageTypes,
    receiverGroups,
    pushSubscriptions,
    channelAccounts,
    channelRoutes,
    intake,
    messageQuery: createMessageQuery(context),
    messageControl,
    messageRecall,
    receipts: createReceiptIntake(context, providers),
    acknowledgement,
    ackLinks,
    templates,
    schedules: createScheduleService(context),
    announcements: createAnnouncementService(context),
    alarmRules: createAlarmRuleService(context, (appId, actor) => ensureAlarmMessageType(appId, { messageTypes, templates }, actor)),
    alarmHistory: createAlarmHistory(context),
    auditLog: createAuditLogService(context),
    providerCallStats: createProviderCallStats(context),
    deliveryStats: createDeliveryStats(context),
    queueStats: createQueueStats(context),
    inboxAuth: createInboxAuthenticator({ apps, clock }),
    inbox,
    inboxStreams,
    announcementFeed,
    metrics,
  };

  const server = roles.has('api') ? await createHttpServer(services) : undefined;
  // Worker and scheduler processes serve probes and their own metrics on HERALD_OPS_PORT, when it is set.
  const opsServer = !server && config.http.opsPort !== undefined ? await createOpsServer(services) : undefined;
  // Broker ingestion: the ingest role, or the api role when configured; no broker URL, no adapter.
  const ingestAdapters =
    roles.has('ingest') || (roles.has('api') && config.ingest.withApi)
      ? await createIngestAdapters(config.ingest, {
          intake: createSendRequestIntake({ keys, apps, rateLimits: services.rateLimits, intake, clock, logger, jsonMaxDepth: config.http.jsonMaxDepth, retryDelayMs: config.ingest.retryDelayMs }),
          logger,
        })
      : [];
  const deliveryWorker = heartbeat
    ? createDeliveryWorker({
        database,
        config,
        clock,
        providers,
        cryptoBox: context.cryptoBox,
        outboundHttp,
        renderer,
        logger,
        notifications: context.notifications,
        wakeup,
        onCallbacksQueued,
        heartbeat,
        events: workerEvents,
        tokens,
        publicUrl: config.http.publicUrl,
      })
    : undefined;
  const resultCheckWorker = heartbeat
    ? createResultCheckWorker({ database, config, clock, providers, cryptoBox: context.cryptoBox, outboundHttp, logger, heartbeat, events: workerEvents, tokens })
    : undefined;
  const scheduler = roles.has('scheduler') ? createScheduler(context, [replay.purge, sessions.purgeExpired, createPolicyCounters(context).purgeExpired, () => purgeOldCounters(database, clock.now())]) : undefined;
  // The scheduler role's runners over leased tables: one lease owner id for the process, so a restart under HERALD_WORKER_ID takes its own leases back.
  const runnerOptions = {
    database,
    clock,
    workerId: config.worker.id ?? defaultWorkerId(),
    leaseSeconds: config.worker.leaseSeconds,
    pollIntervalMs: config.worker.pollIntervalMs,
    logger,
  };
  // Schedule ticks run in the scheduler role, exactly once however many schedulers run (see schedule-runner.ts).
  const scheduleRunner = roles.has('scheduler')
    ? createScheduleRunner({
        ...runnerOptions,
        accept: (appId, message, idempotencyKey) => intake.accept(appId, JSON.parse(message) as SendRequestBody, idempotencyKey),
      })
    : undefined;
  // Digest windows end in the scheduler role too, each flushed exactly once (see digest-runner.ts).
  const digestRunner = roles.has('scheduler')
    ? createDigestRunner({
        ...runnerOptions,
        // The receiver and channel are those of deliveries the intake accepted: a valid send request.
        accept: (appId, message, idempotencyKey) => intake.accept(appId, message as SendRequestBody, idempotencyKey),
      })
    : undefined;
  // Escalation steps run in the scheduler role too, each exactly once (see escalation-runner.ts).
  const escalationRunner = roles.has('scheduler')
    ? createEscalationRunner({
        ...runnerOptions,
        accept: (appId, { to, channels, template, content, data, metadata, priority }, idempotencyKey) =>
          intake.accept(
            appId,
            { to, channels, ...(template !== undefined ? { template } : { content }), data, metadata, priority: PRIORITIES[priority] } as SendRequestBody,
            idempotencyKey,
          ),
      })
    : undefined;
  // The retention purge runs in the scheduler role too, in one process at a time (see retention-runner.ts).
  const retentionRunner = roles.has('scheduler') ? createRetentionRunner({ ...runnerOptions, retention: config.retention }) : undefined;
  // Alarm rules are evaluated in the scheduler role too, each once per interval (see alarm-runner.ts); alarms are sent as the app's own messages.
  const alarmRunner = roles.has('scheduler')
    ? createAlarmRunner({
        ...runnerOptions,
        evaluationIntervalSeconds: config.alarms.evaluationIntervalSeconds,
        accept: (appId, message, idempotencyKey) => intake.accept(appId, message as SendRequestBody, idempotencyKey),
      })
    : undefined;
  // Platform-reported quotas (WeChat openapi/quota/get) are read in the scheduler role, by one process at a time (see quota-read-runner.ts).
  const quotaReadRunner = roles.has('scheduler')
    ? createQuotaReadRunner({ ...runnerOptions, config, providers, cryptoBox: context.cryptoBox, outboundHttp, tokens })
    : undefined;

  return {
    context,
    services,
    server,
    opsServer,
    scheduleRunner,
    digestRunner,
    escalationRunner,
    retentionRunner,
    alarmRunner,
    quotaReadRunner,
    async start() {
      // Registered before the first claim, so peers never see this worker's leases without its heartbeat.
      await heartbeat?.start();
      deliveryWorker?.start();
      callbackWorker?.start();
      resultCheckWorker?.start();
      scheduler?.start();
      scheduleRunner?.start();
      digestRunner?.start();
      escalationRunner?.start();
      retentionRunner?.start();
      alarmRunner?.start();
      quotaReadRunner?.start();
      if (server) await server.listen({ host: config.http.host, port: config.http.port });
      if (opsServer) await opsServer.listen({ host: config.http.host, port: config.http.opsPort });
      for (const adapter of ingestAdapters) await adapter.start();
    },
    async stop() {
      // Live streams never end by themselves: they are closed first, or closing the server would wait for them.
      inboxStreams.close();
      // Brokers first: requests in hand settle while the database is still open; the rest stay unacked in the broker.
      await Promise.all(ingestAdapters.map((adapter) => adapter.stop()));
      await server?.close();
      await opsServer?.close();
      await Promise.all([deliveryWorker?.stop(), callbackWorker?.stop(), resultCheckWorker?.stop(), scheduler?.stop(), scheduleRunner?.stop(), digestRunner?.stop(), escalationRunner?.stop(), retentionRunner?.stop(), quotaReadRunner?.stop(), alarmRunner?.stop()]);
      for (const stop of stopCounting) stop();
      await counters.stop();
      await heartbeat?.stop();
      await recallSenders.close();
      await renderPool.close();
      announcementFeed.close();
      await context.notifications.close();
      await outboundHttp.close();
      await database.close();
    },
  };
}

const DATABASE_WAIT_RETRY_MS = 1000;
/** Scrapes within this long share one queue query. */
const QUEUE_METRICS_CACHE_TTL_MS = 5000;

/**
 * A process started while the database is down waits for it rather than exiting: orchestrators
 * often start Herald and its database together, or restart them in any order.
 */
async function migrateOnceReachable(database: HeraldDatabase, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(database);
      return;
    } catch (error) {
      if (!isStorageUnavailable(error)) throw error;
      if (attempt === 1) logger.warn({ err: error }, 'the database is unavailable; waiting for it');
      await sleep(DATABASE_WAIT_RETRY_MS);
    }
  }
}

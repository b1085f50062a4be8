import os from 'node:os';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeraldError } from '../errors.ts';

/**
 * The only module that reads the environment. Everything else receives the
 * validated, typed `HeraldConfig` from the composition root.
 */

export type StorageConfig =
  | { dialect: 'sqlite'; file: string }
  | { dialect: 'postgres'; url: string; poolSize: number };

export interface HeraldConfig {
  http: {
    host: string;
    port: number;
    bodyLimitBytes: number;
    jsonMaxDepth: number;
    trustProxy: boolean;
    /** Where platforms and browsers reach Herald (no trailing slash); receipt URLs start with it. */
    publicUrl: string | undefined;
    /** Where a process without the api role serves /healthz, /readyz and /metrics; undefined: it serves no HTTP. */
    opsPort: number | undefined;
    /** The built web console served at `/` (Vite's output). */
    consoleDir: string;
  };
  dataDir: string;
  storage: StorageConfig;
  /** 32-byte key as base64 or hex; when absent one is generated into `dataDir` on first start. */
  masterKey: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `auto`: readable lines on a terminal, JSON otherwise. */
  logFormat: 'auto' | 'json' | 'pretty';
  auth: {
    signatureMaxSkewSeconds: number;
    sessionTtlSeconds: number;
    cookieSecure: boolean;
    loginMaxFailures: number;
    loginMaxFailuresPerAddress: number;
    loginLockSeconds: number;
    /** Login attempts (failed or not) per client address per minute, whatever the e-mails. */
    loginAttemptsPerMinute: number;
  };
  /** Default per-app API rate limits (token buckets); apps override them in `settings.rateLimits`. */
  rateLimits: { sendPerSecond: number; sendBurst: number; managePerSecond: number; manageBurst: number };
  outbound: { allowLoopback: boolean; allowPrivateNetworks: boolean; connectTimeoutMs: number; requestTimeoutMs: number };
  worker: {
    id: string | undefined;
    concurrency: number;
    batchSize: number;
    leaseSeconds: number;
    pollIntervalMs: number;
    heartbeatIntervalSeconds: number;
    deadAfterSeconds: number;
  };
  delivery: {
    maxAttempts: number;
    maxAgeSeconds: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    /** Transient failures in a row that open an account's circuit. */
    circuitFailureThreshold: number;
    /** How long an open circuit keeps failover routes away from the account before one probe. */
    circuitCooldownSeconds: number;
    /** How long deliveries of an account out of quota with no known reset (a balance) wait before the gate looks again. */
    quotaRecheckSeconds: number;
    /** How often one scheduler process reads the platforms' reported quotas (WeChat openapi/quota/get). */
    quotaReadIntervalSeconds: number;
  };
  /** Templates render on worker threads, within a total time budget per request and per delivery. */
  render: { threads: number; requestBudgetMs: number; deliveryBudgetMs: number };
  /** Who may scrape /metrics: a bearer token, and/or client addresses (IPs and CIDRs). */
  metrics: { token: string | undefined; allow: readonly MetricsAllowEntry[] };
  /** The scheduler role purges finished messages and expired records (see src/dispatch/retention-runner.ts). */
  retention: { days: number; auditDays: number; intervalSeconds: number; batchSize: number; pauseMs: number };
  /** The scheduler role evaluates each alarm rule this often (see src/dispatch/alarm-runner.ts). */
  alarms: { evaluationIntervalSeconds: number };
  /** /readyz fails when the oldest due delivery has waited longer than this; undefined: the lag is reported only. */
  readiness: { maxLagSeconds: number | undefined };
  /** Send requests consumed from message brokers (the `ingest` role; see docs/brokers.md). A broker without a URL is not used. */
  ingest: {
    /** The api role consumes too, so one process serves both. */
    withApi: boolean;
    prefetch: number;
    /** Longest wait before a request that met an outage or a rate limit is delivered again. */
    retryDelayMs: number;
    amqp: { url: string; queue: string } | undefined;
    mqtt: { url: string; topicPrefix: string; clientId: string } | undefined;
    nats: { url: string; stream: string; subjectPrefix: string; consumer: string; ackWaitSeconds: number } | undefined;
  };
}

/** One entry of HERALD_METRICS_ALLOW: an address, or a network as address/prefix. */
export interface MetricsAllowEntry {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

type Env = Record<string, string | undefined>;

interface Field<T> {
  name: string;
  description: string;
  defaultText: string;
  parse(raw: string | undefined): T;
}

function configError(name: string, message: string): HeraldError {
  return new HeraldError('invalid', 'CONFIG_INVALID', `${name}: ${message}`, { variable: name });
}

function integer(name: string, fallback: number, min: number, max: number, description: string, defaultText = String(fallback)): Field<number> {
  return {
    name,
    description,
    defaultText,
    parse(raw) {
      if (raw === undefined || raw === '') return fallback;
      if (!/^\d+$/.test(raw.trim())) throw configError(name, `expected a whole number, got "${raw}"`);
      const value = Number(raw);
      if (value < min || value > max) throw configError(name, `must be between ${min} and ${max}, got ${value}`);
      return value;
    },
  };
}

/** Like `integer`, but unset means undefined (the feature it tunes is off). */
function optionalInteger(name: string, min: number, max: number, description: string): Field<number | undefined> {
  const field = integer(name, 0, min, max, description, '(none)');
  return { ...field, parse: (raw) => (raw === undefined || raw === '' ? undefined : field.parse(raw)) };
}

function boolean(name: string, fallback: boolean, description: string): Field<boolean> {
  return {
    name,
    description,
    defaultText: String(fallback),
    parse(raw) {
      if (raw === undefined || raw === '') return fallback;
      const normalised = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(normalised)) return true;
      if (['0', 'false', 'no', 'off'].includes(normalised)) return false;
      throw configError(name, `expected true or false, got "${raw}"`);
    },
  };
}

function text(name: string, fallback: string | undefined, description: string, defaultText = fallback ?? '(none)'): Field<string | undefined> {
  return { name, description, defaultText, parse: (raw) => (raw === undefined || raw === '' ? fallback : raw) };
}

function oneOf<T extends string>(name: string, fallback: T, values: readonly T[], description: string): Field<T> {
  return {
    name,
    description,
    defaultText: fallback,
    parse(raw) {
      if (raw === undefined || raw === '') return fallback;
      if (!values.includes(raw as T)) throw configError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
      return raw as T;
    },
  };
}

/** Where `npm run console:build` writes the console: console/dist beside src/. */
const BUILT_CONSOLE_DIR = fileURLToPath(new URL('../../console/dist', import.meta.url));

/** Every variable Herald reads; the README's configuration table is generated from this list. */
export const configFields = {
  port: integer('PORT', 8080, 0, 65535, 'HTTP port for the API and console'),
  host: text('HOST', '0.0.0.0', 'Interface to listen on'),
  dataDir: text('DATA_DIR', './data', 'Directory for the SQLite database and the generated master key (created 0700; files 0600)'),
  databaseUrl: text('DATABASE_URL', undefined, 'PostgreSQL connection URL; when unset Herald uses SQLite under DATA_DIR'),
  databasePoolSize: integer('DATABASE_POOL_SIZE', 10, 1, 200, 'PostgreSQL connections per process'),
  masterKey: text('HERALD_MASTER_KEY', undefined, '32-byte key (base64 or hex) encrypting secrets at rest', 'generated into DATA_DIR/master.key (0600)'),
  logLevel: oneOf('LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'pino log level'),
  logFormat: oneOf('LOG_FORMAT', 'auto', ['auto', 'json', 'pretty'] as const, 'Log lines as JSON, or readable (pretty); auto: readable on a terminal, JSON otherwise'),
  bodyLimitBytes: integer('HERALD_BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600, 'Largest accepted request body'),
  jsonMaxDepth: integer('HERALD_JSON_MAX_DEPTH', 64, 2, 256, 'Deepest nesting of objects and arrays accepted in a JSON body'),
  trustProxy: boolean('HERALD_TRUST_PROXY', false, 'Trust X-Forwarded-* headers (behind a reverse proxy)'),
  consoleDir: text('HERALD_CONSOLE_DIR', undefined, 'Directory of the built web console that Herald serves at `/`', 'console/dist of this installation (built by `npm install`)'),
  publicUrl: text('HERALD_PUBLIC_URL', undefined, 'The http(s) URL platforms reach Herald at, e.g. https://herald.example.com; delivery receipt URLs shown on channel accounts (and given to Twilio) start with it'),
  signatureMaxSkewSeconds: integer('HERALD_SIGNATURE_MAX_SKEW_SECONDS', 300, 30, 3600, 'Allowed clock skew of a signed request (X-Amz-Date)'),
  sessionTtlSeconds: integer('HERALD_SESSION_TTL_SECONDS', 43_200, 300, 2_592_000, 'Console session lifetime'),
  cookieSecure: boolean('HERALD_COOKIE_SECURE', false, 'Mark the session cookie Secure (set true behind HTTPS)'),
  loginMaxFailures: integer('HERALD_LOGIN_MAX_FAILURES', 5, 1, 1000, 'Failed logins per e-mail and address before a lock'),
  loginMaxFailuresPerAddress: integer('HERALD_LOGIN_MAX_FAILURES_PER_ADDRESS', 20, 1, 100_000, 'Failed logins from one client address, whatever the e-mails, before the address is locked'),
  loginLockSeconds: integer('HERALD_LOGIN_LOCK_SECONDS', 900, 1, 86_400, 'How long a login lock lasts; failures count within the same window'),
  loginAttemptsPerMinute: integer('HERALD_LOGIN_ATTEMPTS_PER_MINUTE', 20, 1, 100_000, 'Login attempts (failed or not) from one client address per minute, whatever the e-mails; over it → 429 `LOGIN_RATE_LIMITED`'),
  rateSendPerSecond: integer('HERALD_RATE_SEND_PER_SECOND', 100_000, 1, 10_000_000, 'Default send rate per app: receivers accepted per second (a batch costs one per receiver); apps override it in settings.rateLimits'),
  rateSendBurst: integer('HERALD_RATE_SEND_BURST', 200_000, 1, 100_000_000, 'Default send burst per app: receivers accepted at once before the send rate applies'),
  rateManagePerSecond: integer('HERALD_RATE_MANAGE_PER_SECOND', 1_000, 1, 10_000_000, 'Default rate per app of the other state-changing /v1 calls (POST, PUT, PATCH, DELETE)'),
  rateManageBurst: integer('HERALD_RATE_MANAGE_BURST', 5_000, 1, 100_000_000, 'Default burst per app of the other state-changing /v1 calls'),
  outboundAllowLoopback: boolean('HERALD_OUTBOUND_ALLOW_LOOPBACK', false, 'Allow provider/callback URLs that resolve to loopback'),
  outboundAllowPrivate: boolean('HERALD_OUTBOUND_ALLOW_PRIVATE', false, 'Allow provider/callback URLs that resolve to private networks'),
  outboundConnectTimeoutMs: integer('HERALD_OUTBOUND_CONNECT_TIMEOUT_MS', 5000, 100, 120_000, 'Outbound connect timeout'),
  outboundRequestTimeoutMs: integer('HERALD_OUTBOUND_REQUEST_TIMEOUT_MS', 15_000, 100, 600_000, 'Outbound request timeout (a send that takes longer is retried)'),
  workerId: text('HERALD_WORKER_ID', undefined, "Names this process's leases and log lines (e.g. the pod name); unique among running processes", 'host:pid:random'),
  workerConcurrency: integer('HERALD_WORKER_CONCURRENCY', 64, 1, 2000, 'Sends in flight per worker process'),
  workerBatchSize: integer('HERALD_WORKER_BATCH_SIZE', 100, 1, 5000, 'Deliveries claimed per query'),
  leaseSeconds: integer('HERALD_LEASE_SECONDS', 60, 5, 3600, 'Lease on a claimed delivery; an expired lease is claimed again'),
  pollIntervalMs: integer('HERALD_POLL_INTERVAL_MS', 1000, 10, 60_000, 'Worker polling interval (wake-ups are only hints)'),
  heartbeatIntervalSeconds: integer('HERALD_HEARTBEAT_INTERVAL_SECONDS', 5, 1, 300, 'How often a worker process records that it is alive'),
  deadAfterSeconds: integer('HERALD_WORKER_DEAD_AFTER_SECONDS', 15, 2, 3600, 'A worker whose heartbeats stopped this long ago is dead: its leases are taken over at once (at least twice the heartbeat interval)'),
  maxAttempts: integer('HERALD_MAX_ATTEMPTS', 8, 1, 100, 'Default attempts per delivery (apps may override)'),
  maxAgeSeconds: integer('HERALD_MAX_AGE_SECONDS', 86_400, 60, 2_592_000, 'Default age after which a delivery stops retrying'),
  backoffBaseMs: integer('HERALD_BACKOFF_BASE_MS', 2000, 1, 3_600_000, 'First retry delay; doubles per attempt, with jitter'),
  backoffMaxMs: integer('HERALD_BACKOFF_MAX_MS', 3_600_000, 1, 86_400_000, 'Longest retry delay'),
  circuitFailureThreshold: integer('HERALD_CIRCUIT_FAILURES', 5, 1, 1000, 'Transient failures in a row that open a channel account\'s circuit (failover routes then use the next account)'),
  circuitCooldownSeconds: integer('HERALD_CIRCUIT_COOLDOWN_SECONDS', 30, 1, 86_400, 'How long an open circuit lasts before one send probes the account again'),
  quotaRecheckSeconds: integer('HERALD_QUOTA_RECHECK_SECONDS', 600, 1, 86_400, 'Deliveries of an account out of quota with no known reset time (a used-up balance, an Aliyun balance error) wait this long before the gate looks again'),
  quotaReadIntervalSeconds: integer('HERALD_QUOTA_READ_INTERVAL_SECONDS', 600, 10, 86_400, 'How often one scheduler process reads the quota platforms report (WeChat openapi/quota/get) for every enabled account whose provider can'),
  renderThreads: integer(
    'HERALD_RENDER_THREADS',
    Math.max(1, os.availableParallelism() - 1),
    1,
    256,
    'Worker threads rendering templates, off the event loop (started on first use)',
    'CPU cores − 1, at least 1',
  ),
  renderRequestBudgetMs: integer('HERALD_RENDER_REQUEST_BUDGET_MS', 5000, 10, 600_000, 'Total render time one request (send, batch, preview, publish) may use; over it → 422 `RENDER_BUDGET_EXCEEDED`'),
  renderDeliveryBudgetMs: integer('HERALD_RENDER_DELIVERY_BUDGET_MS', 1000, 10, 600_000, 'Render time of one delivery at send time; over it the delivery fails with `RENDER_BUDGET_EXCEEDED`'),
  metricsToken: text('HERALD_METRICS_TOKEN', undefined, 'Bearer token that lets a scraper read /metrics from any address'),
  metricsAllow: text('HERALD_METRICS_ALLOW', '127.0.0.1,::1', 'Comma-separated IPs and CIDRs that may read /metrics without the token'),
  retentionDays: integer('HERALD_RETENTION_DAYS', 30, 1, 3650, 'Finished messages (with their deliveries and events) older than this many days are purged; apps may set their own `settings.retentionDays`'),
  auditRetentionDays: integer('HERALD_AUDIT_RETENTION_DAYS', 365, 1, 36_500, 'Audit log rows older than this many days are purged by the retention run'),
  retentionIntervalSeconds: integer('HERALD_RETENTION_INTERVAL_SECONDS', 3600, 10, 604_800, 'How often one scheduler process runs the retention purge'),
  retentionBatchSize: integer('HERALD_RETENTION_BATCH_SIZE', 500, 1, 10_000, 'Messages purged per transaction'),
  retentionPauseMs: integer('HERALD_RETENTION_PAUSE_MS', 20, 0, 60_000, 'Pause between purge transactions, so sends are not held up'),
  alarmEvaluationIntervalSeconds: integer('HERALD_ALARM_EVALUATION_INTERVAL_SECONDS', 60, 5, 86_400, 'How often one scheduler process evaluates each alarm rule'),
  opsPort: optionalInteger('HERALD_OPS_PORT', 0, 65535, 'A process without the api role (`--role worker`, `--role scheduler`) serves `/healthz`, `/readyz` and its own `/metrics` on this port; unset: it serves no HTTP'),
  readyMaxLagSeconds: optionalInteger('HERALD_READY_MAX_LAG_SECONDS', 1, 604_800, '`/readyz` answers 503 `WORKER_LAG_TOO_HIGH` when the oldest due delivery has waited longer than this; unset: the lag is reported, never fails readiness'),
  ingestWithApi: boolean('HERALD_INGEST_WITH_API', false, 'The api role also consumes send requests from the configured brokers (otherwise only the `ingest` role does)'),
  ingestPrefetch: integer('HERALD_INGEST_PREFETCH', 64, 1, 10_000, 'Broker requests in hand at once per broker (AMQP prefetch, NATS pull batch)'),
  ingestRetryDelayMs: integer('HERALD_INGEST_RETRY_DELAY_MS', 5000, 10, 600_000, 'Longest wait before a broker request that met a database outage or a rate limit is delivered again (it is never acked meanwhile)'),
  amqpUrl: text('HERALD_INGEST_AMQP_URL', undefined, 'RabbitMQ URL (amqp://user:password@host:5672/vhost) to consume send requests from'),
  amqpQueue: text('HERALD_INGEST_AMQP_QUEUE', 'herald.send', 'The shared durable queue of send requests; dead letters go to `<queue>.dead`'),
  mqttUrl: text('HERALD_INGEST_MQTT_URL', undefined, 'MQTT 5 broker URL (mqtt://host:1883) to consume send requests from'),
  mqttTopicPrefix: text('HERALD_INGEST_MQTT_TOPIC_PREFIX', 'herald', 'Requests on `<prefix>/<app>/send`, dead letters to `<prefix>/<app>/dead`'),
  mqttClientId: text('HERALD_INGEST_MQTT_CLIENT_ID', 'herald-ingest', 'Client id of the persistent MQTT session (one process per id)'),
  natsUrl: text('HERALD_INGEST_NATS_URL', undefined, 'NATS URL (nats://host:4222, JetStream enabled) to consume send requests from'),
  natsStream: text('HERALD_INGEST_NATS_STREAM', 'HERALD_INGEST', 'JetStream stream of `<prefix>.*.send` and `<prefix>.*.dead` (created when missing)'),
  natsSubjectPrefix: text('HERALD_INGEST_NATS_SUBJECT_PREFIX', 'herald', 'Requests on `<prefix>.<app>.send`, dead letters to `<prefix>.<app>.dead`'),
  natsConsumer: text('HERALD_INGEST_NATS_CONSUMER', 'herald-ingest', 'Durable consumer name; processes sharing it share the requests'),
  natsAckWaitSeconds: integer('HERALD_INGEST_NATS_ACK_WAIT_SECONDS', 60, 1, 86_400, 'JetStream delivers a request again when Herald has not acked it within this (e.g. Herald died holding it); set when the consumer is created'),
} as const;

/** Parses and validates an environment; throws a HeraldError naming the first bad variable. */
export function parseConfig(env: Env, cwd = process.cwd()): HeraldConfig {
  const read = <T>(field: Field<T>): T => field.parse(env[field.name]);
  const dataDir = path.resolve(cwd, read(configFields.dataDir)!);
  const databaseUrl = read(configFields.databaseUrl);
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw configError('DATABASE_URL', 'expected a postgres:// or postgresql:// URL');
  }
  const masterKey = read(configFields.masterKey);
  if (masterKey !== undefined && decodeMasterKey(masterKey) === undefined) {
    throw configError('HERALD_MASTER_KEY', 'expected 32 bytes as 64 hex characters or base64');
  }
  const backoffBaseMs = read(configFields.backoffBaseMs);
  const backoffMaxMs = read(configFields.backoffMaxMs);
  if (backoffMaxMs < backoffBaseMs) throw configError('HERALD_BACKOFF_MAX_MS', 'must not be smaller than HERALD_BACKOFF_BASE_MS');
  const heartbeatIntervalSeconds = read(configFields.heartbeatIntervalSeconds);
  const deadAfterSeconds = read(configFields.deadAfterSeconds);
  if (deadAfterSeconds < 2 * heartbeatIntervalSeconds) {
    throw configError('HERALD_WORKER_DEAD_AFTER_SECONDS', `must be at least twice HERALD_HEARTBEAT_INTERVAL_SECONDS (${heartbeatIntervalSeconds}), or one late heartbeat would declare a live worker dead`);
  }
  return {
    http: {
      host: read(configFields.host)!,
      port: read(configFields.port),
      bodyLimitBytes: read(configFields.bodyLimitBytes),
      jsonMaxDepth: read(configFields.jsonMaxDepth),
      trustProxy: read(configFields.trustProxy),
      publicUrl: readPublicUrl(read(configFields.publicUrl)),
      opsPort: read(configFields.opsPort),
      consoleDir: path.resolve(cwd, read(configFields.consoleDir) ?? BUILT_CONSOLE_DIR),
    },
    dataDir,
    storage: databaseUrl
      ? { dialect: 'postgres', url: databaseUrl, poolSize: read(configFields.databasePoolSize) }
      : { dialect: 'sqlite', file: path.join(dataDir, 'herald.db') },
    masterKey,
    logLevel: read(configFields.logLevel),
    logFormat: read(configFields.logFormat),
    auth: {
      signatureMaxSkewSeconds: read(configFields.signatureMaxSkewSeconds),
      sessionTtlSeconds: read(configFields.sessionTtlSeconds),
      cookieSecure: read(configFields.cookieSecure),
      loginMaxFailures: read(configFields.loginMaxFailures),
      loginMaxFailuresPerAddress: read(configFields.loginMaxFailuresPerAddress),
      loginLockSeconds: read(configFields.loginLockSeconds),
      loginAttemptsPerMinute: read(configFields.loginAttemptsPerMinute),
    },
    rateLimits: {
      sendPerSecond: read(configFields.rateSendPerSecond),
      sendBurst: read(configFields.rateSendBurst),
      managePerSecond: read(configFields.rateManagePerSecond),
      manageBurst: read(configFields.rateManageBurst),
    },
    outbound: {
      allowLoopback: read(configFields.outboundAllowLoopback),
      allowPrivateNetworks: read(configFields.outboundAllowPrivate),
      connectTimeoutMs: read(configFields.outboundConnectTimeoutMs),
      requestTimeoutMs: read(configFields.outboundRequestTimeoutMs),
    },
    worker: {
      id: read(configFields.workerId),
      concurrency: read(configFields.workerConcurrency),
      batchSize: read(configFields.workerBatchSize),
      leaseSeconds: read(configFields.leaseSeconds),
      pollIntervalMs: read(configFields.pollIntervalMs),
      heartbeatIntervalSeconds,
      deadAfterSeconds,
    },
    delivery: {
      maxAttempts: read(configFields.maxAttempts),
      maxAgeSeconds: read(configFields.maxAgeSeconds),
      backoffBaseMs,
      backoffMaxMs,
      circuitFailureThreshold: read(configFields.circuitFailureThreshold),
      circuitCooldownSeconds: read(configFields.circuitCooldownSeconds),
      quotaRecheckSeconds: read(configFields.quotaRecheckSeconds),
      quotaReadIntervalSeconds: read(configFields.quotaReadIntervalSeconds),
    },
    metrics: { token: read(configFields.metricsToken), allow: parseAllowList(read(configFields.metricsAllow) ?? '') },
    render: {
      threads: read(configFields.renderThreads),
      requestBudgetMs: read(configFields.renderRequestBudgetMs),
      deliveryBudgetMs: read(configFields.renderDeliveryBudgetMs),
    },
    retention: {
      days: read(configFields.retentionDays),
      auditDays: read(configFields.auditRetentionDays),
      intervalSeconds: read(configFields.retentionIntervalSeconds),
      batchSize: read(configFields.retentionBatchSize),
      pauseMs: read(configFields.retentionPauseMs),
    },
    alarms: {
      evaluationIntervalSeconds: read(configFields.alarmEvaluationIntervalSeconds),
    },
    readiness: { maxLagSeconds: read(configFields.readyMaxLagSeconds) },
    ingest: readIngest(read),
  };
}

function readIngest(read: <T>(field: Field<T>) => T): HeraldConfig['ingest'] {
  const url = (field: Field<string | undefined>, schemes: readonly string[]): string | undefined => {
    const value = read(field);
    if (value !== undefined && !schemes.some((scheme) => value.startsWith(`${scheme}://`))) throw configError(field.name, `expected a ${schemes.join(':// or ')}:// URL`);
    return value;
  };
  const amqpUrl = url(configFields.amqpUrl, ['amqp', 'amqps']);
  const mqttUrl = url(configFields.mqttUrl, ['mqtt', 'mqtts', 'ws', 'wss']);
  const natsUrl = url(configFields.natsUrl, ['nats', 'tls']);
  return {
    withApi: read(configFields.ingestWithApi),
    prefetch: read(configFields.ingestPrefetch),
    retryDelayMs: read(configFields.ingestRetryDelayMs),
    amqp: amqpUrl === undefined ? undefined : { url: amqpUrl, queue: read(configFields.amqpQueue)! },
    mqtt: mqttUrl === undefined ? undefined : { url: mqttUrl, topicPrefix: read(configFields.mqttTopicPrefix)!, clientId: read(configFields.mqttClientId)! },
    nats: natsUrl === undefined ? undefined : { url: natsUrl, stream: read(configFields.natsStream)!, subjectPrefix: read(configFields.natsSubjectPrefix)!, consumer: read(configFields.natsConsumer)!, ackWaitSeconds: read(configFields.natsAckWaitSeconds) },
  };
}

/** An absolute http(s) URL without query or fragment, kept without its trailing slash. */
function readPublicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError('HERALD_PUBLIC_URL', `expected an absolute URL like https://herald.example.com, got "${raw}"`);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw configError('HERALD_PUBLIC_URL', `expected an http(s) URL without credentials, query or fragment, got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

/** Reads the process environment for the roles; this module is the only one that reads it. */
export function readConfigFromEnvironment(): HeraldConfig {
  return parseConfig(process.env);
}

/** The variables the remote CLI commands (`herald send`, `herald messages tail`) read; src/cli/remote-profile.ts says what each means. */
export type RemoteCliEnvironment = Partial<
  Record<'HERALD_PROFILE' | 'HERALD_URL' | 'HERALD_ACCESS_KEY' | 'HERALD_SECRET_KEY' | 'HERALD_PROFILES_FILE' | 'XDG_CONFIG_HOME' | 'HOME', string>
>;

export function readRemoteCliEnvironment(): RemoteCliEnvironment {
  const { HERALD_PROFILE, HERALD_URL, HERALD_ACCESS_KEY, HERALD_SECRET_KEY, HERALD_PROFILES_FILE, XDG_CONFIG_HOME, HOME } = process.env;
  return { HERALD_PROFILE, HERALD_URL, HERALD_ACCESS_KEY, HERALD_SECRET_KEY, HERALD_PROFILES_FILE, XDG_CONFIG_HOME, HOME };
}

/** Accepts 64 hex characters or base64 of exactly 32 bytes. */
export function decodeMasterKey(value: string): Buffer | undefined {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    if (bytes.length === 32) return bytes;
  }
  return undefined;
}

/** HERALD_METRICS_ALLOW: `10.0.0.0/8, 192.168.1.7, ::1`. */
function parseAllowList(raw: string): MetricsAllowEntry[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const [address = '', prefixText, extra] = item.split('/');
      const version = isIP(address);
      if (version === 0 || extra !== undefined) throw configError('HERALD_METRICS_ALLOW', `"${item}" is not an IP address or CIDR (e.g. 10.0.0.0/8)`);
      const maxPrefix = version === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
      if (!/^\d+$/.test(prefixText ?? String(maxPrefix)) || prefix > maxPrefix) {
        throw configError('HERALD_METRICS_ALLOW', `"${item}" has a bad prefix length; use 0 to ${maxPrefix}`);
      }
      return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
    });
}

import type { DeliveryStatus, MessageStatus } from '../deliveries/delivery-status.ts';

/**
 * Row shapes of every table, shared by both dialects. Times are epoch
 * milliseconds (bigint), JSON is stored as text and booleans as 0/1 integers,
 * so SQLite and PostgreSQL behave identically.
 */

export interface AppsTable {
  id: string;
  name: string;
  description: string;
  status: 'active' | 'disabled';
  /** Encrypted (see crypto-box.ts); signs result callbacks to the app. */
  callback_secret_enc: string;
  /** Encrypted; signs subscriber hashes and tokens of the inbox API (0014). Null until first asked for. */
  inbox_secret_enc: string | null;
  /** JSON: AppSettings (retry policy overrides, rate limit). */
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface AccessKeysTable {
  id: string;
  app_id: string;
  secret_enc: string;
  status: 'active' | 'revoked';
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface SeenSignaturesTable {
  signature: string;
  expires_at: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: 'owner' | 'admin' | 'operator' | 'viewer';
  status: 'active' | 'disabled';
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface SessionsTable {
  /** sha256 of the cookie token: a database leak does not leak live sessions. */
  token_hash: string;
  user_id: string;
  created_at: number;
  expires_at: number;
}

export interface LoginFailuresTable {
  throttle_key: string;
  failures: number;
  first_failed_at: number;
  locked_until: number | null;
}

/** A token bucket: its level at `refilled_at` (ms), and what the last take handed out. */
export interface RateBucketsTable {
  bucket_key: string;
  tokens: number;
  taken: number;
  refilled_at: number;
}

export interface SubscribersTable {
  id: string;
  app_id: string;
  external_id: string;
  name: string;
  locale: string | null;
  timezone: string | null;
  /** JSON: Partial<Record<AddressKind, string>>. */
  addresses: string;
  /** JSON: custom data available to templates as `subscriber.data`. */
  data: string;
  created_at: number;
  updated_at: number;
}

/** A business event's defaults for sends naming it (`type`): see src/domain/message-types/. */
export interface MessageTypesTable {
  id: string;
  app_id: string;
  code: string;
  name: string;
  category: string | null;
  /** A priority name (PRIORITIES): the default priority of its messages. */
  urgency: string;
  critical: number;
  /** JSON: ChannelName[]. */
  channels: string;
  template_code: string | null;
  /** JSON: TypeReceiver[] (groups and subscribers). */
  receivers: string;
  /** JSON: MessageTypePolicies. */
  policies: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

/** A named set of subscribers: static members and/or everyone with all of the filter's tags. */
export interface ReceiverGroupsTable {
  id: string;
  app_id: string;
  name: string;
  description: string;
  /** JSON: subscriber external ids. */
  members: string;
  /** JSON: tags a subscriber must all have; [] for none. */
  tag_filter: string;
  created_at: number;
  updated_at: number;
}

export interface SubscriberTagsTable {
  subscriber_id: string;
  app_id: string;
  tag: string;
}

export interface SubscriberPreferencesTable {
  subscriber_id: string;
  /** JSON: SubscriberPreferences. */
  preferences: string;
  updated_at: number;
}

/** A browser's Web Push subscription (`PushSubscription.toJSON()`), registered for one subscriber. */
export interface PushSubscriptionsTable {
  id: string;
  app_id: string;
  subscriber_id: string;
  endpoint: string;
  /** base64url: the browser's P-256 public key and auth secret the payload is encrypted for. */
  p256dh: string;
  auth: string;
  user_agent: string | null;
  created_at: number;
  updated_at: number;
}

/** An app's VAPID key pair (base64url), generated on first need. */
export interface VapidKeysTable {
  app_id: string;
  public_key: string;
  /** Encrypted (see crypto-box.ts). */
  private_key_enc: string;
  created_at: number;
}

export interface ChannelAccountsTable {
  id: string;
  app_id: string;
  type: string;
  channel: string;
  name: string;
  /** JSON of the non-secret config fields. */
  config: string;
  /** Encrypted JSON of the secret config fields. */
  secrets_enc: string | null;
  enabled: number;
  is_default: number;
  /** JSON array of `{ count, perSeconds }` windows the account set itself; null: the provider's defaults apply. */
  flow_limits: string | null;
  /** Encrypted random token of the account's receipt URL; null when its provider takes no receipts. */
  receipt_token_enc: string | null;
  /** The token a rotation replaced, still accepted until `previous_receipt_token_until` (epoch ms). */
  previous_receipt_token_enc: string | null;
  previous_receipt_token_until: number | null;
  /** JSON `{ period, limit, timeZone, sinceMs }` (src/deliveries/account-quotas.ts); null: no configured quota. */
  quota: string | null;
  /** JSON `{ sinceMs, untilMs, code, message }` while a provider's quota error marks the account exhausted; null otherwise. */
  quota_exhausted: string | null;
  created_at: number;
  updated_at: number;
}

/** Sends counted against an account's configured quota, per period (day/month start, or when a balance was set). */
export interface AccountQuotaUsageTable {
  channel_account_id: string;
  period_start: number;
  used: number;
  updated_at: number;
}

/** What the platform last reported about an account's quota (WeChat openapi/quota/get), and the last read error. */
export interface AccountQuotaReadingsTable {
  channel_account_id: string;
  reported_limit: number | null;
  reported_used: number | null;
  reported_remaining: number | null;
  read_at: number | null;
  error_code: string | null;
  error_message: string | null;
  error_at: number | null;
}

/** The one leased row a scheduler process holds while it reads the platforms' quotas. */
export interface QuotaReadRunsTable {
  id: string;
  status: 'waiting' | 'running';
  run_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_run_at: number | null;
  updated_at: number;
}

/** Sliding-window log of recent send times per channel account, shared by all workers. */
export interface FlowWindowsTable {
  channel_account_id: string;
  /** JSON array of epoch-ms send times inside the window, oldest first. */
  sent_times: string;
}

export interface ProviderTokensTable {
  cache_key: string;
  token_enc: string;
  expires_at: number;
}

export interface MessagesTable {
  id: string;
  app_id: string;
  status: MessageStatus;
  priority: number;
  idempotency_key: string | null;
  /** sha256 of the canonical request when it has an idempotency key (same key + different body is a conflict); '' otherwise. */
  request_hash: string;
  /** JSON: inline content, or null when a template is used. */
  content: string | null;
  template_id: string | null;
  template_code: string | null;
  template_version: number | null;
  /** JSON: variables shared by all receivers. */
  data: string;
  /** JSON: Record<string,string>. */
  metadata: string;
  callback_url: string | null;
  callback_per_delivery: number;
  send_at: number | null;
  delivery_count: number;
  /** Deliveries not yet final; the message completes when it reaches 0. */
  pending_count: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
  /** The message type's code when the send named one (`type`). */
  type_code: string | null;
}

/** Metadata key/value pairs, one row each, so `metadata.key=value` filters use an index on both dialects. */
export interface MessageTagsTable {
  message_id: string;
  app_id: string;
  key: string;
  value: string;
}

/** The deliveries table is the queue: `run_at` is set exactly while a delivery waits to be claimed. */
export interface DeliveriesTable {
  id: string;
  message_id: string;
  app_id: string;
  channel: string;
  channel_account_id: string | null;
  /** JSON: how the caller addressed the receiver ({ subscriber } | { email } | { phone } | { channelAccount } ...). */
  receiver: string;
  subscriber_id: string | null;
  /** Resolved address for this channel; null when the account itself is the target. */
  address: string | null;
  /** JSON: per-receiver variables (batch sends), merged over the message's data. */
  data: string | null;
  locale: string | null;
  status: DeliveryStatus;
  priority: number;
  run_at: number | null;
  attempts: number;
  max_attempts: number;
  expires_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  provider_message_id: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

export interface EventsTable {
  id: string;
  message_id: string;
  delivery_id: string | null;
  app_id: string;
  type: string;
  at: number;
  attempt: number | null;
  code: string | null;
  detail: string | null;
}

export interface CallbacksTable {
  id: string;
  message_id: string;
  delivery_id: string | null;
  app_id: string;
  url: string;
  payload: string;
  status: 'pending' | 'sending' | 'succeeded' | 'failed';
  attempts: number;
  run_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** A provider call whose per-recipient results are still to be read (see src/dispatch/result-check-worker.ts). */
export interface ResultChecksTable {
  id: string;
  channel_account_id: string;
  provider_message_id: string;
  /** `waiting` while `run_at` is set; `checking` while a worker holds the lease. */
  status: 'waiting' | 'checking';
  run_at: number | null;
  /** The pause that led to the next check; each check doubles it, up to a cap. */
  pause_ms: number;
  /** Checks made so far. */
  checks: number;
  sent_at: number;
  /** No check after this: the provider's results window, counted from `sent_at`. */
  expires_at: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

/** How an app sends on one channel when it has several accounts there (see src/dispatch/channel-routing.ts). */
export interface ChannelRoutesTable {
  app_id: string;
  channel: string;
  mode: 'failover' | 'weighted';
  /** JSON: `[{ accountId, weight }]`, in failover order. */
  accounts: string;
  updated_at: number;
}

/** A channel account's circuit breaker, shared by every worker. */
export interface AccountCircuitsTable {
  channel_account_id: string;
  /** Transient failures in a row; a success resets it. */
  consecutive_failures: number;
  /** While in the future the circuit is open: failover routes go around the account. Null when closed. */
  open_until: number | null;
  updated_at: number;
}

export interface TemplatesTable {
  id: string;
  app_id: string;
  code: string;
  name: string;
  description: string;
  /** JSON: ChannelName[]. */
  default_channels: string;
  /** JSON: VariablesSchema. */
  variables: string;
  /** JSON: TemplateContent being edited. */
  draft_content: string;
  published_version: number | null;
  created_at: number;
  updated_at: number;
}

export interface TemplateVersionsTable {
  template_id: string;
  version: number;
  default_channels: string;
  variables: string;
  content: string;
  published_at: number;
  published_by: string | null;
}

/** One change made through the signed API or the console (see domain/audit/audit-log-service.ts). */
export interface AuditLogTable {
  id: string;
  at: number;
  /** The console user id or the access key id. */
  actor: string;
  actor_kind: 'user' | 'access-key';
  /** The route, e.g. `PATCH /v1/channel-accounts/{idOrName}`. */
  action: string;
  target: string;
  /** JSON: the request id and, for console users, their email. */
  detail: string | null;
  /** Null for changes not scoped to one app (console users, new apps). */
  app_id: string | null;
  /** The client address as the HTTP server sees it (HERALD_TRUST_PROXY decides whether proxies count). */
  address: string | null;
  /** JSON snapshots with secrets masked; null when there is none (a create has no before, a delete no after). */
  before_json: string | null;
  after_json: string | null;
}

/** One row per worker process, kept fresh by its heartbeat (see worker-heartbeat.ts). */
export interface WorkersTable {
  id: string;
  started_at: number;
  heartbeat_at: number;
}

/** How many deliveries a dedup or frequency-cap key let through in its current window (see policy-counters.ts). */
export interface PolicyCountersTable {
  counter_key: string;
  app_id: string;
  count: number;
  /** The limit the last take counted against (each key's own, so one statement serves many keys). */
  max_count: number;
  window_ends_at: number;
}

/** Readiness writes here to prove the database takes writes. */
export interface StorageProbesTable {
  id: string;
  probed_at: number;
}

/** A stored send request run on a cron expression or once (see src/domain/schedules/). */
export interface SchedulesTable {
  id: string;
  app_id: string;
  name: string;
  /** A cron expression (5 fields, or 6 with seconds); null for a one-off. */
  cron: string | null;
  /** The IANA zone the cron expression is read in. */
  time_zone: string;
  /** A one-off's time; null for a cron schedule. */
  once_at: number | null;
  missed_ticks: 'run-once' | 'skip';
  /** JSON: the send request body each tick accepts. */
  message: string;
  /** `waiting` while `run_at` is set; `running` while a scheduler holds the lease; `paused`; `finished` once a one-off ran. */
  status: 'waiting' | 'running' | 'paused' | 'finished';
  /** The next tick (the one being run while leased); null once finished. */
  tick_at: number | null;
  /** When that tick was first claimed: how late it ran, however many scheduler crashes later it is written. */
  tick_claimed_at: number | null;
  run_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  /** Ticks that accepted a message. */
  runs: number;
  last_tick_at: number | null;
  /** `sent`, `skipped` (a missed tick under `skip`) or `failed` (the intake refused the request). */
  last_outcome: 'sent' | 'skipped' | 'failed' | null;
  last_message_id: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** An open or flushed digest of one message type for one receiver on one channel (see src/domain/messages/accept-steps/digest-step.ts). */
export interface DigestBucketsTable {
  id: string;
  app_id: string;
  type_code: string;
  /** Set while events may join the bucket (one open bucket per key); cleared when a scheduler claims it to flush. */
  open_key: string | null;
  channel: string;
  /** JSON: the receiver as the events named it; the digest message goes to it. */
  receiver: string;
  locale: string | null;
  template_code: string;
  /** Deliveries that fell in the window (one per event, or per browser of a subscriber), those sent at once (`firstImmediately`) included. */
  events: number;
  /** `open` while `run_at` is set (events join it only while `open_key` is set too); `flushing` while a scheduler holds the lease; `flushed`; `failed` when the intake refused the digest. */
  status: 'open' | 'flushing' | 'flushed' | 'failed';
  /** When the window ends. */
  flush_at: number;
  run_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  digest_message_id: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** An escalation leased queue row (0013): `run_at` is set while its next step waits. */
export interface EscalationsTable {
  id: string;
  app_id: string;
  /** The message that escalates. */
  message_id: string;
  /** JSON: the receiver as its deliveries store it; null when the escalation is the whole message's (its steps name `to`). */
  receiver: string | null;
  /** JSON: the type's escalation steps when the message was accepted. */
  steps: string;
  /** Index into `steps` of the step that runs next. */
  next_step: number;
  /** JSON: ids of the messages the steps sent so far. */
  follow_up_ids: string;
  /** `waiting` (a step is due at run_at), `running` (leased), `acknowledged`, `finished` (every step sent). */
  status: 'waiting' | 'running' | 'acknowledged' | 'finished';
  run_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

/** One digested event: its delivery was skipped DIGESTED and its data goes into the bucket's message. */
export interface DigestItemsTable {
  id: string;
  bucket_id: string;
  app_id: string;
  message_id: string;
  delivery_id: string;
  /** JSON: the event's data (the message's, merged with the receiver's). */
  data: string;
  at: number;
}

export interface AcknowledgementsTable {
  delivery_id: string;
  message_id: string;
  app_id: string;
  /** `api`, `link` or `inbox`. */
  via: string;
  at: number;
}

/** Severity of an inbox item or announcement: how the widget colours it. */
export type InboxSeverity = 'info' | 'success' | 'warning' | 'error';

/** What an inbox entry shows, in the same columns for private items and announcements (0014). */
export interface InboxEntryContent {
  id: string;
  app_id: string;
  title: string;
  summary: string | null;
  /** Sanitised HTML. */
  body_html: string | null;
  link: string | null;
  category: string | null;
  severity: InboxSeverity;
  /** JSON: Array<{ label: string; url: string }>. */
  actions: string;
  /** JSON object: what the widget may use (for items, what the template chose to pass; never the message data as a whole). */
  data: string;
}

/** One private in-app message (0014): written by the inbox provider, one per inbox delivery. */
export interface InboxItemsTable extends InboxEntryContent {
  /** The subscriber's external id (the app's own user id). */
  subscriber_id: string;
  /** The delivery that wrote it (unique: a retried send writes it once); null for items written otherwise. */
  delivery_id: string | null;
  message_id: string | null;
  /** Listed from this time (epoch ms); the newest first. */
  valid_from: number;
  /** Gone from lists and counts from this time; null: never. */
  valid_until: number | null;
  created_at: number;
  read_at: number | null;
  archived_at: number | null;
}

/** One announcement (0014), stored once for its whole audience; `body_html` is rendered from `body_markdown`. */
export interface AnnouncementsTable extends InboxEntryContent {
  /** JSON: { all: true } | { group: string } | { tags: string[] }. */
  audience: string;
  /** The Markdown as written (edits start from it). */
  body_markdown: string | null;
  /** Visible from this time (scheduled publication). */
  publish_at: number;
  /** Gone from this time; null: never. */
  expires_at: number | null;
  /** Withdrawn by the app: gone for everybody. */
  withdrawn_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A subscriber's own state of one announcement (0014): a row only once they acted on it. */
export interface AnnouncementStatesTable {
  announcement_id: string;
  app_id: string;
  subscriber_id: string;
  read_at: number | null;
  archived_at: number | null;
  /** Deleted from this subscriber's inbox. */
  deleted_at: number | null;
}

/** The retention purge's one leased row (0017): `run_at` is set while the next run waits. */
export interface RetentionRunsTable {
  id: string;
  /** `waiting` while `run_at` is set; `running` while a scheduler holds the lease. */
  status: 'waiting' | 'running';
  run_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_run_at: number | null;
  updated_at: number;
}

/** An alarm rule of an app (0019), evaluated by the scheduler role: due at `run_at` while `waiting`, leased while `running`. */
export interface AlarmRulesTable {
  id: string;
  app_id: string;
  name: string;
  /** One of ALARM_RULE_KINDS (src/deliveries/alarm-rule-kinds.ts). */
  kind: string;
  /** JSON: the kind's parameters. */
  params: string;
  /** JSON: `{ account }` or `{ channel }`; null for the whole app (or all its accounts). */
  scope: string | null;
  /** JSON: who gets the alarm messages (`{ to, channels?, locale? }`). */
  target: string;
  /** A cleared condition resolves its alarm once it has stayed clear this long. */
  hold_down_seconds: number;
  enabled: number;
  /** `waiting` (due at run_at), `running` (leased), `disabled` (run_at null). */
  status: 'waiting' | 'running' | 'disabled';
  run_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  last_evaluated_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** One alarm: a rule's condition holding for one subject, from firing to resolution (0019). */
export interface AlarmsTable {
  id: string;
  app_id: string;
  rule_id: string;
  rule_name: string;
  kind: string;
  /** What the rule watched: `account:<id>`, `channel:<name>`, `app`. */
  subject: string;
  subject_label: string;
  status: 'open' | 'resolved';
  /** The measured value when it last held (remaining count, success %, seconds, failures). */
  value: number | null;
  /** JSON: the message data of the alarm (threshold, window, ...). */
  detail: string;
  fired_at: number;
  /** Set while the condition has cleared but the hold-down has not passed. */
  clear_since: number | null;
  resolved_at: number | null;
  fired_message_id: string | null;
  resolved_message_id: string | null;
  updated_at: number;
}

/** Provider and callback outcomes per app, subject and minute (0019), fed from the workers' events for the alarm rules. */
export interface OutcomeCountersTable {
  app_id: string;
  /** `account:<id>`, `channel:<name>` or `callbacks`. */
  subject: string;
  bucket_start: number;
  succeeded: number;
  failed: number;
}

/** Deliveries accepted per app, channel and minute (0021), counted by the processes that accept, for the dashboard. */
export interface AcceptCountersTable {
  app_id: string;
  channel: string;
  bucket_start: number;
  accepted: number;
}

/** Accept-to-sent latency per app, channel and minute (0021): one row per latency bucket (its lower bound, from_ms) that saw a send. */
export interface LatencyCountersTable {
  app_id: string;
  channel: string;
  bucket_start: number;
  from_ms: number;
  sent: number;
}

export interface HeraldSchema {
  apps: AppsTable;
  access_keys: AccessKeysTable;
  seen_signatures: SeenSignaturesTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  rate_buckets: RateBucketsTable;
  subscribers: SubscribersTable;
  subscriber_tags: SubscriberTagsTable;
  subscriber_preferences: SubscriberPreferencesTable;
  message_types: MessageTypesTable;
  receiver_groups: ReceiverGroupsTable;
  push_subscriptions: PushSubscriptionsTable;
  vapid_keys: VapidKeysTable;
  channel_accounts: ChannelAccountsTable;
  flow_windows: FlowWindowsTable;
  policy_counters: PolicyCountersTable;
  provider_tokens: ProviderTokensTable;
  messages: MessagesTable;
  message_tags: MessageTagsTable;
  deliveries: DeliveriesTable;
  events: EventsTable;
  callbacks: CallbacksTable;
  result_checks: ResultChecksTable;
  schedules: SchedulesTable;
  digest_buckets: DigestBucketsTable;
  digest_items: DigestItemsTable;
  escalations: EscalationsTable;
  acknowledgements: AcknowledgementsTable;
  inbox_items: InboxItemsTable;
  announcements: AnnouncementsTable;
  announcement_states: AnnouncementStatesTable;
  channel_routes: ChannelRoutesTable;
  account_circuits: AccountCircuitsTable;
  templates: TemplatesTable;
  template_versions: TemplateVersionsTable;
  audit_log: AuditLogTable;
  workers: WorkersTable;
  storage_probes: StorageProbesTable;
  retention_runs: RetentionRunsTable;
  alarm_rules: AlarmRulesTable;
  alarms: AlarmsTable;
  outcome_counters: OutcomeCountersTable;
  accept_counters: AcceptCountersTable;
  latency_counters: LatencyCountersTable;
  account_quota_usage: AccountQuotaUsageTable;
  account_quota_readings: AccountQuotaReadingsTable;
  quota_read_runs: QuotaReadRunsTable;
}

/**
 * The shapes Herald answers with. The OpenAPI document declares request schemas but few response
 * schemas, so these mirror the services' views (src/domain/**: toUserView, app, key, account, template,
 * message views); the request side is typed from the generated `paths`.
 */
export interface UserView {
  id: string;
  email: string;
  name: string;
  role: 'owner' | 'admin' | 'operator' | 'viewer';
  status: string;
  createdAt: string;
  lastLoginAt: string | null;
}
export interface AppView {
  id: string;
  name: string;
  description: string;
  status: string;
  createdAt: string;
}
export interface AccessKeyView {
  accessKeyId: string;
  appId: string;
  status: 'active' | 'revoked';
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  secretAccessKey?: string;
}
export interface FlowLimit {
  count: number;
  perSeconds: number;
}
export interface ChannelAccountView {
  id: string;
  name: string;
  type: string;
  channel: string;
  enabled: boolean;
  isDefault: boolean;
  config: Record<string, unknown>;
  flowLimits: FlowLimit[] | null;
  effectiveFlowLimits: FlowLimit[];
  receiptUrl?: string | null;
  createdAt: string;
}
/** A channel's route over several of its accounts (src/domain/channel-accounts/channel-route-service.ts), accounts in failover order. */
export interface ChannelRouteView {
  channel: string;
  mode: RouteMode;
  /** `circuitOpenUntil`: when the account's open circuit closes; null while closed. */
  accounts: Array<{ id: string; name: string; type: string; weight: number; circuitOpenUntil: string | null }>;
  updatedAt: string;
}
type RouteMode = NonNullable<import('./generated/schema').paths['/v1/channel-routes/{channel}']['put']['requestBody']>['content']['application/json']['mode'];
export const ROUTE_MODES = ['failover', 'weighted'] as const satisfies readonly RouteMode[];
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
}
export interface ChannelAccountType {
  type: string;
  channel: string;
  target: 'account' | 'address';
  secretFields: string[];
  defaultFlowLimits: FlowLimit[];
  /** How long after sending the provider can take a message back; null: no recall. */
  recallWindowSeconds: number | null;
  configSchema: JsonSchema;
}
export interface TemplateVariable {
  name: string;
  type: string;
  required?: boolean;
  example?: unknown;
  description?: string;
}
export interface TemplateView {
  id: string;
  code: string;
  name: string;
  description: string;
  defaultChannels: string[];
  publishedVersion: number | null;
  hasUnpublishedChanges: boolean;
  updatedAt: string;
  variables?: TemplateVariable[];
  content?: { title?: string; body?: string; bodyFormat?: string; [key: string]: unknown };
}
export interface TemplateVersionSummary {
  version: number;
  kind: 'published' | 'draft-snapshot';
  current: boolean;
  publishedAt: string;
  publishedBy: string | null;
}
export interface TemplateVersionView extends TemplateVersionSummary {
  defaultChannels: string[];
  variables: TemplateVariable[];
  content: NonNullable<TemplateView['content']>;
}
export interface RenderedChannel {
  title?: string;
  text?: string;
  markdown?: string;
  html?: string;
  [key: string]: unknown;
}
export interface DeliveryView {
  id: string;
  channel: string;
  channelAccountId: string | null;
  receiver: Record<string, string> | string;
  address: string | null;
  status: string;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  providerMessageId: string | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  sentAt: string | null;
}
export interface MessageEvent {
  id: string;
  deliveryId: string | null;
  type: string;
  at: string;
  attempt: number | null;
  code: string | null;
  detail: string | null;
}
export interface MessageView {
  id: string;
  status: string;
  priority: string;
  type: string | null;
  template: { code: string; version: number } | null;
  content: { title?: string; body?: string } | null;
  metadata: Record<string, string>;
  sendAt: string | null;
  deliveryCount: number;
  pendingCount: number;
  createdAt: string;
  completedAt: string | null;
  deliveries?: DeliveryView[];
  events?: MessageEvent[];
}
// Herald's own lists (dependency-free modules of src/), so the console's filters and previews cannot drift from them.
export { CHANNELS } from '../../../src/channels/channel-catalog.ts';
export { MESSAGE_STATUSES, RETRYABLE_DELIVERY_STATUSES } from '../../../src/deliveries/delivery-status.ts';
export { MESSAGE_PRIORITIES } from '../../../src/providers/provider.ts';
/** A receiver as a send's `to` or a message type's receivers name it: a subscriber id, an address, an account, a group. */
export type SendReceiver = string | Record<string, string>;
export interface MessageTypeView {
  id: string;
  code: string;
  name: string;
  category: string | null;
  urgency: string;
  critical: boolean;
  channels: string[];
  template: string | null;
  receivers: SendReceiver[];
  policies: Record<string, unknown>;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}
export interface ReceiverGroupView {
  id: string;
  name: string;
  description: string;
  members: string[];
  tagFilter: string[];
  createdAt: string;
  updatedAt: string;
}
export { MISSED_TICK_POLICIES } from '../../../src/domain/schedules/missed-tick-policies.ts';
export interface ScheduleView {
  id: string;
  name: string;
  cron: string | null;
  timeZone: string;
  at: string | null;
  missedTicks: string;
  message: Record<string, unknown>;
  status: 'active' | 'paused' | 'finished';
  nextRunAt: string | null;
  nextRuns: string[];
  runs: number;
  lastRun: { tickAt: string; outcome: 'sent' | 'skipped' | 'failed'; messageId: string | null; error: string | null } | null;
  createdAt: string;
  updatedAt: string;
}

// Announcements (src/domain/inbox/announcement-schema.ts, which imports TypeBox, so its statuses and the inbox severities are
// mirrored here; `satisfies` against the generated request types fails the console's type check if one goes away).
export interface AnnouncementAudienceAll {
  all: true;
}
export type AnnouncementAudience = AnnouncementAudienceAll | { group: string } | { tags: string[] };
export interface AnnouncementView {
  id: string;
  title: string;
  summary: string | null;
  body: string | null;
  bodyHtml: string | null;
  link: string | null;
  category: string | null;
  severity: 'info' | 'success' | 'warning' | 'error';
  audience: AnnouncementAudience;
  publishAt: string;
  expiresAt: string | null;
  withdrawnAt: string | null;
  status: 'scheduled' | 'live' | 'expired' | 'withdrawn';
  createdAt: string;
  updatedAt: string;
}
type AnnouncementStatusParam = NonNullable<NonNullable<import('./generated/schema').paths['/v1/announcements']['get']['parameters']['query']>['status']>;
type AnnouncementSeverityField = NonNullable<import('./generated/schema').paths['/v1/announcements']['post']['requestBody']>['content']['application/json']['severity'];
export const ANNOUNCEMENT_STATUSES = ['scheduled', 'live', 'expired', 'withdrawn'] as const satisfies readonly AnnouncementStatusParam[];
export const INBOX_SEVERITIES = ['info', 'success', 'warning', 'error'] as const satisfies readonly NonNullable<AnnouncementSeverityField>[];
/** A channel account's quota and its status (src/domain/channel-accounts/account-quota-config.ts), read with the account. */
export interface AccountQuota {
  period: 'day' | 'month' | 'balance';
  limit: number;
  timeZone?: string;
}
export interface AccountQuotaStatus {
  configured: { period: AccountQuota['period']; limit: number; used: number; remaining: number; resetsAt: string | null } | null;
  reported: { limit: number; used: number; remaining: number; at: string } | null;
  exhausted: { since: string; until: string | null; code: string; message: string } | null;
}
export interface ChannelAccountExtras {
  quota: AccountQuota | null;
  quotaStatus: AccountQuotaStatus;
  receiptUrl?: string;
}
export interface ProviderCallSeries {
  key: string;
  succeeded: number;
  failed: number;
  successPercent: number | null;
  points: Array<{ at: string; succeeded: number; failed: number }>;
}
export interface QuotaView {
  accountId: string;
  name: string;
  type: string;
  channel: string;
  enabled: boolean;
  configured: { period: string; limit: number; used: number; remaining: number; resetsAt: string | null } | null;
  reported: { limit: number; used: number; remaining: number; at: string } | null;
  exhausted: { since: string; until: string | null; code: string; message: string } | null;
  limit: number | null;
  remaining: number | null;
}
export interface AlarmView {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: string;
  subject: string;
  subjectLabel: string;
  status: 'open' | 'resolved';
  value: number | null;
  detail: Record<string, unknown>;
  firedAt: string;
  clearSince: string | null;
  resolvedAt: string | null;
  firedMessageId: string | null;
  resolvedMessageId: string | null;
}
export interface QueueBacklogView {
  depth: { queued: number; scheduled: number; retrying: number };
  oldestDueSeconds: number;
  at: string;
}
export interface AlarmRuleView {
  id: string;
  name: string;
  kind: string;
  params: Record<string, unknown>;
  scope: { account: string } | { channel: string } | null;
  to: unknown[];
  channels: string[] | null;
  locale: string | null;
  holdDownSeconds: number;
  enabled: boolean;
  nextEvaluationAt: string | null;
  lastEvaluatedAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}
export interface AuditRecordView {
  id: string;
  at: string;
  appId: string | null;
  actor: string;
  actorKind: 'user' | 'access-key';
  actorEmail: string | null;
  action: string;
  target: string;
  address: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
}
// Subscribers (src/domain/subscribers/subscriber-service.ts: SubscriberView; subscriber-preferences.ts: SubscriberPreferences).
// The subscribers page imports Herald's field checks (subscriber-fields.ts, free of Node.js APIs) itself rather than
// through this module: they carry libphonenumber's metadata, which belongs in that page's chunk only.
import type { SubscriberAddresses } from '../../../src/domain/subscribers/subscriber-fields.ts';
export interface SubscriberView {
  id: string;
  externalId: string;
  name: string;
  locale: string | null;
  timezone: string | null;
  addresses: SubscriberAddresses;
  data: Record<string, unknown>;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}
/** Opt-outs: the most specific of types[code], categories[category], all decides (default: receive); channels[channel] false blocks a channel. */
export interface SubscriberPreferences {
  all?: boolean;
  channels?: Record<string, boolean>;
  types?: Record<string, boolean>;
  categories?: Record<string, boolean>;
}

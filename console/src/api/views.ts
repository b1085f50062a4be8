import type { paths } from './generated/schema';

/**
 * The shapes Herald answers with, taken from the response schemas of /openapi.json (generated `paths`),
 * so the console cannot drift from the API; the request side is typed from `paths` by the client itself.
 */
/** The JSON body a GET of `Path` answers with 200. */
type Answer<Path extends keyof paths> = paths[Path] extends { get: { responses: { 200: { content: { 'application/json': infer Body } } } } } ? Body : never;
/** One element of the `items` list a GET of `Path` answers with. */
type Item<Path extends keyof paths> = Answer<Path> extends { items: Array<infer Element> } ? Element : never;

export type UserView = Item<'/v1/users'>;
export type AppView = Item<'/v1/apps'>;
/** `secretAccessKey`: only in the answer creating the key (that answer declares no schema, so as not to describe a secret). */
export type AccessKeyView = Item<'/v1/apps/{app}/keys'> & { secretAccessKey?: string };
export type ChannelAccountView = Item<'/v1/channel-accounts'>;
export type FlowLimit = ChannelAccountView['effectiveFlowLimits'][number];
/** A channel account's quota (src/domain/channel-accounts/account-quota-config.ts) and its status, read with the account. */
export type AccountQuota = NonNullable<ChannelAccountView['quota']>;
export type AccountQuotaStatus = ChannelAccountView['quotaStatus'];
/** A channel's route over several of its accounts (src/domain/channel-accounts/channel-route-service.ts), accounts in failover order. */
export type ChannelRouteView = Item<'/v1/channel-routes'>;
type RouteMode = ChannelRouteView['mode'];
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
/** The API declares a provider's configSchema as any JSON Schema; SchemaForm reads the parts above. */
export type ChannelAccountType = Omit<Item<'/v1/channel-account-types'>, 'configSchema'> & { configSchema: JsonSchema };
/** A template in a list; TemplateView adds its draft's variables and content. */
export type TemplateSummary = Item<'/v1/templates'>;
export type TemplateView = Answer<'/v1/templates/{code}'>;
export type TemplateVariable = TemplateView['variables'][number];
export type TemplateVersionSummary = Item<'/v1/templates/{code}/versions'>;
export type TemplateVersionView = Answer<'/v1/templates/{code}/versions/{version}'>;
type TemplatePreview = paths['/v1/templates/{code}/preview']['post']['responses'][200]['content']['application/json'];
export type RenderedChannel = NonNullable<TemplatePreview['channels'][keyof TemplatePreview['channels']]>;
/** A message in a list; MessageView adds its data, deliveries and event trail. */
export type MessageSummary = Item<'/v1/messages'>;
export type MessageView = Answer<'/v1/messages/{id}'>;
export type DeliveryView = MessageView['deliveries'][number];
export type MessageEvent = MessageView['events'][number];
// Herald's own lists (dependency-free modules of src/), so the console's filters and previews cannot drift from them.
export { CHANNELS } from '../../../src/channels/channel-catalog.ts';
export { MESSAGE_STATUSES, RETRYABLE_DELIVERY_STATUSES } from '../../../src/deliveries/delivery-status.ts';
export { MESSAGE_PRIORITIES } from '../../../src/providers/provider.ts';
/** A receiver as a send's `to` or a message type's receivers name it: a subscriber id, an address, an account, a group. */
export type SendReceiver = string | Record<string, string>;
export type MessageTypeView = Item<'/v1/message-types'>;
export type ReceiverGroupView = Item<'/v1/receiver-groups'>;
export { MISSED_TICK_POLICIES } from '../../../src/domain/schedules/missed-tick-policies.ts';
export type ScheduleView = Item<'/v1/schedules'>;

// Announcements. Their statuses and the inbox severities are mirrored here (src/domain/inbox/announcement-schema.ts imports
// TypeBox); `satisfies` against the generated request types fails the console's type check if one goes away.
export type AnnouncementView = Item<'/v1/announcements'>;
export type AnnouncementAudience = AnnouncementView['audience'];
type AnnouncementStatusParam = NonNullable<NonNullable<paths['/v1/announcements']['get']['parameters']['query']>['status']>;
type AnnouncementSeverityField = NonNullable<paths['/v1/announcements']['post']['requestBody']>['content']['application/json']['severity'];
export const ANNOUNCEMENT_STATUSES = ['scheduled', 'live', 'expired', 'withdrawn'] as const satisfies readonly AnnouncementStatusParam[];
export const INBOX_SEVERITIES = ['info', 'success', 'warning', 'error'] as const satisfies readonly NonNullable<AnnouncementSeverityField>[];
export type ProviderCallSeries = Answer<'/v1/stats/provider-calls'>['series'][number];
export type AcceptedSeries = Answer<'/v1/stats/accepted'>['series'][number];
export type LatencySeries = Answer<'/v1/stats/latency'>['series'][number];
export type QuotaView = Item<'/v1/quotas'>;
export type AlarmView = Item<'/v1/alarms'>;
export type QueueBacklogView = Answer<'/v1/stats/queue'>;
export type AlarmRuleView = Item<'/v1/alarm-rules'>;
export type AuditRecordView = Item<'/v1/audit-log'>;
// Subscribers. The subscribers page imports Herald's field checks (src/domain/subscribers/subscriber-fields.ts, free of
// Node.js APIs) itself rather than through this module: they carry libphonenumber's metadata, which belongs in that page's chunk only.
export type SubscriberView = Item<'/v1/subscribers'>;
/** Opt-outs: the most specific of types[code], categories[category], all decides (default: receive); channels[channel] false blocks a channel. */
export type SubscriberPreferences = Answer<'/v1/subscribers/{externalId}/preferences'>;

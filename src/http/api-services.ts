import type { InboxStreamHub } from './inbox-stream-hub.ts';
import type { HeraldContext } from '../context/herald-context.ts';
import type { AlarmHistory } from '../domain/alarms/alarm-history.ts';
import type { AlarmRuleService } from '../domain/alarms/alarm-rule-service.ts';
import type { AnnouncementService } from '../domain/inbox/announcement-service.ts';
import type { AccessKeyService } from '../domain/apps/access-key-service.ts';
import type { AuditLogService } from '../domain/audit/audit-log-service.ts';
import type { DeliveryStats } from '../domain/stats/delivery-stats.ts';
import type { ProviderCallStats } from '../domain/stats/provider-call-stats.ts';
import type { QueueStatsService } from '../domain/stats/queue-stats.ts';
import type { AppService } from '../domain/apps/app-service.ts';
import type { AppRateLimiter } from '../domain/rate-limits/app-rate-limiter.ts';
import type { ChannelAccountService } from '../domain/channel-accounts/channel-account-service.ts';
import type { ChannelRouteService } from '../domain/channel-accounts/channel-route-service.ts';
import type { SubscriberService } from '../domain/subscribers/subscriber-service.ts';
import type { SubscriberPreferenceService } from '../domain/subscribers/subscriber-preferences.ts';
import type { MessageTypeService } from '../domain/message-types/message-type-service.ts';
import type { ReceiverGroupService } from '../domain/receiver-groups/receiver-group-service.ts';
import type { SessionService } from '../domain/users/session-service.ts';
import type { UserService } from '../domain/users/user-service.ts';
import type { Authenticator } from './auth/authenticate.ts';
import type { InboxAuthenticator } from './auth/inbox-authenticate.ts';
import type { InboxService } from '../domain/inbox/inbox-service.ts';
import type { AnnouncementFeed } from '../domain/inbox/announcement-feed.ts';
import type { MessageControl } from '../deliveries/message-control.ts';
import type { MessageRecall } from '../dispatch/message-recall.ts';
import type { ReceiptIntake } from '../domain/receipts/receipt-intake.ts';
import type { MessageIntake } from '../domain/messages/message-intake.ts';
import type { MessageQuery } from '../domain/messages/message-query.ts';
import type { ScheduleService } from '../domain/schedules/schedule-service.ts';
import type { TemplateService } from '../domain/templates/template-service.ts';
import type { DeliveryAcknowledgement } from '../deliveries/delivery-acknowledgement.ts';
import type { AckLinks } from '../security/ack-links.ts';
import type { PushSubscriptionService } from '../domain/web-push/push-subscription-service.ts';
import type { HeraldMetrics } from './metrics/herald-metrics.ts';

/** Everything the HTTP routes call; built by the composition root. */
export interface ApiServices {
  context: HeraldContext;
  authenticator: Authenticator;
  apps: AppService;
  /** Per-app send and manage buckets, charged by the signed API after authentication. */
  rateLimits: AppRateLimiter;
  keys: AccessKeyService;
  users: UserService;
  sessions: SessionService;
  subscribers: SubscriberService;
  preferences: SubscriberPreferenceService;
  messageTypes: MessageTypeService;
  receiverGroups: ReceiverGroupService;
  pushSubscriptions: PushSubscriptionService;
  channelAccounts: ChannelAccountService;
  channelRoutes: ChannelRouteService;
  intake: MessageIntake;
  messageQuery: MessageQuery;
  messageControl: MessageControl;
  messageRecall: MessageRecall;
  receipts: ReceiptIntake;
  acknowledgement: DeliveryAcknowledgement;
  ackLinks: AckLinks;
  templates: TemplateService;
  schedules: ScheduleService;
  announcements: AnnouncementService;
  alarmRules: AlarmRuleService;
  alarmHistory: AlarmHistory;
  /** Provider calls over time per channel or account, for dashboards. */
  providerCallStats: ProviderCallStats;
  deliveryStats: DeliveryStats;
  /** The app's backlog (waiting deliveries, oldest due), cached briefly, for dashboards. */
  queueStats: QueueStatsService;
  /** Written by the signed API's audit hooks, searched at GET /v1/audit-log. */
  auditLog: AuditLogService;
  /** Authenticates /inbox/v1 requests (subscriber hash or inbox token). */
  inboxAuth: InboxAuthenticator;
  inbox: InboxService;
  announcementFeed: AnnouncementFeed;
  /** The live inbox streams of this process. */
  inboxStreams: InboxStreamHub;
  /** This instance's Prometheus registry and families, served at /metrics. */
  metrics: HeraldMetrics;
}

import type { AddressKind } from '../../channels/address-kinds.ts';
import type { ChannelName } from '../../channels/channel-catalog.ts';
import type { MessageTypeDefaults } from '../message-types/message-type-service.ts';

/** What intake needs to know about subscribers and channel accounts (implemented by their services). */
export interface SendDirectory {
  findSubscribers(appId: string, externalIds: readonly string[]): Promise<Map<string, SubscriberForSend>>;
  accountsForSend(appId: string): Promise<AccountsForSend>;
  /** The enabled message type a send names; throws MESSAGE_TYPE_NOT_FOUND (404) / MESSAGE_TYPE_DISABLED (422). */
  messageType(appId: string, code: string): Promise<MessageTypeDefaults>;
  /** Each receiver group's members now (external ids); throws RECEIVER_GROUP_NOT_FOUND / GROUP_TOO_LARGE (422). */
  groupMembers(appId: string, names: readonly string[]): Promise<Map<string, string[]>>;
}
export interface SubscriberForSend {
  id: string;
  externalId: string;
  locale: string | null;
  /** IANA time zone, e.g. Asia/Shanghai. */
  timezone: string | null;
  addresses: Partial<Record<AddressKind, string>>;
  /** Its browsers' Web Push subscriptions (`pushSubscription` addresses): one delivery each. */
  pushSubscriptionIds?: readonly string[];
}
export interface AccountForSend {
  id: string;
  name: string;
  type: string;
  channel: ChannelName;
}
export interface AccountsForSend {
  /** An enabled account by id or name. */
  find(idOrName: string): AccountForSend | undefined;
  /** The enabled default account of a channel. */
  defaultFor(channel: ChannelName): AccountForSend | undefined;
  /** The app's route for a channel over several accounts (its enabled ones, at least one), if it has one. */
  routeFor(channel: ChannelName): RouteForSend | undefined;
}
export interface RouteForSend {
  mode: 'failover' | 'weighted';
  /** In failover order. */
  accounts: Array<{ account: AccountForSend; weight: number }>;
}

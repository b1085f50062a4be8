import type { AddressKind } from '../../channels/address-kinds.ts';
import type { ChannelName } from '../../channels/channel-catalog.ts';

/** What intake needs to know about subscribers and channel accounts (implemented by their services). */
export interface SendDirectory {
  findSubscribers(appId: string, externalIds: readonly string[]): Promise<Map<string, SubscriberForSend>>;
  accountsForSend(appId: string): Promise<AccountsForSend>;
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

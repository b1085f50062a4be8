import type { AddressKind } from '../../../channels/address-kinds.ts';
import { addressKindOf } from '../../../channels/channel-catalog.ts';
import { unprocessable } from '../../../errors.ts';
import { chooseWeighted } from '../../channel-accounts/weighted-choice.ts';
import type { SubscriberForSend } from '../send-directory.ts';
import type { SkipReason } from '../skip-reasons.ts';
import { skipDelivery, type AcceptDraft, type AcceptServices, type PlannedDelivery } from './accept-draft.ts';

/**
 * Where each planned delivery goes: its channel account and the receiver's address of the kind
 * the channel sends to; one that cannot be sent is skipped with the reason (skip-reasons.ts).
 * A subscriber reached on Web Push gets one delivery per browser subscription, each with its own
 * outcome and retries (a browser that unsubscribed fails alone and is forgotten).
 */
export function resolveAddresses(draft: AcceptDraft, { providers, random }: AcceptServices): void {
  const skip = (planned: PlannedDelivery, code: SkipReason, message: string) => skipDelivery(planned, code, message);
  const otherBrowsers = new Map<PlannedDelivery, PlannedDelivery[]>();
  for (const planned of draft.planned) {
    const { receiver, channel } = planned;
    if (typeof receiver === 'object' && 'channelAccount' in receiver) {
      const account = draft.accounts.find(receiver.channelAccount)!;
      if (providers.require(account.type).target !== 'account') {
        throw unprocessable('RECEIVER_NOT_A_TARGET', `${planned.field}.channelAccount: "${receiver.channelAccount}" sends to addresses, it is not a target by itself`, {
          field: `${planned.field}.channelAccount`,
        });
      }
      if (account.channel !== channel) {
        skip(planned, 'CHANNEL_NOT_SERVED', `The ${account.channel} account "${account.name}" does not send on the ${channel} channel of this message`);
        continue;
      }
      planned.account = account;
      continue;
    }
    const route = draft.routes.get(channel);
    // Failover starts at the route's first account; weighted picks one per delivery.
    const account = route?.mode === 'weighted' ? chooseWeighted(route.accounts.map(({ account, weight }) => ({ item: account, weight })), random) : draft.accountByChannel.get(channel);
    // Only possible on a channel the message uses for an account receiver: no account sends there for anyone else.
    if (!account) {
      skip(planned, 'NO_ACCOUNT', `This app has no default ${channel} account to send to this receiver; name one in channelAccounts.${channel}`);
      continue;
    }
    planned.account = account;
    const provider = providers.require(account.type);
    if (provider.target === 'account') {
      skip(planned, 'NOT_ADDRESSABLE', `The ${channel} account "${account.name}" posts to a group, not to individual receivers; address it as { channelAccount }`);
      continue;
    }
    const kind = addressKindOf(provider.channel);
    const addresses = planned.subscriber ? subscriberAddresses(planned.subscriber, kind) : [(receiver as Partial<Record<AddressKind, string>>)[kind]].filter((a) => a !== undefined);
    if (addresses.length === 0) {
      skip(planned, 'NO_ADDRESS', `The receiver has no ${kind} address for the ${channel} channel`);
      continue;
    }
    planned.address = addresses[0]!;
    if (addresses.length > 1) otherBrowsers.set(planned, addresses.slice(1).map((address) => ({ ...planned, address, decisions: [] })));
  }
  if (otherBrowsers.size > 0) draft.planned = draft.planned.flatMap((planned) => [planned, ...(otherBrowsers.get(planned) ?? [])]);
}

/** A subscriber's addresses of a kind: its push subscriptions for `pushSubscription`, its external id for its inbox, else the one in `addresses`. */
function subscriberAddresses(subscriber: SubscriberForSend, kind: AddressKind): string[] {
  if (kind === 'pushSubscription') return [...(subscriber.pushSubscriptionIds ?? [])];
  if (kind === 'subscriberId') return [subscriber.externalId];
  const address = subscriber.addresses[kind];
  return address === undefined ? [] : [address];
}

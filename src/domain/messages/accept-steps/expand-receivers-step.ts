import type { ChannelName } from '../../../channels/channel-catalog.ts';
import type { Receiver } from '../send-request-schema.ts';
import type { AccountsForSend } from '../send-directory.ts';
import type { AcceptDraft } from './accept-draft.ts';

/**
 * Receivers × channels → planned deliveries, each carrying its subscriber, locale and time zone.
 * An account receiver is reached only on its own channel; other receivers on every channel of the
 * message. An account receiver on a message none of whose channels it serves is planned on each of
 * them (resolve-addresses skips it), so it is visible in the answer and the trail instead of vanishing.
 */
export function expandReceivers(draft: AcceptDraft): void {
  for (const entry of draft.receivers) {
    const externalId = subscriberIdOf(entry.receiver);
    const subscriber = externalId !== undefined ? draft.subscribers.get(externalId) : undefined;
    for (const channel of receiverChannels(entry.receiver, draft.channels, draft.accounts)) {
      draft.planned.push({
        receiver: entry.receiver,
        field: entry.field,
        channel,
        data: entry.data,
        subscriber,
        locale: draft.locale ?? subscriber?.locale ?? null,
        timeZone: subscriber?.timezone ?? null,
        account: undefined,
        address: null,
        decisions: [],
      });
    }
  }
}

function receiverChannels(receiver: Receiver, channels: readonly ChannelName[], accounts: AccountsForSend): readonly ChannelName[] {
  if (typeof receiver === 'object' && 'channelAccount' in receiver) {
    const account = accounts.find(receiver.channelAccount)!;
    if (channels.includes(account.channel)) return [account.channel];
  }
  return channels;
}

/** The external id of a subscriber receiver (`"u1"` or `{ subscriber: "u1" }`). */
export function subscriberIdOf(receiver: Receiver): string | undefined {
  if (typeof receiver === 'string') return receiver;
  return 'subscriber' in receiver ? receiver.subscriber : undefined;
}

/**
 * Why accepting a message made a delivery `skipped` instead of queuing it. The code lands in the
 * delivery's error, its `reason` in the 202 answer and the event trail; the README lists them all.
 */
export const SKIP_REASONS = {
  NO_ADDRESS: 'The receiver has no address of the kind the channel sends to (e.g. no e-mail for email)',
  NOT_ADDRESSABLE: "The channel's account posts to a group or endpoint, not to individual receivers; address it as { channelAccount }",
  CHANNEL_NOT_SERVED: 'A { channelAccount } receiver on a message none of whose channels its account sends on',
  NO_ACCOUNT: 'The channel has no default account, so only { channelAccount } receivers can be sent to on it',
  OPTED_OUT: 'The subscriber opted out of this message type, its category, the channel or everything (critical types bypass opt-outs)',
  QUIET_HOURS: "The message type's quiet hours, in the receiver's time zone, drop what falls in them",
  DUPLICATE: "The same content went to the same receiver address within the type's dedupSeconds",
  FREQUENCY_CAP: "The receiver already got the type's frequencyCap of messages in the current window",
  DIGESTED: "Collected into the type's digest: one message listing the window's events goes out when the window ends; the trail's `digested` event names it",
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

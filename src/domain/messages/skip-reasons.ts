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
} as const;

export type SkipReason = keyof typeof SKIP_REASONS;

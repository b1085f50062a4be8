import { Type, type Static } from 'typebox';

/**
 * The alarm rule kinds and their parameters, shared by the rules' management (domain, which
 * validates them at save) and their evaluation (dispatch/alarm-rules/, which reads them).
 */

const percent = (description: string) => Type.Number({ minimum: 0, maximum: 100, description });
const seconds = (description: string, minimum = 1) => Type.Integer({ minimum, maximum: 30 * 86_400, description });
const strict = { additionalProperties: false } as const;

export const ALARM_RULE_PARAMS = {
  quota_remaining: Type.Object(
    {
      remainingPercent: Type.Optional(percent('Fires when the remainder is at most this share of the limit')),
      remainingCount: Type.Optional(Type.Integer({ minimum: 0, description: 'Fires when at most this many sends remain' })),
    },
    { ...strict, minProperties: 1 },
  ),
  success_rate: Type.Object(
    {
      belowPercent: percent('Fires when the share of provider calls that sent falls below this'),
      windowSeconds: seconds('Over the calls of this window (read in whole minutes)', 60),
      minAttempts: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Fewer calls than this in the window say nothing' }),
    },
    strict,
  ),
  backlog_age: Type.Object({ olderThanSeconds: seconds("Fires when the app's oldest due delivery has been due longer than this") }, strict),
  callbacks_failing: Type.Object(
    {
      failuresAtLeast: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Fires at this many failed callback attempts in the window' }),
      windowSeconds: seconds('The window (read in whole minutes)', 60),
    },
    strict,
  ),
  circuit_open: Type.Object({}, strict),
};

export type AlarmRuleKind = keyof typeof ALARM_RULE_PARAMS;
export const ALARM_RULE_KINDS = Object.keys(ALARM_RULE_PARAMS) as AlarmRuleKind[];
export type AlarmRuleParams<Kind extends AlarmRuleKind> = Static<(typeof ALARM_RULE_PARAMS)[Kind]>;

/** What a rule watches: one account, one channel, or (null) the whole app / all its accounts. */
export type AlarmScope = { account: string } | { channel: string } | null;

/** Which scopes each kind takes. */
export const ALARM_RULE_SCOPES: Record<AlarmRuleKind, ReadonlyArray<'account' | 'channel'>> = {
  quota_remaining: ['account'],
  success_rate: ['account', 'channel'],
  backlog_age: [],
  callbacks_failing: [],
  circuit_open: ['account'],
};

/** The message type alarms are sent as, created for an app when it saves its first rule. */
export const ALARM_MESSAGE_TYPE = 'herald.alarm';

/** Outcome counters' subjects (outcome_counters.subject). */
export const counterSubject = {
  account: (accountId: string) => `account:${accountId}`,
  channel: (channel: string) => `channel:${channel}`,
  callbacks: 'callbacks',
} as const;

/** Counters are kept per minute. */
export const COUNTER_BUCKET_MS = 60_000;

import type { paths } from '../../api/generated/schema.js';

/**
 * A message type's policies (src/domain/message-types/message-type-policies.ts) as the policy forms
 * edit them: one draft per kind, `null` while the kind is switched off. `draftsOf` reads a stored
 * type's policies into drafts and `policiesOf` turns the drafts back into the body Herald takes, so
 * the forms are the only way the console edits policies.
 */
type MessageTypeBody = NonNullable<paths['/v1/message-types']['post']['requestBody']>['content']['application/json'];
export type MessageTypePolicies = NonNullable<MessageTypeBody['policies']>;
export type QuietHours = NonNullable<MessageTypePolicies['quietHours']>;
export type FrequencyCap = NonNullable<MessageTypePolicies['frequencyCap']>;
export type Digest = NonNullable<MessageTypePolicies['digest']>;
type EscalationStep = NonNullable<MessageTypePolicies['escalation']>['steps'][number];
type StepReceiver = NonNullable<EscalationStep['to']>[number];
export type EscalationChannel = EscalationStep['channels'][number];

/** The digest's grouping key is optional: an empty input means none. */
export interface DigestDraft extends Omit<Digest, 'key'> {
  key: string;
}
/** A step's receivers as text (`receiversText`): empty means the message's own receiver. */
export interface EscalationStepDraft {
  afterSeconds: number;
  channels: EscalationChannel[];
  to: string;
}
export interface PolicyDrafts {
  quietHours: QuietHours | null;
  frequencyCap: FrequencyCap | null;
  /** Wrapped, so a cleared input is an invalid value rather than the policy switched off. */
  dedupSeconds: { seconds: number } | null;
  digest: DigestDraft | null;
  escalation: { steps: EscalationStepDraft[] } | null;
}

/** What a policy starts as when it is switched on. */
export const POLICY_DEFAULTS: { [Kind in keyof PolicyDrafts]: () => NonNullable<PolicyDrafts[Kind]> } = {
  quietHours: () => ({ start: '22:00', end: '08:00', action: 'hold', urgentBypass: true }),
  frequencyCap: () => ({ count: 10, perSeconds: 3600 }),
  dedupSeconds: () => ({ seconds: 300 }),
  digest: () => ({ windowSeconds: 600, template: '', key: '', firstImmediately: false }),
  escalation: () => ({ steps: [newEscalationStep()] }),
};
export const newEscalationStep = (): EscalationStepDraft => ({ afterSeconds: 300, channels: [], to: '' });

// The receiver kinds a step's `to` takes besides a bare subscriber id; the check below fails the
// console's type check when Herald's receiver schema gains or loses a kind.
type ReceiverKind = StepReceiver extends infer Receiver ? (Receiver extends string ? never : keyof Receiver) : never;
const RECEIVER_KINDS = [
  'subscriber', 'subscriberId', 'group', 'email', 'phone', 'wecomUserId', 'dingtalkUserId', 'feishuOpenId', 'wechatOpenId', 'miniProgramOpenId',
  'telegramChatId', 'slackChannelId', 'pushSubscription', 'channelAccount',
] as const satisfies readonly ReceiverKind[];
const everyKindListed: Exclude<ReceiverKind, (typeof RECEIVER_KINDS)[number]> extends never ? true : false = true;
void everyKindListed;

/** Receivers as text, comma-separated: `u1` is a subscriber id, `kind:value` any other receiver (`group:oncall`, `email:noc@example.com`). */
export function receiversText(receivers: readonly StepReceiver[]): string {
  return receivers
    .map((receiver) => {
      if (typeof receiver !== 'string') return Object.entries(receiver).map(([kind, value]) => `${kind}:${value}`).join('');
      // A subscriber id that reads like `kind:value` is written out as one, so it parses back the same.
      return RECEIVER_KINDS.some((kind) => receiver.startsWith(`${kind}:`)) ? `subscriber:${receiver}` : receiver;
    })
    .join(', ');
}

export function parseReceivers(text: string): StepReceiver[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const kind = RECEIVER_KINDS.find((candidate) => part.startsWith(`${candidate}:`));
      return kind ? ({ [kind]: part.slice(kind.length + 1).trim() } as StepReceiver) : part;
    });
}

export function draftsOf(policies: MessageTypePolicies | undefined): PolicyDrafts {
  const { quietHours, frequencyCap, dedupSeconds, digest, escalation } = policies ?? {};
  return {
    quietHours: quietHours ? { urgentBypass: true, ...quietHours } : null,
    frequencyCap: frequencyCap ? { ...frequencyCap } : null,
    dedupSeconds: dedupSeconds === undefined ? null : { seconds: dedupSeconds },
    digest: digest ? { firstImmediately: false, ...digest, key: digest.key ?? '' } : null,
    escalation: escalation ? { steps: escalation.steps.map((step) => ({ afterSeconds: step.afterSeconds, channels: [...step.channels], to: receiversText(step.to ?? []) })) } : null,
  };
}

export function policiesOf(drafts: PolicyDrafts): MessageTypePolicies {
  const policies: MessageTypePolicies = {};
  if (drafts.quietHours) policies.quietHours = { ...drafts.quietHours };
  if (drafts.frequencyCap) policies.frequencyCap = { ...drafts.frequencyCap };
  if (drafts.dedupSeconds) policies.dedupSeconds = drafts.dedupSeconds.seconds;
  if (drafts.digest) {
    const { key, ...digest } = drafts.digest;
    policies.digest = { ...digest, template: digest.template.trim(), ...(key.trim() ? { key: key.trim() } : {}) };
  }
  if (drafts.escalation) {
    policies.escalation = {
      steps: drafts.escalation.steps.map(({ afterSeconds, channels, to }) => {
        const receivers = parseReceivers(to);
        return { afterSeconds, channels: [...channels], ...(receivers.length ? { to: receivers } : {}) };
      }),
    };
  }
  return policies;
}

import { Type, type Static } from 'typebox';
import { CHANNELS } from '../../channels/channel-catalog.ts';
import { SendReceiverSchema } from '../messages/send-request-schema.ts';

/**
 * The policy settings a message type carries (issue 12), in one schema: the message-type API
 * validates them, the accept steps and send gates read them from the accepted message's type
 * (`AcceptDraft.messageType`). Each policy is one step or gate file that reads its own field.
 */

const ClockTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: '24-hour wall time, HH:MM' });

export const QuietHoursSchema = Type.Object(
  {
    start: ClockTime,
    end: ClockTime,
    action: Type.Union([Type.Literal('drop'), Type.Literal('hold')], { description: 'drop: skipped QUIET_HOURS; hold: deferred to the end of the window' }),
    /** Default true: urgent messages go out at night anyway. */
    urgentBypass: Type.Optional(Type.Boolean({ description: 'Urgent messages are not held or dropped (default true)' })),
  },
  { additionalProperties: false, description: "Night shielding in the receiver's time zone (the subscriber's, else the app's default)" },
);

export const DigestSchema = Type.Object(
  {
    windowSeconds: Type.Integer({ minimum: 1, maximum: 604_800, description: 'Events for the same receiver within this many seconds of the first become one message' }),
    template: Type.String({ minLength: 1, maxLength: 128, description: 'Code of the template the digest is rendered with, over `items` (each event\'s data) and `count`' }),
    key: Type.Optional(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$', maxLength: 128, description: 'A data path (e.g. `order.shop`): events with different values there are digested apart' })),
    firstImmediately: Type.Optional(Type.Boolean({ description: 'The event that opens a window goes out at once; the rest of the window is digested (default false)' })),
  },
  { additionalProperties: false, description: 'Digest (通知消息合并): events within a window become one message; each digested delivery is skipped DIGESTED' },
);

export const EscalationStepSchema = Type.Object(
  {
    afterSeconds: Type.Integer({ minimum: 1, maximum: 604_800, description: 'Seconds after the previous send (the message, or the step before) with no acknowledgement' }),
    channels: Type.Array(Type.Enum(CHANNELS), { minItems: 1, maxItems: 8, uniqueItems: true, description: 'The channels this step sends on' }),
    to: Type.Optional(
      Type.Array(SendReceiverSchema, {
        minItems: 1,
        maxItems: 20,
        description: 'Who this step reaches (on-call people for an alert posted to a group robot); default the same receiver. A type whose steps name `to` escalates once per message, not per receiver',
      }),
    ),
  },
  { additionalProperties: false },
);

export const EscalationSchema = Type.Object(
  { steps: Type.Array(EscalationStepSchema, { minItems: 1, maxItems: 5 }) },
  { additionalProperties: false, description: 'Unacknowledged after afterSeconds: send again on the next channels, step by step, until a delivery is acknowledged' },
);

export const MessageTypePoliciesSchema = Type.Object(
  {
    escalation: Type.Optional(EscalationSchema),
    quietHours: Type.Optional(QuietHoursSchema),
    dedupSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 604_800, description: 'The same content to the same receiver within this many seconds is skipped DUPLICATE' })),
    frequencyCap: Type.Optional(
      Type.Object(
        {
          count: Type.Integer({ minimum: 1, maximum: 100_000 }),
          perSeconds: Type.Integer({ minimum: 1, maximum: 2_592_000 }),
        },
        { additionalProperties: false, description: 'At most `count` messages of this type per receiver per window; more are skipped FREQUENCY_CAP' },
      ),
    ),
    digest: Type.Optional(DigestSchema),
  },
  { additionalProperties: false },
);
export type MessageTypePolicies = Static<typeof MessageTypePoliciesSchema>;
export type QuietHours = Static<typeof QuietHoursSchema>;
export type DigestPolicy = Static<typeof DigestSchema>;
export type Escalation = Static<typeof EscalationSchema>;

/** The message type of a message being accepted, as policies see it. */
export interface MessageTypeForSend {
  id: string;
  code: string;
  category: string | null;
  /** Critical types bypass subscribers' opt-outs. */
  critical: boolean;
  policies: MessageTypePolicies;
}

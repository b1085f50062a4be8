import { Type } from 'typebox';
import { Time, NullableTime } from './response-fields.ts';
import { CHANNELS } from '../channels/channel-catalog.ts';

/**
 * What the channel account and quota routes answer (src/domain/channel-accounts/channel-account-service.ts:
 * ChannelAccountView, ChannelAccountTypeView, quotas(); account-quota-config.ts: AccountQuotaStatusView).
 * Fastify's serializer drops what a response schema does not list, so each lists every field of its view.
 */

const FlowLimitView = Type.Object({ count: Type.Integer(), perSeconds: Type.Integer() });
const QuotaPeriod = Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('balance')]);

/** An account's quota status without the account id: usage against the configured quota, what the platform reports, an exhaustion mark. */
const quotaStatusFields = {
  configured: Type.Union([
    Type.Object({ period: QuotaPeriod, limit: Type.Integer(), used: Type.Integer(), remaining: Type.Integer(), resetsAt: Type.Union([Time, Type.Null()], { description: 'null: a balance, which never resets' }) }),
    Type.Null(),
  ]),
  reported: Type.Union([Type.Object({ limit: Type.Number(), used: Type.Number(), remaining: Type.Number(), at: Time }), Type.Null()], { description: 'What the platform last reported' }),
  exhausted: Type.Union([Type.Object({ since: Time, until: NullableTime, code: Type.String(), message: Type.String() }), Type.Null()], {
    description: "A provider's quota error marked the account exhausted: it sends again after until (null: after a reset)",
  }),
  limit: Type.Union([Type.Number(), Type.Null()], { description: 'The tighter of the configured and the reported limit' }),
  remaining: Type.Union([Type.Number(), Type.Null()]),
};

// Type.Immutable marks the arrays the services answer readonly (provider defaults, Herald's own constants).
export const ChannelAccountViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  channel: Type.Enum(CHANNELS),
  enabled: Type.Boolean(),
  isDefault: Type.Boolean(),
  config: Type.Record(Type.String(), Type.Unknown(), { description: 'Provider config; secret fields read back masked' }),
  flowLimits: Type.Union([Type.Array(FlowLimitView), Type.Null()], { description: "null: the provider's defaults apply" }),
  effectiveFlowLimits: Type.Immutable(Type.Array(FlowLimitView, { description: 'What the dispatcher enforces; empty when unlimited' })),
  receiptUrl: Type.Optional(Type.String({ description: 'Where the platform pushes delivery receipts, for providers that take them' })),
  quota: Type.Union([Type.Object({ period: QuotaPeriod, limit: Type.Integer(), timeZone: Type.Optional(Type.String()) }), Type.Null()]),
  quotaStatus: Type.Object({ accountId: Type.String(), ...quotaStatusFields }),
  createdAt: Time,
  updatedAt: Time,
});

export const RotatedReceiptUrlSchema = Type.Object({
  ...ChannelAccountViewSchema.properties,
  previousReceiptUrlValidUntil: Type.Union([Time, Type.Null()], { description: 'Until when the previous URL still takes receipts; null: it stopped at once' }),
});

export const ChannelAccountTypeViewSchema = Type.Object({
  type: Type.String(),
  channel: Type.Enum(CHANNELS),
  target: Type.Union([Type.Literal('account'), Type.Literal('address')], { description: 'account: the account itself is the receiver (a robot, a webhook); address: sends name receivers' }),
  addressKind: Type.Union([Type.String(), Type.Null()]),
  secretFields: Type.Immutable(Type.Array(Type.String())),
  secretMasks: Type.Record(Type.String(), Type.Union([Type.Literal('values'), Type.Literal('query')]), { description: 'Secret fields masked only in parts' }),
  defaultFlowLimits: Type.Immutable(Type.Array(FlowLimitView)),
  maxRecipientsPerCall: Type.Union([Type.Integer(), Type.Null()]),
  recallWindowSeconds: Type.Union([Type.Integer(), Type.Null()], { description: 'How long after sending a message can be recalled; null: no recall' }),
  readsQuota: Type.Boolean(),
  configSchema: Type.Unknown({ description: 'JSON Schema of the config' }),
});

export const QuotaViewSchema = Type.Object({
  accountId: Type.String(),
  name: Type.String(),
  type: Type.String(),
  channel: Type.Enum(CHANNELS),
  enabled: Type.Boolean(),
  ...quotaStatusFields,
});

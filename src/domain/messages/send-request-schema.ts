import { Type, type Static, type TObject, type TString, type TUnion } from 'typebox';
import { ADDRESS_KIND_CATALOG, ADDRESS_KINDS, type AddressKind } from '../../channels/address-kinds.ts';
import { CHANNELS } from '../../channels/channel-catalog.ts';
import { MESSAGE_PRIORITIES } from '../../providers/provider.ts';
import { InlineContentSchema } from '../../templates/template-content.ts';
import { MESSAGE_TYPE_CODE_PATTERN } from '../message-types/message-type-code.ts';

/** The JSON schemas of the send API: they validate requests and generate the OpenAPI document. */

/** Stored as the index: 0 is the most urgent. Providers read the name (Web Push Urgency). */
export const PRIORITIES = MESSAGE_PRIORITIES;
export const MAX_RECEIVERS_PER_REQUEST = 1000;

const bounded = (maxLength: number) => Type.String({ minLength: 1, maxLength });

/** `{ "<kind>": string }` for one address kind: `{ "email": .. }`, `{ "phone": .. }`, `{ "wecomUserId": .. }` ... */
type AddressReceiverSchema = { [Kind in AddressKind]: TObject<{ [Field in Kind]: TString }> }[AddressKind];

function addressReceiver(kind: AddressKind): AddressReceiverSchema {
  return Type.Object({ [kind]: bounded(ADDRESS_KIND_CATALOG[kind].maxLength) }, { additionalProperties: false }) as AddressReceiverSchema;
}

const SubscriberReceiver = Type.Object({ subscriber: bounded(128) }, { additionalProperties: false });
const AccountReceiver = Type.Object({ channelAccount: bounded(128) }, { additionalProperties: false, description: 'The account itself is the target: a group robot, a webhook endpoint' });

// The address alternatives come from the catalog, one per kind; the type names them as one union member, so `Receiver` lists each kind.
export const ReceiverSchema = Type.Union([
  Type.String({ minLength: 1, maxLength: 128, description: 'A subscriber external id' }),
  SubscriberReceiver,
  ...ADDRESS_KINDS.map(addressReceiver),
  AccountReceiver,
]) as TUnion<[TString, typeof SubscriberReceiver, AddressReceiverSchema, typeof AccountReceiver]>;
export type Receiver = Static<typeof ReceiverSchema>;

export const GroupReceiverSchema = Type.Object({ group: bounded(128) }, { additionalProperties: false, description: 'A receiver group by name: its members when the message is accepted' });
/** What a send's `to` and a message type's receivers may name: receivers, and groups of subscribers. */
export const SendReceiverSchema = Type.Union([ReceiverSchema, GroupReceiverSchema]);
export type SendReceiver = Static<typeof SendReceiverSchema>;

const Data = Type.Record(Type.String(), Type.Unknown(), { description: 'Template variables' });

const commonFields = {
  channels: Type.Optional(Type.Array(Type.Enum(CHANNELS), { minItems: 1, maxItems: CHANNELS.length, uniqueItems: true })),
  content: Type.Optional(InlineContentSchema),
  template: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Template code; use either content or template' })),
  locale: Type.Optional(Type.String({ minLength: 2, maxLength: 35, description: "Overrides the receivers' locale" })),
  data: Type.Optional(Data),
  priority: Type.Optional(Type.Enum(PRIORITIES)),
  sendAt: Type.Optional(Type.String({ format: 'date-time', description: 'RFC 3339 with a time zone offset' })),
  delaySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 31_536_000 })),
  idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Or the Idempotency-Key header' })),
  callbackUrl: Type.Optional(Type.String({ format: 'uri', maxLength: 2048 })),
  callbackPerDelivery: Type.Optional(Type.Boolean()),
  metadata: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.String({ maxLength: 256 }), { maxProperties: 20 })),
  channelAccounts: Type.Optional(Type.Record(Type.String(), bounded(128), { description: 'Channel → account id or name, instead of the channel default' })),
};

export const SendRequestSchema = Type.Object(
  {
    to: Type.Optional(Type.Array(SendReceiverSchema, { minItems: 1, maxItems: MAX_RECEIVERS_PER_REQUEST, description: 'Receivers; optional with `type` (added to its receivers)' })),
    type: Type.Optional(Type.String({ pattern: MESSAGE_TYPE_CODE_PATTERN, maxLength: 64, description: "A message type code: its receivers, channels, template and urgency unless the request gives them" })),
    ...commonFields,
  },
  { additionalProperties: false },
);
export type SendRequestBody = Static<typeof SendRequestSchema>;

export const BatchSendRequestSchema = Type.Object(
  {
    receivers: Type.Array(Type.Object({ to: ReceiverSchema, data: Type.Optional(Data) }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: MAX_RECEIVERS_PER_REQUEST,
    }),
    ...commonFields,
  },
  { additionalProperties: false },
);
export type BatchSendRequestBody = Static<typeof BatchSendRequestSchema>;

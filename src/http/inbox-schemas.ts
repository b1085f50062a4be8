import { Type } from 'typebox';

/**
 * What every /inbox/v1 request may carry in its query: the app (always), and the subscriber's
 * credentials when headers cannot carry them (EventSource). Route query schemas spread these in.
 */
export const InboxAuthQueryProperties = {
  app: Type.String({ minLength: 1, maxLength: 100, description: 'The app id (or name)' }),
  subscriber: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "The subscriber's external id (or the X-Herald-Subscriber header)" })),
  subscriberHash: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Hex HMAC-SHA256 of the subscriber id with the app inbox secret (or X-Herald-Subscriber-Hash)' })),
  token: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'An inbox token hit1.… (or Authorization: Bearer)' })),
};

export const InboxAuthQuery = Type.Object(InboxAuthQueryProperties, { additionalProperties: false });

export const InboxEntrySchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('message'), Type.Literal('announcement')]),
  title: Type.String(),
  summary: Type.Union([Type.String(), Type.Null()]),
  bodyHtml: Type.Union([Type.String(), Type.Null()]),
  link: Type.Union([Type.String(), Type.Null()]),
  category: Type.Union([Type.String(), Type.Null()]),
  severity: Type.Union([Type.Literal('info'), Type.Literal('success'), Type.Literal('warning'), Type.Literal('error')]),
  actions: Type.Array(Type.Object({ label: Type.String(), url: Type.String() })),
  data: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
  validUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  archivedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const InboxCountsSchema = Type.Object({
  unread: Type.Integer({ minimum: 0 }),
  byCategory: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Unread unarchived entries per category; "" for none' }),
});

export const InboxEntryParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

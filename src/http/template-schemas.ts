import { Type } from 'typebox';
import { Time } from './response-fields.ts';
import { CHANNELS } from '../channels/channel-catalog.ts';
import { BodyFormatSchema, VariablesSchemaSchema } from '../templates/template-content.ts';

/**
 * What the template routes answer (src/domain/templates/template-service.ts: TemplateSummary, TemplateView,
 * TemplateVersionSummary, TemplateVersionView). Fastify's serializer drops what a response schema does not
 * list, so each lists every field of its view.
 */

const DefaultChannels = Type.Array(Type.Enum(CHANNELS));

// Content as saved (checked against TemplateContentSchema on save); its nested overrides and locale variants stay open.
const TemplateContentView = Type.Object(
  {
    title: Type.Optional(Type.String()),
    summary: Type.Optional(Type.String()),
    url: Type.Optional(Type.String()),
    body: Type.Optional(Type.String()),
    bodyFormat: Type.Optional(BodyFormatSchema),
    defaultLocale: Type.Optional(Type.String()),
    channels: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    locales: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true },
);

export const TemplateSummarySchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  defaultChannels: DefaultChannels,
  publishedVersion: Type.Union([Type.Integer(), Type.Null()], { description: 'The version sends use; null until the draft is first published' }),
  hasUnpublishedChanges: Type.Boolean(),
  createdAt: Time,
  updatedAt: Time,
});

/** A template with its draft. */
export const TemplateViewSchema = Type.Object({
  ...TemplateSummarySchema.properties,
  variables: VariablesSchemaSchema,
  content: TemplateContentView,
});

export const TemplatePageSchema = Type.Object({
  items: Type.Array(TemplateSummarySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const TemplateVersionSummarySchema = Type.Object({
  version: Type.Integer({ description: 'Negative: a draft snapshot recorded by a test send' }),
  kind: Type.Union([Type.Literal('published'), Type.Literal('draft-snapshot')]),
  current: Type.Boolean({ description: 'The version sends use now' }),
  publishedAt: Time,
  publishedBy: Type.Union([Type.String(), Type.Null()], { description: "The console user's e-mail or the access key id that published it" }),
});

export const TemplateVersionPageSchema = Type.Object({
  items: Type.Array(TemplateVersionSummarySchema),
  nextCursor: Type.Union([Type.Integer(), Type.Null()]),
});

export const TemplateVersionViewSchema = Type.Object({
  ...TemplateVersionSummarySchema.properties,
  defaultChannels: DefaultChannels,
  variables: VariablesSchemaSchema,
  content: TemplateContentView,
});

/** One channel's rendering (src/providers/provider.ts: RenderedMessage); open, as channels add structured parts. */
const RenderedMessageSchema = Type.Object(
  {
    title: Type.String(),
    summary: Type.Optional(Type.String()),
    text: Type.String({ description: 'Plain text: SMS, webhooks, text-only IM messages, the text part of an e-mail' }),
    markdown: Type.String({ description: "Markdown in this channel's dialect" }),
    html: Type.Optional(Type.String({ description: 'Sanitised HTML with inlined CSS (e-mail)' })),
    url: Type.Optional(Type.String()),
    extras: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Channel-specific structured parts from template overrides' })),
  },
  { additionalProperties: true },
);

export const TemplatePreviewSchema = Type.Object({
  version: Type.Union([Type.Integer(), Type.Literal('draft')]),
  channels: Type.Partial(Type.Object(Object.fromEntries(CHANNELS.map((channel) => [channel, RenderedMessageSchema])) as Record<(typeof CHANNELS)[number], typeof RenderedMessageSchema>)),
});

import { Type, type Static } from 'typebox';
import { INBOX_SEVERITIES } from '../../providers/provider.ts';
import { MAX_TAG_LENGTH } from '../subscribers/subscriber-fields.ts';

/** The JSON schemas of the announcement API: they validate requests and generate the OpenAPI document. */

export const ANNOUNCEMENT_STATUSES = ['scheduled', 'live', 'expired', 'withdrawn'] as const;
export type AnnouncementStatus = (typeof ANNOUNCEMENT_STATUSES)[number];

export const MAX_ANNOUNCEMENT_ACTIONS = 3;
export const MAX_ANNOUNCEMENT_AUDIENCE_TAGS = 20;
/** The data object, as JSON (UTF-8 bytes): it travels with every entry of every list. */
export const MAX_ANNOUNCEMENT_DATA_BYTES = 8 * 1024;
export const MAX_ANNOUNCEMENT_BODY_LENGTH = 20_000;

const Url = (description: string) => Type.String({ minLength: 1, maxLength: 2048, description });
const Time = (description: string) => Type.String({ format: 'date-time', description });

const Audience = Type.Union(
  [
    Type.Object({ all: Type.Literal(true) }, { additionalProperties: false, description: 'Every subscriber of the app' }),
    Type.Object({ group: Type.String({ minLength: 1, maxLength: 128, description: 'A receiver group of the app' }) }, { additionalProperties: false, description: 'The members of a receiver group when they read' }),
    Type.Object(
      { tags: Type.Array(Type.String({ minLength: 1, maxLength: MAX_TAG_LENGTH }), { minItems: 1, maxItems: MAX_ANNOUNCEMENT_AUDIENCE_TAGS }) },
      { additionalProperties: false, description: 'Every subscriber having all of these tags' },
    ),
  ],
  { description: 'Exactly one of {"all": true}, {"group": name}, {"tags": [...]}' },
);
export type AnnouncementAudience = Static<typeof Audience>;

const Action = Type.Object({ label: Type.String({ minLength: 1, maxLength: 40 }), url: Url('Where the button leads (http or https)') }, { additionalProperties: false });
export type AnnouncementAction = Static<typeof Action>;

const fields = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  summary: Type.String({ maxLength: 500, description: 'A line shown under the title' }),
  body: Type.String({ maxLength: MAX_ANNOUNCEMENT_BODY_LENGTH, description: 'Markdown, rendered once into sanitised HTML (bodyHtml); raw HTML is dropped' }),
  link: Url('Where clicking the entry leads (http or https)'),
  category: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9._-]+$', description: 'Lower-case letters, digits, ".", "_", "-": the widget filters by it' }),
  severity: Type.Enum(INBOX_SEVERITIES, { description: 'How the widget colours it (default info)' }),
  actions: Type.Array(Action, { maxItems: MAX_ANNOUNCEMENT_ACTIONS, description: `At most ${MAX_ANNOUNCEMENT_ACTIONS} buttons` }),
  data: Type.Record(Type.String(), Type.Unknown(), { description: `Any JSON object the widget may use, at most ${MAX_ANNOUNCEMENT_DATA_BYTES} bytes as JSON` }),
  audience: Audience,
  publishAt: Time('Visible from this time (default now)'),
  expiresAt: Time('Gone from every inbox from this time (after publishAt, and to come)'),
};

export const AnnouncementInputSchema = Type.Object(
  {
    title: fields.title,
    summary: Type.Optional(fields.summary),
    body: Type.Optional(fields.body),
    link: Type.Optional(fields.link),
    category: Type.Optional(fields.category),
    severity: Type.Optional(fields.severity),
    actions: Type.Optional(fields.actions),
    data: Type.Optional(fields.data),
    audience: fields.audience,
    publishAt: Type.Optional(fields.publishAt),
    expiresAt: Type.Optional(fields.expiresAt),
  },
  { additionalProperties: false },
);
export type AnnouncementInput = Static<typeof AnnouncementInputSchema>;

const clearable = <Field extends (typeof fields)[keyof typeof fields]>(field: Field) => Type.Optional(Type.Union([field, Type.Null()]));

/** What PATCH changes: the fields given; `null` clears an optional one. */
export const AnnouncementPatchSchema = Type.Object(
  {
    title: Type.Optional(fields.title),
    summary: clearable(fields.summary),
    body: clearable(fields.body),
    link: clearable(fields.link),
    category: clearable(fields.category),
    severity: Type.Optional(fields.severity),
    actions: Type.Optional(fields.actions),
    data: Type.Optional(fields.data),
    audience: Type.Optional(fields.audience),
    publishAt: Type.Optional(fields.publishAt),
    expiresAt: clearable(fields.expiresAt),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type AnnouncementPatch = Static<typeof AnnouncementPatchSchema>;

export const AnnouncementViewSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  summary: Type.Union([Type.String(), Type.Null()]),
  body: Type.Union([Type.String(), Type.Null()], { description: 'The Markdown as written' }),
  bodyHtml: Type.Union([Type.String(), Type.Null()], { description: 'The sanitised HTML the inbox shows' }),
  link: Type.Union([Type.String(), Type.Null()]),
  category: Type.Union([Type.String(), Type.Null()]),
  severity: fields.severity,
  actions: Type.Array(Action),
  data: fields.data,
  audience: Audience,
  publishAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.Enum(ANNOUNCEMENT_STATUSES, { description: 'withdrawn, else expired, else live, else scheduled: read from the clock' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type AnnouncementView = Static<typeof AnnouncementViewSchema>;

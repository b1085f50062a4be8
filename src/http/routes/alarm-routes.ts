import { Type } from 'typebox';
import { NoContent, NullableString, NullableTime, Time } from '../response-fields.ts';
import { CHANNELS } from '../../channels/channel-catalog.ts';
import { ALARM_RULE_KINDS } from '../../deliveries/alarm-rule-kinds.ts';
import { DEFAULT_ALARM_PAGE_LIMIT, MAX_ALARM_PAGE_LIMIT } from '../../domain/alarms/alarm-history.ts';
import { SendReceiverSchema, SendRequestSchema } from '../../domain/messages/send-request-schema.ts';
import { actorOf, appIdOf } from '../auth/access.ts';
import { pathParam, type AuditSnapshot } from '../audit-hooks.ts';
import type { RouteModule } from '../route-module.ts';

/** Alarms go to a team, not to a population. */
const MAX_ALARM_RECEIVERS = 100;

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

const ruleFields = {
  name: Type.String({ minLength: 1, maxLength: 128 }),
  params: Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
    maxProperties: 10,
    description:
      'quota_remaining: { remainingPercent?, remainingCount? }; success_rate: { belowPercent, windowSeconds, minAttempts }; backlog_age: { olderThanSeconds }; callbacks_failing: { failuresAtLeast, windowSeconds }; circuit_open: {}',
  }),
  scope: Type.Union(
    [
      Type.Object({ account: Type.String({ minLength: 1, maxLength: 128, description: 'Channel account id or name' }) }, { additionalProperties: false }),
      Type.Object({ channel: Type.Enum(CHANNELS) }, { additionalProperties: false }),
      Type.Null(),
    ],
    { description: 'One account (quota_remaining, success_rate, circuit_open) or one channel (success_rate); left out or null: every account of the app, or the whole app' },
  ),
  // Who gets the alarm messages, as POST /v1/messages takes them.
  to: Type.Array(SendReceiverSchema, { minItems: 1, maxItems: MAX_ALARM_RECEIVERS, description: 'Receivers, groups or accounts that get the alarms' }),
  channels: SendRequestSchema.properties.channels,
  locale: SendRequestSchema.properties.locale,
  holdDownSeconds: Type.Integer({ minimum: 0, maximum: 86_400, description: 'A cleared condition resolves its alarm once it has stayed clear this long (default 300)' }),
  enabled: Type.Boolean(),
};

const CreateBody = Type.Object(
  {
    name: ruleFields.name,
    kind: Type.Enum(ALARM_RULE_KINDS),
    params: ruleFields.params,
    scope: Type.Optional(ruleFields.scope),
    to: ruleFields.to,
    channels: ruleFields.channels,
    locale: ruleFields.locale,
    holdDownSeconds: Type.Optional(ruleFields.holdDownSeconds),
    enabled: Type.Optional(ruleFields.enabled),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(Type.Omit(CreateBody, ['kind']), { additionalProperties: false, minProperties: 1 });

const AlarmQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['open', 'resolved'])),
    rule: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'An alarm rule id' })),
    since: Type.Optional(Type.String({ format: 'date-time', description: 'Alarms fired at or after this time' })),
    cursor: Type.Optional(Type.String({ maxLength: 64, description: 'nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ALARM_PAGE_LIMIT, default: DEFAULT_ALARM_PAGE_LIMIT })),
  },
  { additionalProperties: false },
);

// What the routes answer (AlarmRuleView, AlarmView); a response schema lists every field, as Fastify's serializer drops the rest.
const AlarmRuleViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Enum(ALARM_RULE_KINDS),
  params: Type.Record(Type.String(), Type.Unknown()),
  scope: Type.Union([Type.Object({ account: Type.String({ description: 'Channel account id' }) }), Type.Object({ channel: Type.String() }), Type.Null()], { description: 'null: the whole app' }),
  to: Type.Array(Type.Union([Type.String(), Type.Record(Type.String(), Type.String())]), { description: 'As a send\'s to' }),
  channels: Type.Union([Type.Array(Type.Enum(CHANNELS)), Type.Null()]),
  locale: NullableString,
  holdDownSeconds: Type.Integer(),
  enabled: Type.Boolean(),
  nextEvaluationAt: NullableTime,
  lastEvaluatedAt: NullableTime,
  lastError: Type.Union([Type.String(), Type.Null()], { description: "Why the last evaluation could not send an alarm's message" }),
  createdAt: Time,
  updatedAt: Time,
});
const AlarmViewSchema = Type.Object({
  id: Type.String(),
  ruleId: Type.String(),
  ruleName: Type.String(),
  kind: Type.String(),
  subject: Type.String({ description: 'account:<id>, channel:<name>, app, callbacks' }),
  subjectLabel: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('resolved')]),
  value: Type.Union([Type.Number(), Type.Null()], { description: 'The measured value when the condition last held' }),
  detail: Type.Record(Type.String(), Type.Unknown()),
  firedAt: Time,
  clearSince: Type.Union([Time, Type.Null()], { description: 'While open: since when the condition has been clear' }),
  resolvedAt: NullableTime,
  firedMessageId: NullableString,
  resolvedMessageId: NullableString,
});

/** Alarm rules (admin writes, audited) and the alarms they fired. */
export const registerAlarmRoutes: RouteModule = (server, { alarmRules, alarmHistory }) => {
  const before: AuditSnapshot = (request) => alarmRules.get(appIdOf(request), pathParam(request, 'id'));

  server.get('/alarm-rules', { config: { access: 'read' }, schema: { tags: ['alarms'], summary: "The app's alarm rules", response: { 200: Type.Object({ items: Type.Array(AlarmRuleViewSchema) }) } } }, async (request) => ({
    items: await alarmRules.list(appIdOf(request)),
  }));

  server.post(
    '/alarm-rules',
    {
      config: { access: 'manage' },
      schema: { tags: ['alarms'], summary: "Create an alarm rule; the app's herald.alarm message type and template are created when missing", body: CreateBody, response: { 201: AlarmRuleViewSchema } },
    },
    async (request, reply) => {
      reply.status(201);
      return alarmRules.create(appIdOf(request), request.body, actorOf(request));
    },
  );

  server.get('/alarm-rules/:id', { config: { access: 'read' }, schema: { tags: ['alarms'], summary: 'An alarm rule with its last evaluation', params: IdParams, response: { 200: AlarmRuleViewSchema } } }, async (request) =>
    alarmRules.get(appIdOf(request), request.params.id),
  );

  server.patch(
    '/alarm-rules/:id',
    { config: { access: 'manage', audit: { before } }, schema: { tags: ['alarms'], summary: 'Change an alarm rule (not its kind); it is evaluated again at once', params: IdParams, body: PatchBody, response: { 200: AlarmRuleViewSchema } } },
    async (request) => alarmRules.update(appIdOf(request), request.params.id, request.body, actorOf(request)),
  );

  server.delete(
    '/alarm-rules/:id',
    { config: { access: 'manage', audit: { before } }, schema: { tags: ['alarms'], summary: 'Delete an alarm rule; its open alarms close without a message', params: IdParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await alarmRules.delete(appIdOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  server.get('/alarms', { config: { access: 'read' }, schema: { tags: ['alarms'], summary: 'Alarms fired by the app\'s rules, newest first', querystring: AlarmQuery, response: { 200: Type.Object({ items: Type.Array(AlarmViewSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }) } } }, async (request) =>
    alarmHistory.list(appIdOf(request), request.query),
  );

  server.get('/alarms/:id', { config: { access: 'read' }, schema: { tags: ['alarms'], summary: 'One alarm with the messages sent for it', params: IdParams, response: { 200: AlarmViewSchema } } }, async (request) =>
    alarmHistory.get(appIdOf(request), request.params.id),
  );
};

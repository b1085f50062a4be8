import { Type } from 'typebox';
import { NoContent, NullableTime } from '../response-fields.ts';
import { MISSED_TICK_POLICIES } from '../../domain/schedules/schedule-service.ts';
import { SendRequestSchema } from '../../domain/messages/send-request-schema.ts';
import { appIdOf } from '../auth/access.ts';
import { pathParam, type AuditSnapshot } from '../audit-hooks.ts';
import type { RouteModule } from '../route-module.ts';

const ScheduleParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

const scheduleFields = {
  name: Type.String({ minLength: 1, maxLength: 128 }),
  cron: Type.String({ minLength: 1, maxLength: 128, description: 'Cron expression: 5 fields (minute hour day month weekday), or 6 with seconds first; use either cron or at' }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone the cron expression is read in (default UTC)' }),
  at: Type.String({ format: 'date-time', description: 'One-off: RFC 3339 time with an offset' }),
  missedTicks: Type.Enum(MISSED_TICK_POLICIES, {
    description: 'A tick the schedulers missed (down when it fell): run-once sends one message on recovery for all the ticks missed; skip drops them (default run-once)',
  }),
  // The send request each tick accepts, as POST /v1/messages takes it (without idempotencyKey and sendAt).
  message: SendRequestSchema,
};

const CreateBody = Type.Object(
  {
    name: scheduleFields.name,
    cron: Type.Optional(scheduleFields.cron),
    timeZone: Type.Optional(scheduleFields.timeZone),
    at: Type.Optional(scheduleFields.at),
    missedTicks: Type.Optional(scheduleFields.missedTicks),
    message: scheduleFields.message,
  },
  { additionalProperties: false },
);
const PatchBody = Type.Partial(CreateBody, { additionalProperties: false, minProperties: 1 });
/** What every route answers a schedule with (ScheduleView); the response schema lists every field, as Fastify's serializer drops the rest. */
const ScheduleViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  cron: Type.Union([Type.String(), Type.Null()]),
  timeZone: Type.String(),
  at: NullableTime,
  missedTicks: Type.Enum(MISSED_TICK_POLICIES),
  message: Type.Record(Type.String(), Type.Unknown(), { description: 'The send request each tick accepts' }),
  status: Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal('finished')], { description: 'finished: a one-off that ran' }),
  nextRunAt: NullableTime,
  nextRuns: Type.Array(Type.String({ format: 'date-time' })),
  runs: Type.Integer(),
  lastRun: Type.Union([
    Type.Object({
      tickAt: Type.String({ format: 'date-time' }),
      outcome: Type.Union([Type.Literal('sent'), Type.Literal('skipped'), Type.Literal('failed')]),
      messageId: Type.Union([Type.String(), Type.Null()]),
      error: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const OneSchedule = { 200: ScheduleViewSchema };

/** Schedules: send requests run on a cron expression in a time zone, or once at a time. */
export const registerScheduleRoutes: RouteModule = (server, { schedules }) => {
  const before: AuditSnapshot = (request) => schedules.get(appIdOf(request), pathParam(request, 'id'));
  server.get('/schedules', { config: { access: 'read' }, schema: { tags: ['schedules'], summary: "The app's schedules with their next run times", response: { 200: Type.Object({ items: Type.Array(ScheduleViewSchema) }) } } }, async (request) => ({
    items: await schedules.list(appIdOf(request)),
  }));

  server.post(
    '/schedules',
    { config: { access: 'manage' }, schema: { tags: ['schedules'], summary: 'Schedule a message on a cron expression or once', body: CreateBody, response: { 201: ScheduleViewSchema } } },
    async (request, reply) => {
      reply.status(201);
      return schedules.create(appIdOf(request), request.body);
    },
  );

  server.get('/schedules/:id', { config: { access: 'read' }, schema: { tags: ['schedules'], summary: 'A schedule with its next run times and last run', params: ScheduleParams, response: OneSchedule } }, async (request) =>
    schedules.get(appIdOf(request), request.params.id),
  );

  server.patch(
    '/schedules/:id',
    { config: { access: 'manage', audit: { before } }, schema: { tags: ['schedules'], summary: 'Change a schedule; a new cron, time zone or time counts from now', params: ScheduleParams, body: PatchBody, response: OneSchedule } },
    async (request) => schedules.update(appIdOf(request), request.params.id, request.body),
  );

  server.post(
    '/schedules/:id/pause',
    { config: { access: 'manage', audit: { before } }, schema: { tags: ['schedules'], summary: 'Pause a schedule: no tick runs until it is resumed', params: ScheduleParams, response: OneSchedule } },
    async (request) => schedules.pause(appIdOf(request), request.params.id),
  );

  server.post(
    '/schedules/:id/resume',
    { config: { access: 'manage', audit: { before } }, schema: { tags: ['schedules'], summary: 'Resume a paused schedule from its next tick after now', params: ScheduleParams, response: OneSchedule } },
    async (request) => schedules.resume(appIdOf(request), request.params.id),
  );

  server.delete('/schedules/:id', { config: { access: 'manage', audit: { before } }, schema: { tags: ['schedules'], summary: 'Delete a schedule', params: ScheduleParams, response: { 204: NoContent } } }, async (request, reply) => {
    await schedules.delete(appIdOf(request), request.params.id);
    return reply.status(204).send(null);
  });
};

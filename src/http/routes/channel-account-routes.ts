import { Type } from 'typebox';
import { SECRET_MASK } from '../../domain/channel-accounts/channel-account-config.ts';
import { appIdOf } from '../auth/access.ts';
import { ChannelAccountTypeViewSchema, ChannelAccountViewSchema, RotatedReceiptUrlSchema } from '../channel-account-schemas.ts';
import { pathParam, type AuditSnapshot } from '../audit-hooks.ts';
import type { RouteModule } from '../route-module.ts';
import { NoContent } from '../response-fields.ts';

const FlowLimit = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Sends allowed per window' }),
    perSeconds: Type.Integer({ minimum: 1, maximum: 86_400, description: 'Window length in seconds' }),
  },
  { additionalProperties: false },
);
const FlowLimits = Type.Union([Type.Array(FlowLimit, { minItems: 1, maxItems: 5 }), Type.Null()], {
  description: "Windows enforced together across all workers (e.g. 5 per 1 s and 100 per 60 s); null: the provider's documented defaults apply",
});
const Quota = Type.Union(
  [
    Type.Object(
      {
        period: Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('balance')], { description: 'day / month: resets at midnight in timeZone; balance: a prepaid package that never resets by itself (set it again after topping up)' }),
        limit: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000, description: 'Sends allowed per period (or in the balance)' }),
        timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone whose midnight resets day and month quotas; default Asia/Shanghai' })),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { description: "Herald's own count of sends through the account; over it, deliveries go to the route's next account with quota or wait for the reset (QUOTA_EXHAUSTED). null: none" },
);
const Name = Type.String({ minLength: 1, maxLength: 63, description: 'Unique in the app; sends may name the account by it' });
// The provider's own schema checks the config (GET /v1/channel-account-types lists them).
const Config = Type.Record(Type.String(), Type.Unknown(), { description: `Provider config; secret fields read back as "${SECRET_MASK}"` });
/** A day: receipts of messages sent with the previous URL mostly arrive within minutes, and SMS within hours. */
const DEFAULT_PREVIOUS_RECEIPT_URL_SECONDS = 86_400;
const IdOrNameParams = Type.Object({ idOrName: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

/** Channel accounts of the calling app (console users name the app in X-Herald-App): read to read, manage to write. */
export const registerChannelAccountRoutes: RouteModule = (server, { channelAccounts }) => {
  const before: AuditSnapshot = (request) => channelAccounts.get(appIdOf(request), pathParam(request, 'idOrName'));
  server.get('/channel-account-types', { config: { access: 'authenticated' }, schema: { tags: ['channel accounts'], summary: 'Provider types with their channel and config JSON Schema', response: { 200: Type.Object({ items: Type.Array(ChannelAccountTypeViewSchema) }) } } }, async () => ({
    items: channelAccounts.types(),
  }));

  server.post(
    '/channel-accounts',
    {
      config: { access: 'manage' },
      schema: {
        tags: ['channel accounts'],
        summary: 'Create a channel account',
        body: Type.Object(
          {
            type: Type.String({ minLength: 1, maxLength: 64, description: 'Provider type, e.g. smtp, dingtalk-robot, webhook' }),
            name: Name,
            config: Config,
            enabled: Type.Optional(Type.Boolean()),
            isDefault: Type.Optional(Type.Boolean({ description: 'Default: true when the channel has no default account yet' })),
            flowLimits: Type.Optional(FlowLimits),
            quota: Type.Optional(Quota),
          },
          { additionalProperties: false },
        ),
        response: { 201: ChannelAccountViewSchema },
      },
    },
    async (request, reply) => {
      const appId = appIdOf(request);
      return reply.status(201).send(await channelAccounts.create(appId, request.body));
    },
  );

  server.get(
    '/channel-accounts',
    {
      config: { access: 'read' },
      schema: {
        tags: ['channel accounts'],
        summary: 'List channel accounts, optionally of one channel or provider type',
        querystring: Type.Object(
          { channel: Type.Optional(Type.String({ maxLength: 64 })), type: Type.Optional(Type.String({ maxLength: 64 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ChannelAccountViewSchema) }) },
      },
    },
    async (request) => {
      const appId = appIdOf(request);
      return { items: await channelAccounts.list(appId, request.query) };
    },
  );

  server.get(
    '/channel-accounts/:idOrName',
    { config: { access: 'read' }, schema: { tags: ['channel accounts'], summary: 'Get a channel account by id or name', params: IdOrNameParams, response: { 200: ChannelAccountViewSchema } } },
    async (request) => {
      const appId = appIdOf(request);
      return channelAccounts.get(appId, request.params.idOrName);
    },
  );

  server.patch(
    '/channel-accounts/:idOrName',
    {
      config: { access: 'manage', audit: { before } },
      schema: {
        tags: ['channel accounts'],
        summary: 'Change a channel account',
        description: `config is merged into the stored one: a field given replaces, null removes, an omitted secret or one sent as "${SECRET_MASK}" keeps its stored value.`,
        params: IdOrNameParams,
        body: Type.Object(
          {
            name: Type.Optional(Name),
            config: Type.Optional(Config),
            enabled: Type.Optional(Type.Boolean()),
            isDefault: Type.Optional(Type.Boolean()),
            flowLimits: Type.Optional(FlowLimits),
            quota: Type.Optional(Quota),
          },
          { additionalProperties: false },
        ),
        response: { 200: ChannelAccountViewSchema },
      },
    },
    async (request) => {
      const appId = appIdOf(request);
      return channelAccounts.update(appId, request.params.idOrName, request.body);
    },
  );

  server.post(
    '/channel-accounts/:idOrName/receipt-url/rotate',
    {
      config: { access: 'manage', audit: { before } },
      schema: {
        tags: ['channel accounts'],
        summary: 'A new receipt URL (set it in the vendor console); the previous one keeps working for previousValidForSeconds',
        params: IdOrNameParams,
        querystring: Type.Object(
          {
            previousValidForSeconds: Type.Optional(
              Type.Integer({ minimum: 0, maximum: 604_800, description: 'How long the previous URL still takes receipts (messages already sent name it); 0 ends it at once. Default 86400' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: RotatedReceiptUrlSchema },
      },
    },
    async (request) => channelAccounts.rotateReceiptUrl(appIdOf(request), request.params.idOrName, request.query.previousValidForSeconds ?? DEFAULT_PREVIOUS_RECEIPT_URL_SECONDS),
  );

  server.delete(
    '/channel-accounts/:idOrName',
    { config: { access: 'manage', audit: { before } }, schema: { tags: ['channel accounts'], summary: 'Delete a channel account', params: IdOrNameParams, response: { 204: NoContent } } },
    async (request, reply) => {
      const appId = appIdOf(request);
      await channelAccounts.delete(appId, request.params.idOrName);
      return reply.status(204).send(null);
    },
  );
};

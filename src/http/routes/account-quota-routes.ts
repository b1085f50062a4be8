import { Type } from 'typebox';
import { appIdOf } from '../auth/access.ts';
import { ChannelAccountViewSchema, QuotaViewSchema } from '../channel-account-schemas.ts';
import { pathParam, type AuditSnapshot } from '../audit-hooks.ts';
import type { RouteModule } from '../route-module.ts';

const IdOrNameParams = Type.Object({ idOrName: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

/** Provider quotas of the calling app's channel accounts: the statuses (read), and clearing an exhaustion mark (manage, audited). */
export const registerAccountQuotaRoutes: RouteModule = (server, { channelAccounts }) => {
  const before: AuditSnapshot = (request) => channelAccounts.get(appIdOf(request), pathParam(request, 'idOrName'));

  server.get(
    '/quotas',
    {
      config: { access: 'read' },
      schema: {
        tags: ['channel accounts'],
        summary: "Quota status of every channel account: configured quota with Herald's count, what the platform reports, and exhaustion marks",
        response: { 200: Type.Object({ items: Type.Array(QuotaViewSchema) }) },
      },
    },
    async (request) => ({ items: await channelAccounts.quotas(appIdOf(request)) }),
  );

  server.post(
    '/channel-accounts/:idOrName/quota/reset',
    {
      config: { access: 'manage', audit: { before } },
      schema: {
        tags: ['channel accounts'],
        summary: 'Clear the exhaustion mark a provider quota error left (after topping up, or WeChat clear_quota): the account sends again',
        params: IdOrNameParams,
        response: { 200: ChannelAccountViewSchema },
      },
    },
    async (request) => channelAccounts.resetQuota(appIdOf(request), request.params.idOrName),
  );
};

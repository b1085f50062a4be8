import { Type } from 'typebox';
import { MAX_EXTERNAL_ID_LENGTH } from '../../domain/subscribers/subscriber-fields.ts';
import { appIdOf } from '../auth/access.ts';
import type { RouteModule } from '../route-module.ts';
import { NoContent } from '../response-fields.ts';
import { PushSubscriptionBody, PushSubscriptionId, PushSubscriptionViewSchema, VapidPublicKeySchema } from '../web-push-schemas.ts';

const ExternalId = Type.String({ minLength: 1, maxLength: MAX_EXTERNAL_ID_LENGTH, description: "The calling system's own id for this receiver" });

/**
 * Web Push: browsers' subscriptions per subscriber (a send to the subscriber on `webpush` reaches
 * each of them), and the app's VAPID public key that browsers subscribe with.
 */
export const registerWebPushRoutes: RouteModule = (server, { pushSubscriptions }) => {
  server.post(
    '/subscribers/:externalId/push-subscriptions',
    {
      config: { access: 'operate', audit: false },
      schema: {
        tags: ['web push'],
        summary: "Store a browser's push subscription for a subscriber (201 new, 200 when the endpoint was known)",
        params: Type.Object({ externalId: ExternalId }, { additionalProperties: false }),
        body: PushSubscriptionBody,
        response: { 200: PushSubscriptionViewSchema, 201: PushSubscriptionViewSchema },
      },
    },
    async (request, reply) => {
      const userAgent = request.headers['user-agent'];
      const { subscription, created } = await pushSubscriptions.register(appIdOf(request), request.params.externalId, request.body, userAgent);
      return reply.status(created ? 201 : 200).send(subscription);
    },
  );

  server.get(
    '/subscribers/:externalId/push-subscriptions',
    { config: { access: 'read' }, schema: { tags: ['web push'], summary: "A subscriber's push subscriptions", params: Type.Object({ externalId: ExternalId }, { additionalProperties: false }), response: { 200: Type.Object({ items: Type.Array(PushSubscriptionViewSchema) }) } } },
    async (request) => ({ items: await pushSubscriptions.list(appIdOf(request), request.params.externalId) }),
  );

  server.delete(
    '/subscribers/:externalId/push-subscriptions/:id',
    {
      config: { access: 'operate', audit: false },
      schema: { tags: ['web push'], summary: 'Delete a push subscription', params: Type.Object({ externalId: ExternalId, id: PushSubscriptionId }, { additionalProperties: false }), response: { 204: NoContent } },
    },
    async (request, reply) => {
      await pushSubscriptions.delete(appIdOf(request), request.params.externalId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  server.get(
    '/web-push/vapid-public-key',
    { config: { access: 'read' }, schema: { tags: ['web push'], summary: "The app's VAPID public key (base64url), for pushManager.subscribe({ applicationServerKey })", response: { 200: VapidPublicKeySchema } } },
    async (request) => ({ publicKey: await pushSubscriptions.vapidPublicKey(appIdOf(request)) }),
  );
};

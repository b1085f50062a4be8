import { Type } from 'typebox';
import { inboxSubscriberOf } from '../auth/inbox-subscriber.ts';
import { InboxAuthQuery } from '../inbox-schemas.ts';
import type { RouteModule } from '../route-module.ts';
import { PushSubscriptionBody, PushSubscriptionId, PushSubscriptionViewSchema, VapidPublicKeySchema } from '../web-push-schemas.ts';

/**
 * Web Push for the browser itself (the widget's registerWebPush): the app's VAPID public key, and
 * the authenticated subscriber's own push subscriptions. The subscriber must exist in the app
 * (404 SUBSCRIBER_NOT_FOUND otherwise), and another subscriber's subscription is a 404.
 */
export const registerInboxWebPushRoutes: RouteModule = (server, { pushSubscriptions }) => {
  server.get(
    '/web-push/vapid-public-key',
    { schema: { tags: ['inbox'], summary: "The app's VAPID public key (base64url), for pushManager.subscribe({ applicationServerKey })", querystring: InboxAuthQuery, response: { 200: VapidPublicKeySchema } } },
    async (request) => ({ publicKey: await pushSubscriptions.vapidPublicKey(inboxSubscriberOf(request).appId) }),
  );

  server.post(
    '/push-subscriptions',
    {
      schema: {
        tags: ['inbox'],
        summary: "Store this browser's push subscription for the subscriber (201 new, 200 when the endpoint was known)",
        querystring: InboxAuthQuery,
        body: PushSubscriptionBody,
        response: { 200: PushSubscriptionViewSchema, 201: PushSubscriptionViewSchema },
      },
    },
    async (request, reply) => {
      const { appId, subscriberId } = inboxSubscriberOf(request);
      const { subscription, created } = await pushSubscriptions.register(appId, subscriberId, request.body, request.headers['user-agent']);
      return reply.status(created ? 201 : 200).send(subscription);
    },
  );

  server.delete(
    '/push-subscriptions/:id',
    {
      schema: {
        tags: ['inbox'],
        summary: "Delete one of the subscriber's push subscriptions",
        params: Type.Object({ id: PushSubscriptionId }, { additionalProperties: false }),
        querystring: InboxAuthQuery,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { appId, subscriberId } = inboxSubscriberOf(request);
      await pushSubscriptions.delete(appId, subscriberId, request.params.id);
      return reply.status(204).send(null);
    },
  );
};

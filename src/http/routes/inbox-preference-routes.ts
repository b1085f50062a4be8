import { SubscriberPreferencesSchema } from '../../domain/subscribers/subscriber-preferences.ts';
import { inboxSubscriberOf } from '../auth/inbox-subscriber.ts';
import { InboxAuthQuery } from '../inbox-schemas.ts';
import type { RouteModule } from '../route-module.ts';

/** The subscriber's own opt-outs, as /v1/subscribers/{id}/preferences shows them to the app. */
export const registerInboxPreferenceRoutes: RouteModule = (server, { preferences }) => {
  server.get(
    '/preferences',
    { schema: { tags: ['inbox'], summary: "The subscriber's opt-outs ({} when none)", querystring: InboxAuthQuery, response: { 200: SubscriberPreferencesSchema } } },
    async (request) => {
      const { appId, subscriberId } = inboxSubscriberOf(request);
      return preferences.get(appId, subscriberId);
    },
  );

  server.put(
    '/preferences',
    {
      schema: {
        tags: ['inbox'],
        summary: "Replace the subscriber's opt-outs",
        querystring: InboxAuthQuery,
        body: SubscriberPreferencesSchema,
        response: { 200: SubscriberPreferencesSchema },
      },
    },
    async (request) => {
      const { appId, subscriberId } = inboxSubscriberOf(request);
      return preferences.put(appId, subscriberId, request.body);
    },
  );
};

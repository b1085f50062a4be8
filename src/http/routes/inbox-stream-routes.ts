import { Type } from 'typebox';
import { inboxSubscriberOf } from '../auth/inbox-subscriber.ts';
import { InboxAuthQueryProperties } from '../inbox-schemas.ts';
import type { RouteModule } from '../route-module.ts';

const StreamQuery = Type.Object(
  {
    ...InboxAuthQueryProperties,
    lastEventId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Resume after this entry id (or the Last-Event-ID header, which EventSource sends on reconnecting)' })),
  },
  { additionalProperties: false },
);

/**
 * `GET /inbox/v1/stream`: the subscriber's live inbox as Server-Sent Events (src/http/inbox-stream-hub.ts).
 * EventSource cannot send headers, so the widget proves the subscriber in the query (the plugin's
 * request log redacts it). The response is handed to the hub, which writes to it until the client goes.
 */
export const registerInboxStreamRoutes: RouteModule = (server, { inboxStreams }) => {
  server.get(
    '/stream',
    {
      schema: {
        tags: ['inbox'],
        summary: 'Live inbox: Server-Sent Events item, changed, counts and reset; heartbeats; Last-Event-ID resume',
        querystring: StreamQuery,
        produces: ['text/event-stream'],
        response: { 200: { description: 'An event stream that stays open', content: { 'text/event-stream': { schema: Type.String() } } } },
      },
    },
    async (request, reply) => {
      const header = request.headers['last-event-id'];
      const lastEventId = request.query.lastEventId ?? (typeof header === 'string' && header.length > 0 && header.length <= 64 ? header : undefined);
      // Headers set so far (CORS, request id) go out with the stream's own.
      const headers = reply.getHeaders();
      reply.hijack();
      await inboxStreams.open({ owner: inboxSubscriberOf(request), lastEventId, response: reply.raw, headers });
    },
  );
};

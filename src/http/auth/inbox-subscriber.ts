/** Who calls the inbox API: a subscriber of an app, proven by a subscriber hash or an inbox token. */
export interface InboxSubscriber {
  appId: string;
  subscriberId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on every authenticated /inbox/v1 request. */
    inboxSubscriber: InboxSubscriber | undefined;
  }
}

/** The authenticated subscriber of an /inbox/v1 request (its plugin's hook set it before the handler). */
export function inboxSubscriberOf(request: { inboxSubscriber: InboxSubscriber | undefined }): InboxSubscriber {
  if (!request.inboxSubscriber) throw new Error('inboxSubscriberOf called outside the inbox API plugin');
  return request.inboxSubscriber;
}

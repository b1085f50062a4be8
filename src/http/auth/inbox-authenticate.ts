import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.ts';
import type { AppService } from '../../domain/apps/app-service.ts';
import { HeraldError, unauthenticated } from '../../errors.ts';
import { verifyInboxToken, verifySubscriberHash } from '../../security/subscriber-credentials.ts';
import { createTtlCache } from '../../ttl-cache.ts';
import type { InboxSubscriber } from './inbox-subscriber.ts';

/** What the inbox API needs of an app on every request. */
export interface InboxApp {
  id: string;
  secret: string;
  allowedOrigins: readonly string[];
}

/** Hot: every inbox request and preflight reads it; edits in this process drop it at once. */
const APP_CACHE_MS = 5_000;

export const SUBSCRIBER_HEADER = 'x-herald-subscriber';
export const SUBSCRIBER_HASH_HEADER = 'x-herald-subscriber-hash';

const appUnknown = () => unauthenticated('INBOX_APP_UNKNOWN', 'The app named by ?app= is unknown or disabled; pass the app id from the Herald console');

function single(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export type InboxAuthenticator = ReturnType<typeof createInboxAuthenticator>;

/**
 * Authenticates inbox API requests from query parameters and headers only (EventSource sends no
 * headers, so the stream passes everything in the query). The app is always `?app=`, so a CORS
 * preflight can be answered per app; the subscriber proves itself with a hash or a token.
 */
export function createInboxAuthenticator({ apps, clock }: { apps: AppService; clock: Clock }) {
  const cache = createTtlCache<InboxApp | null>({ ttlMs: APP_CACHE_MS, clock });
  apps.onUpdated(() => cache.clear());

  /** The active app named by id or name, or undefined. */
  function app(idOrName: string): Promise<InboxApp | null> {
    return cache.get(idOrName, async () => {
      try {
        const view = await apps.get(idOrName);
        if (view.status !== 'active') return null;
        return { id: view.id, secret: await apps.inboxSecret(view.id), allowedOrigins: view.settings.inbox?.allowedOrigins ?? [] };
      } catch (error) {
        if (error instanceof HeraldError && error.code === 'APP_NOT_FOUND') return null;
        throw error;
      }
    });
  }

  return {
    /** The app of `?app=` for CORS decisions, or undefined when it names no active app. */
    async appOf(request: FastifyRequest): Promise<InboxApp | undefined> {
      const named = single((request.query as Record<string, unknown> | undefined)?.app);
      return named === undefined ? undefined : ((await app(named)) ?? undefined);
    },

    async authenticate(request: FastifyRequest): Promise<InboxSubscriber> {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const named = single(query.app);
      const found = named === undefined ? null : await app(named);
      if (!found) throw appUnknown();
      const claimed = single(request.headers[SUBSCRIBER_HEADER]) ?? single(query.subscriber);
      const hash = single(request.headers[SUBSCRIBER_HASH_HEADER]) ?? single(query.subscriberHash);
      const bearer = single(request.headers.authorization);
      const token = (bearer?.startsWith('Bearer ') ? bearer.slice('Bearer '.length).trim() : undefined) ?? single(query.token);
      if (token !== undefined) {
        const { subscriberId } = verifyInboxToken(found.secret, token, found.id, clock.now());
        if (claimed !== undefined && claimed !== subscriberId) throw unauthenticated('INBOX_TOKEN_INVALID', 'The inbox token was issued for another subscriber than the one named');
        return { appId: found.id, subscriberId };
      }
      if (claimed === undefined || hash === undefined) {
        throw unauthenticated('INBOX_AUTH_MISSING', `Name the subscriber (${SUBSCRIBER_HEADER} or ?subscriber=) with its hash (${SUBSCRIBER_HASH_HEADER} or ?subscriberHash=), or pass a token (Authorization: Bearer or ?token=)`);
      }
      verifySubscriberHash(found.secret, claimed, hash);
      return { appId: found.id, subscriberId: claimed };
    },
  };
}

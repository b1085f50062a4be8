import type { FastifyReply, FastifyRequest } from 'fastify';
import { rateLimited, type AppRateLimiter, type RateLimitKind } from '../domain/rate-limits/app-rate-limiter.ts';
import { isStateChanging } from './auth/csrf-guard.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Charged to the app's `send` bucket, one token per receiver named in the body; other state-changing routes cost one `manage` token. */
    rateLimit?: 'send';
  }
}

/**
 * Charges an authenticated request to its app's bucket and states the bucket in the draft IETF
 * `RateLimit-*` headers (on refusals too). Reads are free, and so are calls outside any app
 * (console-only routes).
 */
export async function chargeAppRateLimit(request: FastifyRequest, reply: FastifyReply, limiter: AppRateLimiter): Promise<void> {
  const kind: RateLimitKind | undefined = request.routeOptions.config.rateLimit ?? (isStateChanging(request) ? 'manage' : undefined);
  if (kind === undefined || request.appId === undefined) return;
  const state = await limiter.take(request.appId, kind, kind === 'send' ? receiversNamed(request.body) : 1);
  reply.header('ratelimit-limit', String(state.limit));
  reply.header('ratelimit-remaining', String(state.remaining));
  reply.header('ratelimit-reset', String(state.resetSeconds));
  if (!state.granted) throw rateLimited(kind, state);
}

/**
 * A send's cost, read before the schema is applied: the entries of `to` (a send) or `receivers`
 * (a batch), at least one; a send naming only a message type or a group costs one.
 */
function receiversNamed(body: unknown): number {
  if (typeof body !== 'object' || body === null) return 1;
  const { to, receivers } = body as { to?: unknown; receivers?: unknown };
  const named = Array.isArray(receivers) ? receivers.length : Array.isArray(to) ? to.length : 0;
  return Math.max(1, named);
}

import type { FastifyRequest } from 'fastify';
import type { AccessKeyService } from '../../domain/apps/access-key-service.ts';
import type { ReplayGuard } from '../../domain/auth/replay-guard.ts';
import type { SessionService } from '../../domain/users/session-service.ts';
import type { Clock } from '../../clock.ts';
import { unauthenticated } from '../../errors.ts';
import { verifySigV4Request } from '../../security/sigv4.ts';
import type { Principal } from './principal.ts';

export const SESSION_COOKIE = 'herald_session';

/**
 * Which credentials a request presents: a signature (any Authorization header, verified later)
 * wins over a session cookie. Reads headers only, so it can run before the body is read.
 */
export function presentedCredentials(request: FastifyRequest): { kind: 'signature' } | { kind: 'session'; token: string } {
  if (request.headers.authorization !== undefined) return { kind: 'signature' };
  const token = request.cookies[SESSION_COOKIE];
  if (token) return { kind: 'session', token };
  throw unauthenticated('AUTH_MISSING', 'Sign the request with AWS Signature V4 (service "herald") using an access key, or sign in to the console');
}

export interface Authenticator {
  authenticate(request: FastifyRequest): Promise<Principal>;
}

/**
 * `/v1/*` accepts either an AWS SigV4 signature (calling systems) or a console
 * session cookie (the web console uses the same resources).
 */
export function createAuthenticator(deps: {
  keys: AccessKeyService;
  replay: ReplayGuard;
  sessions: SessionService;
  clock: Clock;
  signatureMaxSkewSeconds: number;
}): Authenticator {
  return {
    async authenticate(request) {
      const credentials = presentedCredentials(request);
      if (credentials.kind === 'signature') {
        let appId = '';
        const verified = await verifySigV4Request({
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: request.rawBody ?? Buffer.alloc(0),
          now: deps.clock.now(),
          maxSkewSeconds: deps.signatureMaxSkewSeconds,
          secretFor: async (accessKeyId) => {
            const key = await deps.keys.resolve(accessKeyId);
            appId = key.appId;
            return key.secret;
          },
        });
        await deps.replay.remember(verified.signature, verified.signedAtMs);
        // Awaited (it writes at most once a minute per key) so no query outlives the request, e.g. at shutdown.
        await deps.keys.recordUse(verified.accessKeyId).catch((error) => request.log.warn({ err: error }, 'could not record key use'));
        return { kind: 'app', appId, accessKeyId: verified.accessKeyId };
      }
      const user = await deps.sessions.userFor(credentials.token);
      if (!user) throw unauthenticated('SESSION_EXPIRED', 'Your console session has expired; sign in again');
      return { kind: 'user', userId: user.id, email: user.email, role: user.role };
    },
  };
}

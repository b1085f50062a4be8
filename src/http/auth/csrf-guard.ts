import type { FastifyRequest } from 'fastify';
import { forbidden } from '../../errors.ts';

/**
 * Cross-site request forgery defence for cookie-authenticated requests. Browsers send
 * `Origin` on every non-GET fetch or form post and `Sec-Fetch-Site` on every request, and a
 * page on another site can forge neither; non-browser callers sign their requests instead.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isStateChanging(request: FastifyRequest): boolean {
  return !SAFE_METHODS.has(request.method);
}

/** The origin the browser sees Herald at: X-Forwarded-Proto/-Host count only when HERALD_TRUST_PROXY trusts the proxy. */
function ownOrigin(request: FastifyRequest): string | undefined {
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return undefined;
  }
}

function originOf(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/** A state change riding on the session cookie must come from Herald's own pages. */
export function requireSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site === 'same-origin') return;
  const origin = request.headers.origin;
  const own = ownOrigin(request);
  if (origin !== undefined && own !== undefined && originOf(origin) === own) return;
  throw forbidden(
    'CSRF_REJECTED',
    `A ${request.method} with a console session must come from Herald's own pages (${own ?? 'this server'}), ` +
      `but its Origin is ${origin === undefined ? 'missing' : `"${origin.slice(0, 200)}"`} and its Sec-Fetch-Site is ${typeof site === 'string' ? `"${site.slice(0, 40)}"` : 'missing'}. ` +
      'Calling systems sign requests with an access key instead of using the cookie; behind a reverse proxy, set HERALD_TRUST_PROXY so Herald sees the public host and scheme.',
  );
}

/**
 * Signing in needs no cookie, so clients without a browser (no Origin, no Sec-Fetch-Site) may;
 * a browser must do it from Herald's own pages, so no other site can sign a visitor in to an
 * account of the attacker's choosing (login CSRF).
 */
export function refuseCrossSite(request: FastifyRequest): void {
  if (request.headers.origin === undefined && request.headers['sec-fetch-site'] === undefined) return;
  requireSameOrigin(request);
}

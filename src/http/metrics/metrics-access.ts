import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { HeraldConfig } from '../../config/config.ts';
import { forbidden, unauthenticated } from '../../errors.ts';

/**
 * Who may scrape /metrics: a request with the bearer token (HERALD_METRICS_TOKEN) from anywhere,
 * or one without from an allowed address (HERALD_METRICS_ALLOW; loopback by default). A wrong
 * token is refused even from an allowed address, so a misconfigured scraper is noticed.
 */
export function createMetricsAccess(config: HeraldConfig['metrics']): (request: FastifyRequest) => void {
  const allowed = new BlockList();
  for (const { address, prefix, family } of config.allow) allowed.addSubnet(address, prefix, family);
  // Digests have one length, so comparing them takes the same time whatever the token given.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const tokenDigest = config.token === undefined ? undefined : digest(config.token);

  return (request) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const given = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (tokenDigest === undefined || given === undefined || !timingSafeEqual(digest(given), tokenDigest)) {
        throw unauthenticated('METRICS_TOKEN_INVALID', 'The bearer token does not match HERALD_METRICS_TOKEN; send Authorization: Bearer <the configured token>');
      }
      return;
    }
    if (allowed.check(request.ip, request.ip.includes(':') ? 'ipv6' : 'ipv4')) return;
    if (tokenDigest !== undefined) throw unauthenticated('METRICS_TOKEN_MISSING', 'Scraping /metrics from this address needs Authorization: Bearer <HERALD_METRICS_TOKEN>');
    throw forbidden('METRICS_ADDRESS_NOT_ALLOWED', `Address ${request.ip} may not scrape /metrics; add it to HERALD_METRICS_ALLOW or set HERALD_METRICS_TOKEN`);
  };
}

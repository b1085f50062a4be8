import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { connect, isIP, type LookupFunction, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, buildConnector, request } from 'undici';
import { describeBlockedAddress, outboundAddressBlocked, type OutboundPolicy } from '../security/ssrf-guard.ts';
import { outcomeFromNetworkError, type HttpResponseSummary } from './outcome-classification.ts';
import type { ProviderContext, SendOutcome } from './provider.ts';

/** Resolves a host name to every address it has. A seam so tests can simulate DNS answers. */
export type HostResolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface OutboundDispatcherOptions {
  policy: OutboundPolicy;
  connectTimeoutMs: number;
  /** Limit on waiting for the response headers, and on each pause while the body streams in. */
  requestTimeoutMs: number;
  /** Defaults to the system resolver (`dns.lookup`, which honours /etc/hosts). */
  resolveHost?: HostResolver;
}

const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true });

/**
 * Replaces DNS resolution inside `net.connect`, so the address checked is the address the
 * socket connects to: a name that resolves (or re-resolves, DNS rebinding) to a blocked
 * address is refused, and nothing can change the answer between the check and the connect.
 */
function guardedLookup(policy: OutboundPolicy, resolveHost: HostResolver): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolveHost(hostname).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`No address found for ${hostname}`), { code: 'ENOTFOUND' }), []);
          return;
        }
        for (const { address } of addresses) {
          const reason = describeBlockedAddress(address, policy);
          if (reason) {
            callback(outboundAddressBlocked(hostname, reason), []);
            return;
          }
        }
        if (lookupOptions.all) callback(null, [...addresses]);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}

/**
 * The undici dispatcher every provider sends through (`ProviderContext.http`). A refused
 * address rejects the request with HeraldError `OUTBOUND_ADDRESS_BLOCKED`, which
 * `outcomeFromNetworkError` turns into a permanent failure. Redirects are never followed.
 */
export function createOutboundDispatcher(options: OutboundDispatcherOptions): Agent {
  const { policy } = options;
  const connectSocket = buildConnector({
    timeout: options.connectTimeoutMs,
    lookup: guardedLookup(policy, options.resolveHost ?? systemResolver),
  });
  return new Agent({
    headersTimeout: options.requestTimeoutMs,
    bodyTimeout: options.requestTimeoutMs,
    connect(connectOptions, callback) {
      // net.connect skips `lookup` for IP literals, so they are checked here.
      const { hostname } = connectOptions;
      const reason = isIP(hostname) !== 0 ? describeBlockedAddress(hostname, policy) : undefined;
      if (reason) callback(outboundAddressBlocked(hostname, reason), null);
      else connectSocket(connectOptions, callback);
    },
  });
}

/**
 * A TCP connection under the same address policy as the HTTP dispatcher, for protocols
 * that bring their own client (SMTP): the address checked is the address connected to.
 */
export function connectGuardedSocket(policy: OutboundPolicy, target: { host: string; port: number; timeoutMs: number }, resolveHost: HostResolver = systemResolver): Promise<Socket> {
  const reason = isIP(target.host) !== 0 ? describeBlockedAddress(target.host, policy) : undefined;
  if (reason) return Promise.reject(outboundAddressBlocked(target.host, reason));
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port, lookup: guardedLookup(policy, resolveHost), timeout: target.timeoutMs });
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.once('error', fail);
    socket.once('timeout', () => fail(Object.assign(new Error(`Connecting to ${target.host}:${target.port} timed out`), { code: 'ETIMEDOUT' })));
    socket.once('connect', () => {
      socket.off('error', fail);
      socket.setTimeout(0);
      resolve(socket);
    });
  });
}

/** Appends `path` to a base URL that may carry its own path prefix (a private gateway), plus query parameters. */
export function buildProviderUrl(baseUrl: string, path: string, query: Record<string, string> = {}): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  /** Text, or bytes for binary bodies (an encrypted Web Push message). */
  body?: string | Uint8Array;
}

/** Either the provider answered (any status), or the call failed in transport and `outcome` says how. */
export type HttpExchange = { response: HttpResponseSummary; outcome?: never } | { outcome: SendOutcome; response?: never };

/** Enough for any provider's answer; a larger body is cut off rather than buffered. */
const MAX_RESPONSE_BODY_BYTES = 256 * 1024;

async function readBodyText(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_RESPONSE_BODY_BYTES) break; // leaving the loop destroys the stream
  }
  return Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BODY_BYTES).toString('utf8');
}

function withDefaultUserAgent(headers: Record<string, string>): Record<string, string> {
  const hasUserAgent = Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent');
  return hasUserAgent ? headers : { 'user-agent': 'Herald', ...headers };
}

/**
 * One provider call through `context.http` with `context.signal`. Never throws for transport
 * failures (timeout, refused, reset, abort, blocked address): they come back as `outcome`.
 */
export async function sendHttpRequest(
  url: URL,
  outboundRequest: OutboundRequest,
  context: Pick<ProviderContext, 'http' | 'signal'>,
): Promise<HttpExchange> {
  try {
    const response = await request(url, {
      dispatcher: context.http,
      signal: context.signal,
      method: outboundRequest.method,
      headers: withDefaultUserAgent(outboundRequest.headers),
      body: outboundRequest.body,
    });
    return { response: { statusCode: response.statusCode, headers: response.headers, body: await readBodyText(response.body) } };
  } catch (error) {
    return { outcome: outcomeFromNetworkError(error) };
  }
}

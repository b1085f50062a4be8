import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * A push service on loopback (RFC 8030), with browsers it made up: `subscribe()` creates a P-256
 * key pair and auth secret the way a browser does and answers the subscription JSON. Each push
 * is checked as a push service checks it — VAPID JWT (ES256 over the `k` key, audience, expiry
 * at most 24 h ahead, subject), TTL, Urgency, Topic — and its aes128gcm body is DECRYPTED with
 * the subscription's private key (RFC 8291, with this file's own code), recording the plaintext.
 */

export type WebPushTestServerMode = 'normal' | 'transient-error' | 'hang' | 'gone' | 'not-found' | 'throttled' | 'too-large';

export interface ReceivedPush {
  path: string;
  ttlSeconds: number;
  urgency: string | undefined;
  topic: string | undefined;
  /** What the browser's service worker would read from `event.data.text()`. */
  plaintext: string;
  jwt: { aud: string; exp: number; sub: string };
  vapidPublicKey: string;
}

export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface WebPushTestServer {
  /** Where Herald sends (the account's `baseUrl`): the endpoints' origin stands for a real push service. */
  readonly baseUrl: string;
  readonly port: number;
  readonly requestCount: number;
  readonly received: readonly ReceivedPush[];
  /** A new browser subscription on `origin` (default the server's own public origin). */
  subscribe(): BrowserSubscription;
  /** The browser unsubscribed: pushes to it answer 410 Gone. */
  unsubscribe(endpoint: string): void;
  /** Pushes must be signed with this VAPID public key (base64url); undefined accepts any valid signature. */
  expectVapidPublicKey(key: string | undefined): void;
  /** `transient-error` 500, `gone` 410, `not-found` 404, `throttled` 429 with Retry-After, `too-large` 413, `hang` no answer. */
  setMode(mode: WebPushTestServerMode): void;
  close(): Promise<void>;
}

export interface WebPushTestServerOptions {
  /** The origin the endpoints name, which the VAPID audience must equal. Default https://push.example.net. */
  origin?: string;
  clock?: Clock;
  /** Retry-After seconds in `throttled` mode. */
  retryAfterSeconds?: number;
}

const MAX_JWT_AHEAD_SECONDS = 24 * 3600;
const MAX_BODY_BYTES = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const URGENCIES = new Set(['very-low', 'low', 'normal', 'high']);

interface Browser {
  ecdh: ReturnType<typeof createECDH>;
  publicKey: Buffer;
  auth: Buffer;
  unsubscribed: boolean;
}

class PushRefusal extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Verifies `Authorization: vapid t=<JWT>, k=<key>` (RFC 8292 §3) and answers the JWT claims. */
function checkVapid(request: IncomingMessage, audience: string, expectedKey: string | undefined, nowSeconds: number): { claims: ReceivedPush['jwt']; key: string } {
  const header = request.headers.authorization;
  const match = /^vapid t=([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+), ?k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match) throw new PushRefusal(401, 'Authorization: vapid t=<JWT>, k=<key> is required');
  const [, encodedHeader, encodedClaims, encodedSignature, key] = match as unknown as [string, string, string, string, string];
  if (expectedKey !== undefined && key !== expectedKey) throw new PushRefusal(403, 'k is not the key this subscription was made with');
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new PushRefusal(403, 'k is not an uncompressed P-256 point');
  const jwtHeader = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8'));
  if (jwtHeader.alg !== 'ES256') throw new PushRefusal(403, 'the JWT must be ES256');
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
  const signed = Buffer.from(`${encodedHeader}.${encodedClaims}`);
  if (!verify('sha256', signed, { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(encodedSignature, 'base64url'))) {
    throw new PushRefusal(403, 'the JWT signature does not verify with k');
  }
  const claims = JSON.parse(Buffer.from(encodedClaims, 'base64url').toString('utf8'));
  if (claims.aud !== audience) throw new PushRefusal(403, `aud must be ${audience}`);
  if (!Number.isInteger(claims.exp) || claims.exp <= nowSeconds || claims.exp > nowSeconds + MAX_JWT_AHEAD_SECONDS) throw new PushRefusal(403, 'exp must be in the next 24 hours');
  if (typeof claims.sub !== 'string' || !/^(mailto:|https:)/.test(claims.sub)) throw new PushRefusal(403, 'sub must be a mailto: or https: URI');
  return { claims: { aud: claims.aud, exp: claims.exp, sub: claims.sub }, key };
}

/** RFC 8291 §3.4 + RFC 8188: one aes128gcm record, decrypted as the browser decrypts it. */
function decryptAes128gcm(body: Buffer, browser: Browser): string {
  if (body.length < 21) throw new PushRefusal(400, 'the body is shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const senderKey = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  if (idLength !== 65 || senderKey[0] !== 4) throw new PushRefusal(400, 'keyid must be the sender\'s uncompressed P-256 key');
  if (ciphertext.length > recordSize || ciphertext.length < 17) throw new PushRefusal(400, 'one record of at most rs bytes is expected');
  const sharedSecret = browser.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browser.publicKey, senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', sharedSecret, browser.auth, keyInfo, 32));
  const contentKey = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', contentKey, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  let padded: Buffer;
  try {
    padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  } catch {
    throw new PushRefusal(400, 'the body does not decrypt with the subscription keys');
  }
  // The last record ends with 0x02 and zero or more 0x00 of padding (RFC 8188 §2).
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 2) throw new PushRefusal(400, 'the record lacks the final-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

export async function startWebPushTestServer(options: WebPushTestServerOptions = {}): Promise<WebPushTestServer> {
  const clock = options.clock ?? systemClock;
  const origin = options.origin ?? 'https://push.example.net';
  const browsers = new Map<string, Browser>();
  const received: ReceivedPush[] = [];
  let mode: WebPushTestServerMode = 'normal';
  let requestCount = 0;
  let expectedKey: string | undefined;

  const refuse = (response: ServerResponse, status: number, reason: string) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ code: status, errno: status, error: reason, message: reason }));

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return refuse(response, 500, 'internal error');
    if (mode === 'gone') return refuse(response, 410, 'subscription expired');
    if (mode === 'not-found') return refuse(response, 404, 'no such subscription');
    if (mode === 'too-large') return refuse(response, 413, 'payload too large');
    if (mode === 'throttled') {
      response.setHeader('retry-after', String(options.retryAfterSeconds ?? 30));
      return refuse(response, 429, 'too many requests');
    }
    const path = new URL(request.url ?? '/', origin).pathname;
    const browser = browsers.get(path);
    if (request.method !== 'POST' || !browser) return refuse(response, 404, 'no such subscription');
    if (browser.unsubscribed) return refuse(response, 410, 'the browser unsubscribed');
    try {
      const { claims, key } = checkVapid(request, origin, expectedKey, Math.floor(clock.now() / 1000));
      const ttl = request.headers.ttl;
      if (typeof ttl !== 'string' || !/^\d+$/.test(ttl)) throw new PushRefusal(400, 'TTL is required (RFC 8030 §5.2)');
      const urgency = request.headers.urgency as string | undefined;
      if (urgency !== undefined && !URGENCIES.has(urgency)) throw new PushRefusal(400, 'Urgency must be very-low, low, normal or high');
      const topic = request.headers.topic as string | undefined;
      if (topic !== undefined && (topic.length > 32 || !BASE64URL.test(topic))) throw new PushRefusal(400, 'Topic is at most 32 base64url characters');
      if (rawBody.length > MAX_BODY_BYTES) throw new PushRefusal(413, 'the body is over 4096 bytes');
      if (request.headers['content-encoding'] !== 'aes128gcm') throw new PushRefusal(400, 'Content-Encoding must be aes128gcm');
      const plaintext = decryptAes128gcm(rawBody, browser);
      received.push({ path, ttlSeconds: Number(ttl), urgency, topic, plaintext, jwt: claims, vapidPublicKey: key });
      response.writeHead(201, { location: `${origin}/message/${randomBytes(8).toString('hex')}` }).end();
    } catch (error) {
      if (error instanceof PushRefusal) return refuse(response, error.status, error.message);
      throw error;
    }
  });

  return {
    baseUrl: server.origin,
    port: server.port,
    get requestCount() {
      return requestCount;
    },
    received,
    subscribe() {
      const ecdh = createECDH('prime256v1');
      const publicKey = ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/wpush/v2/${randomBytes(12).toString('base64url')}`;
      browsers.set(path, { ecdh, publicKey, auth, unsubscribed: false });
      return { endpoint: `${origin}${path}`, keys: { p256dh: publicKey.toString('base64url'), auth: auth.toString('base64url') } };
    },
    unsubscribe(endpoint) {
      const browser = browsers.get(new URL(endpoint).pathname);
      if (browser) browser.unsubscribed = true;
    },
    expectVapidPublicKey(key) {
      expectedKey = key;
    },
    setMode(next) {
      mode = next;
    },
    close: () => server.close(),
  };
}

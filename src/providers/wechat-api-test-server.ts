import type { ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../clock.ts';
import { startLoopbackHttpServer } from './conformance/loopback-http-server.ts';

/**
 * What the WeChat test servers share: the `stable_token` endpoint and its token semantics,
 * the access_token check on every call, the generic modes and the errcode answers (HTTP 200,
 * as WeChat answers). Each message API (template/send, subscribe/send) plugs in its own
 * path, body check and the errcode it answers for a recipient that cannot get messages.
 */

export type WechatTestServerMode =
  | 'normal'
  /** HTTP 502 HTML page from a gateway. */
  | 'transient-error'
  /** Accept and never answer. */
  | 'hang'
  /** errcode -1, system busy. */
  | 'busy'
  /** errcode 45009 on the message API: the daily quota is used up. */
  | 'quota-exceeded';

export interface ReceivedWechatMessage {
  accessToken: string;
  body: Record<string, any>;
  msgid: string;
}

export interface WechatApiTestServer {
  readonly baseUrl: string;
  readonly port: number;
  /** Every request, token calls included. */
  readonly requestCount: number;
  /** stable_token calls that answered a token. */
  readonly tokenRequestCount: number;
  /** Messages accepted (errcode 0), in order; a repeated client_msg_id is not accepted twice. */
  readonly received: readonly ReceivedWechatMessage[];
  setMode(mode: WechatTestServerMode): void;
  /** Every token issued so far stops working (another system force-refreshed it): the next call gets 40001. */
  revokeTokens(): void;
  /** This openid cannot receive: answered with the API's recipient errcode (43004 not following, 43101 refused). */
  refuseRecipient(openId: string): void;
  /** The daily limit openapi/quota/get reports for the message API (default 100,000); `used` counts every call of the message API, as WeChat counts calls. */
  setDailyLimit(limit: number): void;
  /** openapi/quota/get calls answered, 76021 and others included. */
  readonly quotaRequestCount: number;
  close(): Promise<void>;
}

export interface WechatApiDefinition {
  /** The message API path, e.g. `/cgi-bin/message/template/send`. */
  path: string;
  /** The body fields the API takes; any other is 47001. */
  fields: readonly string[];
  /** The first problem with a parsed body besides unknown fields, as the errcode and errmsg WeChat would answer; undefined when it is fine. */
  bodyProblem(body: Record<string, any>): { errcode: number; errmsg: string } | undefined;
  recipientRefusal: { errcode: number; errmsg: string };
}

export interface WechatApiTestServerOptions {
  appId: string;
  appSecret: string;
  clock?: Clock;
  /** Template ids the account owns; others answer 40037. */
  templateIds: readonly string[];
}

const TOKEN_LIFETIME_SECONDS = 7200;
/** stable_token hands out a new token once the current one has less than this left (the old one still works until it expires). */
const RENEW_BEFORE_SECONDS = 300;
const OPEN_ID = /^[A-Za-z0-9_-]{20,64}$/;

interface IssuedToken {
  token: string;
  expiresAtMs: number;
  revoked: boolean;
}

export const isPlainObject = (value: unknown): value is Record<string, any> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A problem with fields outside `allowed`, answered as WeChat answers a malformed body (47001). */
export function unknownFieldProblem(body: Record<string, any>, allowed: readonly string[]): { errcode: number; errmsg: string } | undefined {
  const unknown = Object.keys(body).find((key) => !allowed.includes(key));
  return unknown === undefined ? undefined : { errcode: 47001, errmsg: `data format error: unexpected field ${unknown}` };
}

/** `data` must be `{ key: { value: string } }` with at least one key. */
export function templateDataProblem(data: unknown): { errcode: number; errmsg: string } | undefined {
  if (!isPlainObject(data) || Object.keys(data).length === 0) return { errcode: 47003, errmsg: 'argument invalid! data is empty' };
  for (const [key, entry] of Object.entries(data)) {
    if (!isPlainObject(entry) || typeof entry.value !== 'string' || Object.keys(entry).some((field) => field !== 'value')) {
      return { errcode: 47003, errmsg: `argument invalid! data.${key}.value invalid` };
    }
  }
  return undefined;
}

export async function startWechatApiTestServer(api: WechatApiDefinition, options: WechatApiTestServerOptions): Promise<WechatApiTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: WechatTestServerMode = 'normal';
  let requestCount = 0;
  let tokenRequestCount = 0;
  let tokenSequence = 0;
  let msgidSequence = 3_147_355_134_602_575_872n; // 19 digits, past what a JSON number keeps exactly, as real msgids are
  const tokens = new Map<string, IssuedToken>();
  const refused = new Set<string>();
  const received: ReceivedWechatMessage[] = [];
  const msgidByClientMsgId = new Map<string, string>();
  let current: IssuedToken | undefined;
  let dailyLimit = 100_000;
  let quotaRequestCount = 0;
  let usedToday = 0;

  const answer = (response: ServerResponse, fields: Record<string, unknown>, rawFields = '') => {
    const json = JSON.stringify(fields);
    response.writeHead(200, { 'content-type': 'application/json; encoding=utf-8' }).end(rawFields ? `${json.slice(0, -1)},${rawFields}}` : json);
  };
  const error = (response: ServerResponse, errcode: number, errmsg: string) => answer(response, { errcode, errmsg });

  const parseJson = (rawBody: Buffer): Record<string, any> | undefined => {
    try {
      const value: unknown = JSON.parse(rawBody.toString('utf8'));
      return isPlainObject(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };

  function stableToken(rawBody: Buffer, response: ServerResponse) {
    const body = parseJson(rawBody);
    if (!body) return error(response, 47001, 'data format error');
    if (body.grant_type !== 'client_credential') return error(response, 40002, 'invalid grant_type');
    if (body.appid !== options.appId) return error(response, 40013, 'invalid appid');
    if (body.secret !== options.appSecret) return error(response, 40125, 'invalid appsecret');
    if (body.force_refresh !== undefined && typeof body.force_refresh !== 'boolean') return error(response, 47001, 'data format error: force_refresh');
    const now = clock.now();
    if (body.force_refresh === true && current) current.revoked = true;
    const renew = !current || current.revoked || current.expiresAtMs - now < RENEW_BEFORE_SECONDS * 1000;
    if (renew) {
      current = { token: `wx-token-${++tokenSequence}`, expiresAtMs: now + TOKEN_LIFETIME_SECONDS * 1000, revoked: false };
      tokens.set(current.token, current);
    }
    tokenRequestCount++;
    answer(response, { access_token: current!.token, expires_in: Math.floor((current!.expiresAtMs - now) / 1000) });
  }

  function tokenProblem(accessToken: string | null): { errcode: number; errmsg: string } | undefined {
    const issued = accessToken === null ? undefined : tokens.get(accessToken);
    if (!issued || issued.revoked) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    if (clock.now() >= issued.expiresAtMs) return { errcode: 42001, errmsg: 'access_token expired' };
    return undefined;
  }

  /**
   * openapi/quota/get as documented: `{"cgi_path"}` → the daily limit, used and remaining calls of
   * that API; 76021 for a path it does not know (here: anything but the message API and the quota calls).
   */
  function quotaGet(rawBody: Buffer, response: ServerResponse) {
    quotaRequestCount++;
    const body = parseJson(rawBody);
    if (!body || typeof body.cgi_path !== 'string') return error(response, 47001, 'data format error');
    if (body.cgi_path !== api.path) return error(response, 76021, 'cgi_path not found, please check');
    answer(response, { errcode: 0, errmsg: 'ok', quota: { daily_limit: dailyLimit, used: usedToday, remain: Math.max(0, dailyLimit - usedToday) } });
  }

  function sendMessage(accessToken: string, rawBody: Buffer, response: ServerResponse) {
    const body = parseJson(rawBody);
    if (!body) return error(response, 47001, 'data format error');
    usedToday++;
    if (mode === 'busy') return error(response, -1, 'system error');
    if (mode === 'quota-exceeded') return error(response, 45009, 'reach max api daily quota limit');
    if (typeof body.touser !== 'string' || !OPEN_ID.test(body.touser)) return error(response, 40003, 'invalid openid');
    if (typeof body.template_id !== 'string' || !options.templateIds.includes(body.template_id)) return error(response, 40037, 'invalid template_id');
    const problem = unknownFieldProblem(body, api.fields) ?? api.bodyProblem(body);
    if (problem) return error(response, problem.errcode, problem.errmsg);
    if (refused.has(body.touser)) return error(response, api.recipientRefusal.errcode, api.recipientRefusal.errmsg);
    // A repeated client_msg_id is the same message: answered as sent, delivered once.
    const repeated = typeof body.client_msg_id === 'string' ? msgidByClientMsgId.get(body.client_msg_id) : undefined;
    const msgid = repeated ?? String(msgidSequence++);
    if (!repeated) {
      if (typeof body.client_msg_id === 'string') msgidByClientMsgId.set(body.client_msg_id, msgid);
      received.push({ accessToken, body, msgid });
    }
    answer(response, { errcode: 0, errmsg: 'ok' }, `"msgid":${msgid}`);
  }

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');

    const url = new URL(request.url ?? '/', 'http://api.weixin.test');
    if (request.method !== 'POST') return void response.writeHead(405).end();
    if (url.pathname === '/cgi-bin/stable_token') return stableToken(rawBody, response);
    if (url.pathname !== api.path && url.pathname !== '/cgi-bin/openapi/quota/get') return void response.writeHead(404).end();
    const accessToken = url.searchParams.get('access_token');
    const rejected = tokenProblem(accessToken);
    if (rejected) return error(response, rejected.errcode, rejected.errmsg);
    if (url.pathname === '/cgi-bin/openapi/quota/get') return quotaGet(rawBody, response);
    sendMessage(accessToken!, rawBody, response);
  });

  return {
    baseUrl: server.origin,
    port: server.port,
    get requestCount() {
      return requestCount;
    },
    get tokenRequestCount() {
      return tokenRequestCount;
    },
    received,
    setMode(next) {
      mode = next;
    },
    revokeTokens() {
      for (const issued of tokens.values()) issued.revoked = true;
    },
    refuseRecipient(openId) {
      refused.add(openId);
    },
    setDailyLimit(limit) {
      dailyLimit = limit;
    },
    get quotaRequestCount() {
      return quotaRequestCount;
    },
    close: () => server.close(),
  };
}

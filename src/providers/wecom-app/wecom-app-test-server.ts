import type { ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * Plays the WeCom application message API for tests, as documented: `GET /cgi-bin/gettoken`
 * (checks corpid and corpsecret, issues 7,200 s tokens, counts fetches), `POST
 * /cgi-bin/message/send` (checks the token, agentid, recipients and every field of the
 * msgtype; partial success via invaliduser / invalidparty / invalidtag / unlicenseduser;
 * 82001 when nobody is valid) and `POST /cgi-bin/message/recall` (msgids of the last 24 h).
 * Every answer is HTTP 200 with an errcode, like WeCom.
 */

export type WecomAppTestServerMode = 'normal' | 'transient-error' | 'invalid-json' | 'hang';

export interface ReceivedWecomAppMessage {
  msgid: string;
  body: Record<string, any>;
  /** `touser` split on "|". */
  users: string[];
  parties: string[];
  tags: string[];
}

export interface WecomAppTestServer {
  readonly baseUrl: string;
  readonly port: number;
  /** Every request, gettoken included. */
  readonly requestCount: number;
  /** gettoken calls answered with a token. */
  readonly tokenFetchCount: number;
  /** message/send calls accepted (errcode 0), partial successes included. */
  readonly sent: readonly ReceivedWecomAppMessage[];
  /** msgids recalled. */
  readonly recalled: readonly string[];
  /** `transient-error`: HTTP 500 page; `invalid-json`: HTTP 200 that is not JSON; `hang`: no answer. */
  setMode(mode: WecomAppTestServerMode): void;
  /** Every token issued so far now answers 42001 (expired); new gettoken calls get new ones. */
  expireTokens(): void;
  /** Recipients that exist nowhere in the corp: answered in invaliduser / invalidparty / invalidtag. */
  markInvalid(recipients: { users?: string[]; parties?: string[]; tags?: string[]; unlicensedUsers?: string[] }): void;
  /** The next `count` message/send or recall calls answer this errcode (after the token check). */
  failNextCalls(errcode: number, errmsg: string, count?: number): void;
  close(): Promise<void>;
}

export interface WecomAppTestServerOptions {
  corpId: string;
  corpSecret: string;
  agentId: number;
  clock?: Clock;
}

const TOKEN_LIFETIME_SECONDS = 7_200;
const MAX_USERS = 1_000;
const MAX_PARTIES = 100;
const MAX_TAGS = 100;
const RECALL_WINDOW_MS = 24 * 60 * 60_000;
/** The code WeCom gives for a msgid older than 24 h is not in providers.md; this one is assumed (unverified). */
export const WECOM_TEST_RECALL_EXPIRED_ERRCODE = 86104;

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const onlyKeys = (value: unknown, allowed: string[]): value is Record<string, any> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).every((key) => allowed.includes(key));
const splitIds = (value: unknown) => (typeof value === 'string' ? value.split('|').filter((id) => id !== '') : []);

/** What is wrong with the msgtype part of a send (errcode 40058 in the answer), or undefined. */
function messageProblem(body: Record<string, any>): string | undefined {
  const envelope = ['touser', 'toparty', 'totag', 'agentid', 'msgtype', 'safe', 'enable_id_trans', 'enable_duplicate_check', 'duplicate_check_interval'];
  const { msgtype } = body;
  if (!onlyKeys(body, [...envelope, msgtype])) return `unknown field beside msgtype ${JSON.stringify(msgtype)}`;
  const part = body[msgtype];
  switch (msgtype) {
    case 'text':
      if (!onlyKeys(part, ['content']) || !isText(part.content)) return 'text.content is required';
      return bytes(part.content) > 2048 ? 'text.content exceeds 2048 bytes' : undefined;
    case 'markdown':
      if (!onlyKeys(part, ['content']) || !isText(part.content)) return 'markdown.content is required';
      return bytes(part.content) > 4096 ? 'markdown.content exceeds 4096 bytes' : undefined;
    case 'textcard':
      if (!onlyKeys(part, ['title', 'description', 'url', 'btntxt'])) return 'unknown field in textcard';
      if (!isText(part.title) || !isText(part.description) || !isText(part.url)) return 'textcard title, description and url are required';
      if (bytes(part.title) > 128 || bytes(part.description) > 512) return 'textcard title ≤ 128 bytes, description ≤ 512 bytes';
      if (part.btntxt !== undefined && (!isText(part.btntxt) || [...part.btntxt].length > 4)) return 'textcard btntxt ≤ 4 characters';
      return undefined;
    case 'template_card': {
      if (!onlyKeys(part, ['card_type', 'main_title', 'sub_title_text', 'card_action'])) return 'unknown field in template_card';
      if (part.card_type !== 'text_notice') return 'template_card.card_type must be text_notice here';
      if (!onlyKeys(part.main_title, ['title', 'desc']) || !isText(part.main_title.title)) return 'template_card.main_title.title is required';
      if (part.main_title.desc !== undefined && typeof part.main_title.desc !== 'string') return 'main_title.desc must be a string';
      if (part.sub_title_text !== undefined && typeof part.sub_title_text !== 'string') return 'sub_title_text must be a string';
      if (!onlyKeys(part.card_action, ['type', 'url']) || part.card_action.type !== 1 || !isText(part.card_action.url)) return 'card_action {type: 1, url} is required';
      return undefined;
    }
    default:
      return `invalid msgtype ${JSON.stringify(msgtype)}`;
  }
}

export async function startWecomAppTestServer(options: WecomAppTestServerOptions): Promise<WecomAppTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: WecomAppTestServerMode = 'normal';
  let requestCount = 0;
  let tokenFetchCount = 0;
  /** token → when it stops being valid (epoch ms). */
  const tokens = new Map<string, number>();
  const sent: ReceivedWecomAppMessage[] = [];
  const sentAtMs = new Map<string, number>();
  const recalled: string[] = [];
  const invalid = { users: new Set<string>(), parties: new Set<string>(), tags: new Set<string>(), unlicensedUsers: new Set<string>() };
  let forcedFailure: { errcode: number; errmsg: string; remaining: number } | undefined;

  const answer = (response: ServerResponse, fields: Record<string, unknown>) =>
    response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(fields));
  const error = (response: ServerResponse, errcode: number, errmsg: string) => answer(response, { errcode, errmsg });

  const tokenProblem = (token: string | null): [number, string] | undefined => {
    if (!token) return [41001, 'access_token missing'];
    const validUntil = tokens.get(token);
    if (validUntil === undefined) return [40014, 'invalid access_token'];
    return clock.now() >= validUntil ? [42001, 'access_token expired'] : undefined;
  };

  const takeForcedFailure = () => {
    if (!forcedFailure) return undefined;
    const failure = forcedFailure;
    if (--failure.remaining <= 0) forcedFailure = undefined;
    return failure;
  };

  const parseBody = (rawBody: Buffer): Record<string, any> | undefined => {
    try {
      const body: unknown = JSON.parse(rawBody.toString('utf8'));
      return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, any>) : undefined;
    } catch {
      return undefined;
    }
  };

  const handleSend = (body: Record<string, any>, response: ServerResponse) => {
    if (body.agentid !== options.agentId) return error(response, 40056, `invalid agentid ${JSON.stringify(body.agentid)}`);
    for (const field of ['touser', 'toparty', 'totag']) {
      if (body[field] !== undefined && !isText(body[field])) return error(response, 40058, `invalid Request Parameter, ${field} must be a non-empty string`);
    }
    const users = splitIds(body.touser);
    const parties = splitIds(body.toparty);
    const tags = splitIds(body.totag);
    if (users.length + parties.length + tags.length === 0) return error(response, 40058, 'invalid Request Parameter, touser, toparty and totag are all empty');
    if (users.length > MAX_USERS) return error(response, 40058, 'invalid Request Parameter, touser holds more than 1000 users');
    if (parties.length > MAX_PARTIES || tags.length > MAX_TAGS) return error(response, 40058, 'invalid Request Parameter, toparty or totag holds more than 100 ids');
    const problem = messageProblem(body);
    if (problem) return error(response, 40058, `invalid Request Parameter, ${problem}`);

    const invalidUsers = users.filter((user) => invalid.users.has(user));
    const unlicensed = users.filter((user) => invalid.unlicensedUsers.has(user));
    const invalidParties = parties.filter((party) => invalid.parties.has(party));
    const invalidTags = tags.filter((tag) => invalid.tags.has(tag));
    const reachable = users.length + parties.length + tags.length - invalidUsers.length - unlicensed.length - invalidParties.length - invalidTags.length;
    if (reachable === 0) return error(response, 82001, 'All touser & toparty & totag invalid');

    const msgid = `msg-${sent.length + 1}-${clock.now()}`;
    sent.push({ msgid, body, users, parties, tags });
    sentAtMs.set(msgid, clock.now());
    answer(response, {
      errcode: 0,
      errmsg: 'ok',
      invaliduser: invalidUsers.join('|'),
      invalidparty: invalidParties.join('|'),
      invalidtag: invalidTags.join('|'),
      unlicenseduser: unlicensed.join('|'),
      msgid,
      response_code: '',
    });
  };

  const handleRecall = (body: Record<string, any>, response: ServerResponse) => {
    if (!onlyKeys(body, ['msgid']) || !isText(body.msgid)) return error(response, 40058, 'invalid Request Parameter, msgid is required');
    const at = sentAtMs.get(body.msgid);
    if (at === undefined) return error(response, 40058, 'invalid Request Parameter, msgid not found');
    if (clock.now() - at > RECALL_WINDOW_MS) return error(response, WECOM_TEST_RECALL_EXPIRED_ERRCODE, 'msgid expired: sent more than 24 hours ago');
    sentAtMs.delete(body.msgid);
    recalled.push(body.msgid);
    error(response, 0, 'ok');
  };

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(500, { 'content-type': 'text/html' }).end('<html>Internal Server Error</html>');
    if (mode === 'invalid-json') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');

    const url = new URL(request.url ?? '/', 'http://qyapi.test');
    if (request.method === 'GET' && url.pathname === '/cgi-bin/gettoken') {
      if (url.searchParams.get('corpid') !== options.corpId) return error(response, 40013, 'invalid corpid');
      if (url.searchParams.get('corpsecret') !== options.corpSecret) return error(response, 40001, 'invalid credential');
      tokenFetchCount++;
      const token = `token-${tokenFetchCount}`;
      tokens.set(token, clock.now() + TOKEN_LIFETIME_SECONDS * 1000);
      return answer(response, { errcode: 0, errmsg: 'ok', access_token: token, expires_in: TOKEN_LIFETIME_SECONDS });
    }
    const handler = { '/cgi-bin/message/send': handleSend, '/cgi-bin/message/recall': handleRecall }[url.pathname];
    if (request.method !== 'POST' || !handler) return void response.writeHead(404).end();
    const badToken = tokenProblem(url.searchParams.get('access_token'));
    if (badToken) return error(response, ...badToken);
    if (!String(request.headers['content-type']).startsWith('application/json')) return error(response, 40058, 'invalid Request Parameter, content-type');
    const body = parseBody(rawBody);
    if (!body) return error(response, 47001, 'data format error');
    const forced = takeForcedFailure();
    if (forced) return error(response, forced.errcode, forced.errmsg);
    handler(body, response);
  });

  return {
    baseUrl: server.origin,
    port: server.port,
    get requestCount() {
      return requestCount;
    },
    get tokenFetchCount() {
      return tokenFetchCount;
    },
    sent,
    recalled,
    setMode(next) {
      mode = next;
    },
    expireTokens() {
      for (const token of tokens.keys()) tokens.set(token, clock.now());
    },
    markInvalid(recipients) {
      for (const user of recipients.users ?? []) invalid.users.add(user);
      for (const party of recipients.parties ?? []) invalid.parties.add(party);
      for (const tag of recipients.tags ?? []) invalid.tags.add(tag);
      for (const user of recipients.unlicensedUsers ?? []) invalid.unlicensedUsers.add(user);
    },
    failNextCalls(errcode, errmsg, count = 1) {
      forcedFailure = { errcode, errmsg, remaining: count };
    },
    close: () => server.close(),
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { feishuCardProblem, feishuObjectMessageProblem, feishuPostProblem, isObject, isText } from '../conformance/feishu-message-shapes.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * Plays the Feishu open platform for an app bot, as documented: issues tenant tokens (the
 * same one until under 30 minutes are left, then a new one; counts fetches; can expire them
 * all), checks the Bearer token, receive_id_type and the im/v1 body — `content` a JSON
 * string of the shape its msg_type needs, `uuid` present and deduplicating for an hour —
 * throttles per app (HTTP 429, `x-ogw-ratelimit-reset`) and per receiver (230020), and
 * recalls its own messages within a day. Also the legacy v4 batch_send (user id lists up to
 * 200, content as an object, unknown ids reported in `invalid_*`) and batch recall. Errors
 * answer HTTP 400 with a `code`, like im/v1.
 */

export type FeishuAppTestServerMode = 'normal' | 'transient-error' | 'hang';

export interface ReceivedFeishuAppMessage {
  messageId: string;
  receiveIdType: string;
  authorization: string;
  body: { receive_id: string; msg_type: string; content: string; uuid: string };
  sentAtMs: number;
}

export interface ReceivedFeishuBatch {
  messageId: string;
  /** `open_ids`, `user_ids` or `union_ids`. */
  listField: string;
  /** The ids the batch went to (the valid ones). */
  ids: string[];
  body: Record<string, any>;
  sentAtMs: number;
}

export interface FeishuAppTestServer {
  readonly baseUrl: string;
  readonly port: number;
  /** Every request, token fetches included. */
  readonly requestCount: number;
  readonly tokenFetchCount: number;
  /** Messages sent (a uuid repeated within the hour is not sent again). */
  readonly received: readonly ReceivedFeishuAppMessage[];
  /** v4 batch_send calls accepted. */
  readonly batches: readonly ReceivedFeishuBatch[];
  /** Ids of the messages (om_) and batches (bm-) recalled. */
  readonly recalled: readonly string[];
  /** Every token issued so far stops working (99991663), as after an app secret reset. */
  expireTokens(): void;
  /** Sends to this receive_id answer this code (230013 outside the app's availability, 230002 bot not in the group ...); a batch lists it as invalid. */
  failReceiver(receiveId: string, code: number): void;
  /** `transient-error`: HTTP 503 page; `hang`: no answer. */
  setMode(mode: FeishuAppTestServerMode): void;
  close(): Promise<void>;
}

export interface FeishuAppTestServerOptions {
  appId: string;
  appSecret: string;
  clock?: Clock;
  /** Answer 429 / 99991400 beyond any of these windows (Feishu: 50 per 1 s and 1000 per 60 s per app). */
  throttle?: ReadonlyArray<{ count: number; perSeconds: number }>;
}

const TOKEN_LIFETIME_SECONDS = 7200;
const TOKEN_RENEWAL_SECONDS = 30 * 60;
const UUID_DEDUP_MS = 60 * 60_000;
const RECALL_WINDOW_MS = 24 * 60 * 60_000;
const RECEIVER_QPS = 5;
const RECEIVE_ID_TYPES = new Set(['open_id', 'user_id', 'union_id', 'email', 'chat_id']);
const MESSAGE_FIELDS = new Set(['receive_id', 'msg_type', 'content', 'uuid']);
const BATCH_LISTS = ['open_ids', 'user_ids', 'union_ids', 'department_ids'];
const MAX_BATCH_IDS = 200;

const ERROR_MESSAGES: Record<number, string> = {
  230001: 'Your request contains an invalid request parameter.',
  230002: 'The bot can not be outside the group.',
  230006: 'Bot ability is not activated.',
  230013: 'Bot has NO availability to this user.',
  230020: 'This operation triggers the frequency limit.',
  230027: 'Lack of necessary permissions.',
  230030: 'The message id is invalid, record not found.',
  99992402: 'field validation failed',
};

function contentProblem(msgType: unknown, content: Record<string, any>): string | undefined {
  switch (msgType) {
    case 'text':
      return isText(content.text) ? undefined : 'text content needs "text"';
    case 'post':
      // im/v1 takes the languages directly; the custom bot's {"post": ...} wrapper is an error here.
      return 'post' in content ? 'post content is {"zh_cn":{..}} without a "post" wrapper' : feishuPostProblem(content, 'post content');
    case 'interactive':
      return feishuCardProblem(content, 'card content');
    default:
      return `unsupported msg_type ${JSON.stringify(msgType)}`;
  }
}

export async function startFeishuAppTestServer(options: FeishuAppTestServerOptions): Promise<FeishuAppTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: FeishuAppTestServerMode = 'normal';
  let requestCount = 0;
  let tokenFetchCount = 0;
  let tokenSerial = 0;
  let messageSerial = 0;
  /** Valid tokens and when they expire. */
  const tokens = new Map<string, number>();
  let currentToken: string | undefined;
  const received: ReceivedFeishuAppMessage[] = [];
  const byUuid = new Map<string, ReceivedFeishuAppMessage>();
  const recalled: string[] = [];
  const batches: ReceivedFeishuBatch[] = [];
  let batchSerial = 0;
  const apiCallsAtMs: number[] = [];
  const receiverErrors = new Map<string, number>();

  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  const error = (response: ServerResponse, code: number, msg = ERROR_MESSAGES[code] ?? 'error') => json(response, 400, { code, msg, error: { log_id: `log-${requestCount}` } });

  function issueToken(response: ServerResponse, rawBody: Buffer) {
    tokenFetchCount++;
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return json(response, 400, { code: 9499, msg: 'Bad Request' });
    }
    // Both answer HTTP 200, like the token API.
    if (!isObject(body) || body.app_id !== options.appId) return json(response, 200, { code: 10003, msg: 'invalid param' });
    if (body.app_secret !== options.appSecret) return json(response, 200, { code: 10014, msg: 'app secret invalid' });
    const nowMs = clock.now();
    const currentExpiresAtMs = currentToken === undefined ? undefined : tokens.get(currentToken);
    if (currentExpiresAtMs === undefined || currentExpiresAtMs - nowMs < TOKEN_RENEWAL_SECONDS * 1000) {
      currentToken = `t-g1044${String(++tokenSerial).padStart(8, '0')}feishu`;
      tokens.set(currentToken, nowMs + TOKEN_LIFETIME_SECONDS * 1000);
    }
    const expire = Math.floor((tokens.get(currentToken!)! - nowMs) / 1000);
    json(response, 200, { code: 0, msg: 'ok', tenant_access_token: currentToken, expire });
  }

  /** The Bearer token's problem, or undefined when it is valid. */
  function tokenProblem(request: IncomingMessage): number | undefined {
    const match = /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''));
    if (!match) return 99991661;
    const expiresAtMs = tokens.get(match[1]);
    return expiresAtMs !== undefined && clock.now() < expiresAtMs ? undefined : 99991663;
  }

  /** Seconds until the app's windows let a call through again, or undefined when one may go now. */
  function throttleResetSeconds(): number | undefined {
    const nowMs = clock.now();
    let resetMs: number | undefined;
    for (const { count, perSeconds } of options.throttle ?? []) {
      const inWindow = apiCallsAtMs.filter((atMs) => atMs > nowMs - perSeconds * 1000);
      if (inWindow.length >= count) resetMs = Math.max(resetMs ?? 0, inWindow[inWindow.length - count] + perSeconds * 1000 - nowMs);
    }
    return resetMs === undefined ? undefined : Math.max(1, Math.ceil(resetMs / 1000));
  }

  function sendMessage(request: IncomingMessage, url: URL, rawBody: Buffer, response: ServerResponse) {
    const receiveIdType = url.searchParams.get('receive_id_type') ?? '';
    if (!RECEIVE_ID_TYPES.has(receiveIdType)) return error(response, 99992402, `field validation failed: receive_id_type ${receiveIdType}`);
    if (!String(request.headers['content-type']).startsWith('application/json')) return error(response, 230001, 'content-type must be application/json');
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return error(response, 230001, 'body is not JSON');
    }
    if (!isObject(body)) return error(response, 230001, 'body is not an object');
    const unknown = Object.keys(body).filter((key) => !MESSAGE_FIELDS.has(key));
    if (unknown.length > 0) return error(response, 99992402, `field validation failed: unknown ${unknown.join(', ')}`);
    if (!isText(body.receive_id)) return error(response, 99992402, 'field validation failed: receive_id');
    if (!isText(body.uuid) || body.uuid.length > 50) return error(response, 99992402, 'field validation failed: uuid (1-50 characters)');
    if (typeof body.content !== 'string') return error(response, 230001, 'content must be a JSON string');
    let content: unknown;
    try {
      content = JSON.parse(body.content);
    } catch {
      return error(response, 230001, 'content is not a JSON string');
    }
    const problem = isObject(content) ? contentProblem(body.msg_type, content) : 'content must encode an object';
    if (problem) return error(response, 230001, `${ERROR_MESSAGES[230001]} ${problem}`);
    const receiverError = receiverErrors.get(body.receive_id);
    if (receiverError !== undefined) return error(response, receiverError);

    const nowMs = clock.now();
    const repeated = byUuid.get(body.uuid);
    if (repeated && nowMs - repeated.sentAtMs < UUID_DEDUP_MS) return answerMessage(response, repeated);
    const recentToReceiver = received.filter((message) => message.body.receive_id === body.receive_id && message.sentAtMs > nowMs - 1000);
    if (recentToReceiver.length >= RECEIVER_QPS) return error(response, 230020);

    const message: ReceivedFeishuAppMessage = {
      messageId: `om_${String(++messageSerial).padStart(6, '0')}dc13264520392913993dd051dba21dcf`,
      receiveIdType,
      authorization: String(request.headers.authorization),
      body: body as ReceivedFeishuAppMessage['body'],
      sentAtMs: nowMs,
    };
    received.push(message);
    byUuid.set(body.uuid, message);
    answerMessage(response, message);
  }

  const answerMessage = (response: ServerResponse, message: ReceivedFeishuAppMessage) =>
    json(response, 200, {
      code: 0,
      msg: 'success',
      data: {
        message_id: message.messageId,
        chat_id: 'oc_5ad11d72b830411d72b836c20',
        msg_type: message.body.msg_type,
        create_time: String(message.sentAtMs),
        sender: { id: options.appId, id_type: 'app_id', sender_type: 'app' },
        body: { content: message.body.content },
      },
    });

  function sendBatch(request: IncomingMessage, rawBody: Buffer, response: ServerResponse) {
    if (!String(request.headers['content-type']).startsWith('application/json')) return error(response, 230001, 'content-type must be application/json');
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return error(response, 230001, 'body is not JSON');
    }
    if (!isObject(body)) return error(response, 230001, 'body is not an object');
    const problem = feishuObjectMessageProblem(body, new Set(BATCH_LISTS));
    if (problem) return error(response, 230001, `${ERROR_MESSAGES[230001]} ${problem}`);
    const lists = BATCH_LISTS.filter((field) => body[field] !== undefined);
    for (const field of lists) {
      const ids: unknown = body[field];
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_BATCH_IDS || !ids.every(isText)) {
        return error(response, 99992402, `field validation failed: ${field} holds 1-${MAX_BATCH_IDS} ids`);
      }
    }
    const userLists = lists.filter((field) => field !== 'department_ids');
    if (userLists.length !== 1) return error(response, 99992402, 'field validation failed: one user id list (this server plays users only)');
    const listField = userLists[0];
    const ids: string[] = body[listField];
    const invalid = ids.filter((id) => receiverErrors.has(id));
    const batch: ReceivedFeishuBatch = {
      messageId: `bm-${String(++batchSerial).padStart(6, '0')}dc13264520392913993dd051dba21dcf`,
      listField,
      ids: ids.filter((id) => !receiverErrors.has(id)),
      body,
      sentAtMs: clock.now(),
    };
    batches.push(batch);
    json(response, 200, {
      code: 0,
      msg: 'ok',
      data: { message_id: batch.messageId, invalid_department_ids: [], invalid_open_ids: [], invalid_user_ids: [], invalid_union_ids: [], [`invalid_${listField}`]: invalid },
    });
  }

  function recallBatch(batchId: string, response: ServerResponse) {
    const batch = batches.find((candidate) => candidate.messageId === batchId);
    if (!batch) return error(response, 230030);
    if (clock.now() - batch.sentAtMs > RECALL_WINDOW_MS) return error(response, 230009, 'Message can only be recalled within one days.');
    if (!recalled.includes(batchId)) recalled.push(batchId);
    json(response, 200, { code: 0, msg: 'ok', data: {} });
  }

  function recallMessage(messageId: string, response: ServerResponse) {
    const message = received.find((candidate) => candidate.messageId === messageId);
    if (!message) return error(response, 230012, 'Bot is NOT the sender of the message.');
    if (clock.now() - message.sentAtMs > RECALL_WINDOW_MS) return error(response, 230009, 'Message can only be recalled within one days.');
    if (!recalled.includes(messageId)) recalled.push(messageId);
    json(response, 200, { code: 0, msg: 'success', data: {} });
  }

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(503, { 'content-type': 'text/html' }).end('<html>Service Unavailable</html>');

    const url = new URL(request.url ?? '/', 'http://feishu.test');
    if (request.method === 'POST' && url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') return issueToken(response, rawBody);

    const messageMatch = /^\/open-apis\/im\/v1\/(messages|batch_messages)(?:\/([^/]+))?$/.exec(url.pathname);
    const isSend = request.method === 'POST' && messageMatch?.[1] === 'messages' && messageMatch[2] === undefined;
    const isRecall = request.method === 'DELETE' && messageMatch?.[2] !== undefined;
    const isBatch = request.method === 'POST' && url.pathname === '/open-apis/message/v4/batch_send/';
    if (!isSend && !isRecall && !isBatch) return void response.writeHead(404).end();

    const tokenError = tokenProblem(request);
    if (tokenError === 99991661) return error(response, tokenError, 'Missing access token for authorization.');
    if (tokenError !== undefined) return error(response, tokenError, 'Invalid access token for authorization. Please make a request with token attached.');
    const resetSeconds = throttleResetSeconds();
    if (resetSeconds !== undefined) {
      return json(response, 429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': String(resetSeconds) });
    }
    apiCallsAtMs.push(clock.now());
    if (isSend) return sendMessage(request, url, rawBody, response);
    if (isBatch) return sendBatch(request, rawBody, response);
    const id = decodeURIComponent(messageMatch![2]);
    if (messageMatch![1] === 'batch_messages') return recallBatch(id, response);
    recallMessage(id, response);
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
    received,
    batches,
    recalled,
    expireTokens() {
      tokens.clear();
      currentToken = undefined;
    },
    failReceiver(receiveId, code) {
      receiverErrors.set(receiveId, code);
    },
    setMode(next) {
      mode = next;
    },
    close: () => server.close(),
  };
}

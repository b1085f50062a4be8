import type { ServerResponse } from 'node:http';
import { systemClock, type Clock } from '../../clock.ts';
import { startLoopbackHttpServer } from '../conformance/loopback-http-server.ts';

/**
 * Plays a DingTalk corp app's work-notice API for tests, as documented: `GET /gettoken`
 * checks the app key and secret; asyncsend_v2, recall and getsendresult check the access
 * token, the agent id and the body fields, and answer HTTP 200 with an errcode like DingTalk.
 * Sends become tasks whose per-user results the test decides (`markUser`); tokens can be
 * expired once (40014) and tasks age out after 24 h on the injected clock.
 */

export type DingtalkWorkNoticeTestServerMode = 'normal' | 'transient-error' | 'invalid-json' | 'busy' | 'hang';

/** How the platform reports a user: not yet processed, unread, read, or one of the failure lists. */
export type DingtalkUserState =
  | 'pending'
  | 'unread'
  | 'read'
  | 'invalid'
  | 'failed'
  /** `forbidden_user_id_list` plus a `forbidden_list` entry with this code (143105 ...). */
  | { forbiddenCode: number };

export interface DingtalkWorkNoticeTask {
  taskId: number;
  agentId: number;
  userIds: string[];
  msg: Record<string, any>;
  sentAtMs: number;
  recalled: boolean;
}

export interface DingtalkWorkNoticeTestServer {
  readonly baseUrl: string;
  readonly port: number;
  readonly requestCount: number;
  /** Accepted sends, in order. */
  readonly tasks: readonly DingtalkWorkNoticeTask[];
  /** gettoken calls that issued a token. */
  readonly tokensIssued: number;
  /** getsendresult calls answered with results, by task id. */
  readonly resultQueries: readonly number[];
  setMode(mode: DingtalkWorkNoticeTestServerMode): void;
  /** The state getsendresult reports for this user in every task from now on (default `unread`). */
  markUser(userId: string, state: DingtalkUserState): void;
  /** The current token is refused once with 40014, as after it expired; the next gettoken issues a new one. */
  expireToken(): void;
  close(): Promise<void>;
}

export interface DingtalkWorkNoticeTestServerOptions {
  appKey: string;
  appSecret: string;
  agentId: number;
  clock?: Clock;
}

const TOKEN_LIFETIME_SECONDS = 7200;
const TASK_RETENTION_MS = 24 * 3600_000;
const MAX_USER_IDS = 5000;
/** DingTalk's answers for these are not in its public code table; these are the test server's. */
const INVALID_PARAMETER = 400002;
const TASK_NOT_FOUND = 400003;

const isText = (value: unknown) => typeof value === 'string' && value.length > 0;

function msgProblem(msg: any): string | undefined {
  if (typeof msg !== 'object' || msg === null) return 'msg must be an object';
  switch (msg.msgtype) {
    case 'text':
      return isText(msg.text?.content) ? undefined : 'text.content is required';
    case 'markdown':
      return isText(msg.markdown?.title) && isText(msg.markdown?.text) ? undefined : 'markdown.title and markdown.text are required';
    case 'action_card': {
      const card = msg.action_card;
      if (!isText(card?.title) || !isText(card?.markdown)) return 'action_card.title and action_card.markdown are required';
      const single = isText(card.single_title) && isText(card.single_url);
      return single || Array.isArray(card.btn_json_list) ? undefined : 'action_card needs single_title and single_url, or btn_json_list';
    }
    default:
      return `unsupported msgtype ${JSON.stringify(msg.msgtype)}`;
  }
}

export async function startDingtalkWorkNoticeTestServer(options: DingtalkWorkNoticeTestServerOptions): Promise<DingtalkWorkNoticeTestServer> {
  const clock = options.clock ?? systemClock;
  let mode: DingtalkWorkNoticeTestServerMode = 'normal';
  let requestCount = 0;
  let tokensIssued = 0;
  let currentToken: string | undefined;
  let nextTaskId = 256_271_667_526;
  const tasks: DingtalkWorkNoticeTask[] = [];
  const resultQueries: number[] = [];
  const userStates = new Map<string, DingtalkUserState>();

  const answer = (response: ServerResponse, body: Record<string, unknown>) =>
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ request_id: `req${requestCount}`, ...body }));
  const refuse = (response: ServerResponse, errcode: number, errmsg: string) => answer(response, { errcode, errmsg });

  function sendResult(task: DingtalkWorkNoticeTask) {
    const lists = {
      invalid_user_id_list: [] as string[],
      forbidden_user_id_list: [] as string[],
      failed_user_id_list: [] as string[],
      read_user_id_list: [] as string[],
      unread_user_id_list: [] as string[],
      invalid_dept_id_list: [] as number[],
      forbidden_list: [] as Array<{ code: string; count: number; userid: string }>,
    };
    for (const userId of task.userIds) {
      const state = userStates.get(userId) ?? 'unread';
      if (state === 'pending') continue;
      if (state === 'unread') lists.unread_user_id_list.push(userId);
      else if (state === 'read') lists.read_user_id_list.push(userId);
      else if (state === 'invalid') lists.invalid_user_id_list.push(userId);
      else if (state === 'failed') lists.failed_user_id_list.push(userId);
      else {
        lists.forbidden_user_id_list.push(userId);
        lists.forbidden_list.push({ code: String(state.forbiddenCode), count: 1, userid: userId });
      }
    }
    return lists;
  }

  /** The task a recall or result query names, if this agent sent it within the last 24 h. */
  function liveTask(agentId: unknown, taskId: unknown): DingtalkWorkNoticeTask | undefined {
    const task = tasks.find((candidate) => candidate.taskId === taskId);
    if (!task || task.agentId !== agentId || clock.now() - task.sentAtMs > TASK_RETENTION_MS) return undefined;
    return task;
  }

  const server = await startLoopbackHttpServer((request, rawBody, response) => {
    requestCount++;
    if (mode === 'hang') return;
    if (mode === 'transient-error') return void response.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
    if (mode === 'invalid-json') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    if (mode === 'busy') return refuse(response, -1, '系统繁忙');

    const url = new URL(request.url ?? '/', 'http://oapi.test');
    if (url.pathname === '/gettoken') {
      if (request.method !== 'GET') return void response.writeHead(405).end();
      if (url.searchParams.get('appkey') !== options.appKey || url.searchParams.get('appsecret') !== options.appSecret) {
        return refuse(response, 40096, '不合法的appKey或appSecret');
      }
      // A repeat call inside the validity returns the same token; an expired one is replaced.
      if (currentToken === undefined) {
        tokensIssued++;
        currentToken = `dt-token-${tokensIssued}`;
      }
      return answer(response, { errcode: 0, errmsg: 'ok', access_token: currentToken, expires_in: TOKEN_LIFETIME_SECONDS });
    }

    const paths = ['asyncsend_v2', 'recall', 'getsendresult'].map((name) => `/topapi/message/corpconversation/${name}`);
    if (!paths.includes(url.pathname)) return void response.writeHead(404).end();
    if (request.method !== 'POST') return void response.writeHead(405).end();
    const token = url.searchParams.get('access_token');
    if (currentToken === undefined || token !== currentToken) return refuse(response, 40014, '不合法的access_token');
    if (!String(request.headers['content-type']).startsWith('application/json')) return refuse(response, INVALID_PARAMETER, 'content-type must be application/json');

    let body: Record<string, any>;
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return refuse(response, INVALID_PARAMETER, 'body is not JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse(response, INVALID_PARAMETER, 'body is not a JSON object');
    if (body.agent_id !== options.agentId) return refuse(response, INVALID_PARAMETER, `agent_id ${JSON.stringify(body.agent_id)} is not this app's`);

    if (url.pathname.endsWith('/asyncsend_v2')) {
      if (typeof body.userid_list !== 'string' || body.userid_list === '') return refuse(response, INVALID_PARAMETER, 'userid_list is required');
      const userIds = body.userid_list.split(',');
      if (userIds.some((userId: string) => userId.trim() === '' || userId !== userId.trim())) return refuse(response, INVALID_PARAMETER, 'userid_list has an empty or padded id');
      if (userIds.length > MAX_USER_IDS) return refuse(response, INVALID_PARAMETER, `userid_list has more than ${MAX_USER_IDS} ids`);
      const problem = msgProblem(body.msg);
      if (problem) return refuse(response, INVALID_PARAMETER, problem);
      const task: DingtalkWorkNoticeTask = { taskId: nextTaskId++, agentId: body.agent_id, userIds, msg: body.msg, sentAtMs: clock.now(), recalled: false };
      tasks.push(task);
      return answer(response, { errcode: 0, errmsg: 'ok', task_id: task.taskId });
    }

    if (url.pathname.endsWith('/recall')) {
      const task = liveTask(body.agent_id, body.msg_task_id);
      if (!task) return refuse(response, TASK_NOT_FOUND, 'msg_task_id does not exist or is older than 24 hours');
      task.recalled = true;
      return refuse(response, 0, 'ok');
    }

    const task = liveTask(body.agent_id, body.task_id);
    if (!task) return refuse(response, TASK_NOT_FOUND, 'task_id does not exist or is older than 24 hours');
    resultQueries.push(task.taskId);
    return answer(response, { errcode: 0, errmsg: 'ok', send_result: sendResult(task) });
  });

  return {
    baseUrl: server.origin,
    port: server.port,
    get requestCount() {
      return requestCount;
    },
    get tokensIssued() {
      return tokensIssued;
    },
    tasks,
    resultQueries,
    setMode(next) {
      mode = next;
    },
    markUser(userId, state) {
      userStates.set(userId, state);
    },
    expireToken() {
      currentToken = undefined;
    },
    close: () => server.close(),
  };
}

import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { AuditEntry, AuditLogService } from '../domain/audit/audit-log-service.ts';
import { maskForAudit } from '../domain/audit/audit-masking.ts';
import { HeraldError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { HeraldServer } from './route-module.ts';

/**
 * What a state-changing /v1 route tells the audit log beyond what the hooks see themselves:
 * - `before`: the target as it stands before the change (the same masked view a GET returns);
 *   a target that is not there is a null snapshot, so the handler still gives its own answer
 *   (a role refused before a 404, say);
 * - `app`: the app a console-only route changes (its key, its settings), so that app's own
 *   access keys find the row.
 * `false` opts a route out: sends and subscriber traffic, whose volume would drown the changes.
 */
export type RouteAudit = false | { before?: AuditSnapshot; app?: (request: FastifyRequest) => Promise<string> };

export type AuditSnapshot = (request: FastifyRequest) => Promise<unknown>;

/** A path parameter of the matched route, for snapshot functions (the schema has checked it). */
export const pathParam = (request: FastifyRequest, name: string): string => (request.params as Record<string, string>)[name]!;

declare module 'fastify' {
  interface FastifyContextConfig {
    audit?: RouteAudit;
  }
  interface FastifyRequest {
    /** The snapshot taken before an audited change, when its route gives one. */
    auditBefore: unknown;
  }
}

const READ_ONLY = new Set(['GET', 'HEAD', 'OPTIONS']);

type AuditDescriptor = Exclude<RouteAudit, false>;

/** The route's descriptor when this request is a change to audit; undefined when it is not. */
function descriptorFor(request: FastifyRequest): AuditDescriptor | undefined {
  const audit = request.routeOptions.config.audit;
  if (READ_ONLY.has(request.method) || audit === false) return undefined;
  return audit ?? {};
}

/** The route as the OpenAPI document names it: `PATCH /v1/channel-accounts/{idOrName}`. */
function actionOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url!.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
}

function idOf(snapshot: unknown): string | undefined {
  if (typeof snapshot !== 'object' || snapshot === null) return undefined;
  const { id, accessKeyId } = snapshot as { id?: unknown; accessKeyId?: unknown };
  if (typeof id === 'string') return id;
  return typeof accessKeyId === 'string' ? accessKeyId : undefined;
}

/** The last path parameter names the target; `{app}` as the caller spelled it (id or name) becomes the app's id. */
function targetParam(params: [string, string][], appId: string | undefined): string | undefined {
  const last = params.at(-1);
  if (!last) return undefined;
  return last[0] === 'app' && appId !== undefined ? appId : last[1];
}

function parseBody(payload: unknown): unknown {
  if (typeof payload !== 'string' || payload === '') return null;
  try {
    return JSON.parse(payload);
  } catch {
    return null;
  }
}

/**
 * Audits every state-changing route of the signed API unless it opts out with `audit: false`, so
 * a new route is audited without anyone remembering to. The row is written once the handler has
 * succeeded and before the response leaves: a caller that sees the answer finds the row. The
 * services commit their own transactions, so the row cannot share one; when its insert fails the
 * change stands, the caller gets its answer, and the whole row goes to the error log instead.
 */
export function registerAuditHooks(api: HeraldServer, auditLog: AuditLogService, logger: Logger): void {
  api.decorateRequest('auditBefore', undefined);
  api.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const audit = route.config?.audit;
    if (audit !== undefined && audit !== false && methods.every((method) => READ_ONLY.has(method))) {
      throw new Error(`${methods.join(',')} ${route.url} declares config.audit but reads only; only changes are audited`);
    }
  });

  api.addHook('preHandler', async (request) => {
    const before = descriptorFor(request)?.before;
    if (!before) return;
    try {
      request.auditBefore = await before(request);
    } catch (error) {
      if (!(error instanceof HeraldError) || error.kind !== 'not_found') throw error;
    }
  });

  api.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const audit = descriptorFor(request);
    if (!audit || reply.statusCode >= 400 || !request.principal) return payload;
    const principal = request.principal;
    const after = parseBody(payload);
    const before = request.auditBefore ?? null;
    const params = Object.entries((request.params ?? {}) as Record<string, string>);
    const entry: AuditEntry = {
      appId: request.appId ?? (principal.kind === 'app' ? principal.appId : undefined),
      actor: principal.kind === 'user' ? principal.userId : principal.accessKeyId,
      actorKind: principal.kind === 'user' ? 'user' : 'access-key',
      ...(principal.kind === 'user' ? { actorEmail: principal.email } : {}),
      action: actionOf(request),
      target: request.routeOptions.url!,
      address: request.ip,
      requestId: request.id,
      before,
      after,
    };
    try {
      if (entry.appId === undefined && audit.app) entry.appId = await audit.app(request);
      entry.target = idOf(after) ?? idOf(before) ?? targetParam(params, entry.appId) ?? entry.target;
      await auditLog.record(entry);
    } catch (error) {
      logger.error(
        { err: error, audit: { ...entry, before: maskForAudit(before), after: maskForAudit(after) } },
        'AUDIT_WRITE_FAILED: the change was made but its audit row was not written',
      );
    }
    return payload;
  });
}

import type { FastifyRequest } from 'fastify';
import type { AppService } from '../../domain/apps/app-service.ts';
import { ROLE_RANK, type Role } from '../../domain/users/user-service.ts';
import { forbidden, invalid, unauthenticated } from '../../errors.ts';
import type { Principal } from './principal.ts';

/** The minimum console role for an action; apps signing with keys act on their own app only. */
export type Action = 'read' | 'operate' | 'manage';

/**
 * What a /v1 route needs from its caller, declared in its route options (`config: { access }`)
 * and enforced by the signed API's one hook before the body is validated:
 * - an Action: the caller's app — a signed request acts on its own app; a console user names the
 *   app in X-Herald-App and needs the action's role;
 * - `{ appParam: Action }`: the app in the `:app` path parameter — a signed request only its own
 *   (APP_FORBIDDEN otherwise), a console user with the action's role;
 * - `{ consoleRole }`: console users with at least that role; access keys get CONSOLE_ONLY;
 * - `'authenticated'`: any caller; the handler answers per principal (whoami).
 */
export type RouteAccess = Action | { appParam: Action } | { consoleRole: Role } | 'authenticated';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

const ROLE_FOR_ACTION: Record<Action, Role> = { read: 'viewer', operate: 'operator', manage: 'admin' };

export const APP_HEADER = 'x-herald-app';

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated('AUTH_MISSING', 'This route needs authentication');
  return request.principal;
}

export function requireRole(request: FastifyRequest, role: Role): Extract<Principal, { kind: 'user' }> {
  const principal = principalOf(request);
  if (principal.kind !== 'user') throw forbidden('CONSOLE_ONLY', 'This route is for console users, not access keys');
  if (ROLE_RANK[principal.role] < ROLE_RANK[role]) throw forbidden('ROLE_INSUFFICIENT', `This needs the ${role} role; you are ${principal.role}`);
  return principal;
}

/** Who publishes a template or test-sends: the console user's e-mail or the signing access key id. */
export function actorOf(request: FastifyRequest): string {
  const principal = principalOf(request);
  return principal.kind === 'user' ? principal.email : principal.accessKeyId;
}

/** The signed-in console user of a console-only route. */
export function consoleUserOf(request: FastifyRequest): Extract<Principal, { kind: 'user' }> {
  return requireRole(request, 'viewer');
}

/** The app the request acts on, as resolved by the route's access declaration. */
export function appIdOf(request: FastifyRequest): string {
  if (request.appId === undefined) throw new Error(`${request.method} ${request.routeOptions.url} declares no app scope`);
  return request.appId;
}

/** For the OpenAPI document (`x-herald-access`). */
export function describeAccess(access: RouteAccess): string {
  if (access === 'authenticated') return 'Any access key or console user';
  if (typeof access === 'string') return `The caller's app: an access key's own app; console users (${ROLE_FOR_ACTION[access]} or above) name it in X-Herald-App`;
  if ('consoleRole' in access) return `Console users (${access.consoleRole} or above) only; access keys get CONSOLE_ONLY`;
  return `The app in the path: an access key's own app only; any app for console users (${ROLE_FOR_ACTION[access.appParam]} or above)`;
}

/**
 * Checks the authenticated principal against the route's declaration and returns the app the
 * request acts on (undefined for routes that are not scoped to one app).
 */
export async function authorize(request: FastifyRequest, access: RouteAccess, apps: AppService): Promise<string | undefined> {
  const principal = principalOf(request);
  if (access === 'authenticated') return undefined;
  if (typeof access === 'string') {
    if (principal.kind === 'app') return principal.appId;
    requireRole(request, ROLE_FOR_ACTION[access]);
    const header = request.headers[APP_HEADER];
    if (typeof header !== 'string' || header === '') {
      throw invalid('APP_SCOPE_MISSING', `Console requests to app resources must name the app in the ${APP_HEADER} header`);
    }
    return (await apps.get(header)).id;
  }
  if ('consoleRole' in access) {
    requireRole(request, access.consoleRole);
    return undefined;
  }
  if (principal.kind === 'user') requireRole(request, ROLE_FOR_ACTION[access.appParam]);
  const { app: named } = request.params as { app?: string };
  if (named === undefined) throw new Error(`${request.method} ${request.routeOptions.url} declares appParam but has no :app parameter`);
  const app = await apps.get(named);
  if (principal.kind === 'app' && principal.appId !== app.id) throw forbidden('APP_FORBIDDEN', 'An access key can only act on its own app');
  return app.id;
}

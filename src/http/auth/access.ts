import type { FastifyRequest } from 'fastify';
import type { AppService } from '../../domain/apps/app-service.ts';
import { ROLE_RANK, type Role } from '../../domain/users/user-service.ts';
import { forbidden, invalid, unauthenticated } from '../../errors.ts';
import type { Principal } from './principal.ts';

/** The minimum console role for an action; apps signing with keys act on their own app only. */
export type Action = 'read' | 'operate' | 'manage';

const ROLE_FOR_ACTION: Record<Action, Role> = { read: 'viewer', operate: 'operator', manage: 'admin' };

export const APP_HEADER = 'x-herald-app';

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated('AUTH_MISSING', 'This route needs authentication');
  return request.principal;
}

export function requireRole(request: FastifyRequest, role: Role): Extract<Principal, { kind: 'user' }> {
  const principal = principalOf(request);
  if (principal.kind !== 'user') throw forbidden('CONSOLE_ONLY', 'This route is for console users, not access keys');
  if (ROLE_RANK[principal.role] < ROLE_RANK[role]) throw forbidden('ROLE_INSUFFICIENT', `This needs the ${role} role; you are ${principal.role}`);
  return principal;
}

/**
 * The app a request acts on. A signed request acts on its own app; a console user
 * names the app in the `X-Herald-App` header (id or name) and needs the role for the action.
 */
export async function resolveAppScope(request: FastifyRequest, apps: AppService, action: Action): Promise<string> {
  const principal = principalOf(request);
  if (principal.kind === 'app') return principal.appId;
  requireRole(request, ROLE_FOR_ACTION[action]);
  const header = request.headers[APP_HEADER];
  if (typeof header !== 'string' || header === '') {
    throw invalid('APP_SCOPE_MISSING', `Console requests to app resources must name the app in the ${APP_HEADER} header`);
  }
  return (await apps.get(header)).id;
}

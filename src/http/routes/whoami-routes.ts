import { Type } from 'typebox';
import { principalOf } from '../auth/access.ts';
import { ROLES } from '../../domain/users/user-service.ts';
import type { RouteModule } from '../route-module.ts';

const WhoamiSchema = Type.Union([
  Type.Object({ kind: Type.Literal('app'), appId: Type.String(), appName: Type.String(), accessKeyId: Type.String() }),
  Type.Object({ kind: Type.Literal('user'), userId: Type.String(), email: Type.String(), role: Type.Enum(ROLES) }),
]);

/** Lets callers check their signing: answers who Herald thinks is calling. */
export const registerWhoamiRoutes: RouteModule = (server, { apps }) => {
  server.get('/whoami', { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'The calling app and access key, or console user', response: { 200: WhoamiSchema } } }, async (request) => {
    const principal = principalOf(request);
    if (principal.kind === 'app') {
      const app = await apps.get(principal.appId);
      return { kind: 'app' as const, appId: app.id, appName: app.name, accessKeyId: principal.accessKeyId };
    }
    return { kind: 'user' as const, userId: principal.userId, email: principal.email, role: principal.role };
  });
};

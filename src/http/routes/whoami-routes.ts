import { principalOf } from '../auth/access.ts';
import type { RouteModule } from '../route-module.ts';

/** Lets callers check their signing: answers who Herald thinks is calling. */
export const registerWhoamiRoutes: RouteModule = (server, { apps }) => {
  server.get('/whoami', { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'The calling app and access key, or console user' } }, async (request) => {
    const principal = principalOf(request);
    if (principal.kind === 'app') {
      const app = await apps.get(principal.appId);
      return { kind: 'app', appId: app.id, appName: app.name, accessKeyId: principal.accessKeyId };
    }
    return { kind: 'user', userId: principal.userId, email: principal.email, role: principal.role };
  });
};

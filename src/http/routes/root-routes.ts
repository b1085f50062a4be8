import type { RouteModule } from '../route-module.ts';

/** `/` leads a person who opens Herald in a browser to the API reference (the console will take it over). */
export const registerRootRoutes: RouteModule = (server) => {
  server.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/docs', 302));
};

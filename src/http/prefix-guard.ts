import type { FastifyInstance } from 'fastify';
import type { HeraldServer } from './route-module.ts';

/**
 * Reserves a URL prefix for one authenticating plugin: a route under `prefix` registered anywhere
 * but in the instance passed to the returned `mark` fails at start, since nothing would
 * authenticate it. Call it on the root server before registering the plugin.
 */
export function reservePrefix(server: HeraldServer, prefix: string, pluginName: string): (plugin: FastifyInstance) => void {
  const marker = Symbol(pluginName);
  const underPrefix = new RegExp(`^${prefix}(/|$)`, 'i');
  server.addHook('onRoute', function (route) {
    if (underPrefix.test(route.url) && !(this as FastifyInstance & { [marker]?: true })[marker]) {
      throw new Error(`${route.method} ${route.url} is under ${prefix} but outside the ${pluginName} plugin, so nothing would authenticate it`);
    }
  });
  return (plugin) => void plugin.decorate(marker, true);
}

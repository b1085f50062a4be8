import type { Clock } from '../clock.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import { createTtlCache } from '../ttl-cache.ts';

/** One account of a route as the worker needs it: who to move a delivery to, and how to name it in the trail. */
export interface RouteAccount {
  id: string;
  type: string;
  name: string;
}

/** The app's routes by channel: accounts in failover order (see src/domain/channel-accounts/channel-route-service.ts). */
export type AppRoutes = ReadonlyMap<string, readonly RouteAccount[]>;

export interface ChannelRouteLookup {
  /** The routes of each app, from a short-lived cache: a route edit reaches the workers within `cacheTtlMs`. */
  routesOf(appIds: readonly string[]): Promise<Map<string, AppRoutes>>;
}

/**
 * The worker's view of channel routes, for failover at send time. Only enabled accounts count;
 * a route left with fewer than two has nothing to fail over to and is ignored here.
 */
export function createChannelRouteLookup({ database, clock, cacheTtlMs = 5000 }: { database: HeraldDatabase; clock: Clock; cacheTtlMs?: number }): ChannelRouteLookup {
  const cache = createTtlCache<AppRoutes>({ ttlMs: cacheTtlMs, clock });

  async function load(appId: string): Promise<AppRoutes> {
    const routes = await database.db.selectFrom('channel_routes').select(['channel', 'accounts']).where('app_id', '=', appId).execute();
    if (routes.length === 0) return new Map();
    const accounts = await database.db.selectFrom('channel_accounts').select(['id', 'type', 'name']).where('app_id', '=', appId).where('enabled', '=', 1).execute();
    const byId = new Map(accounts.map((account) => [account.id, account]));
    const result = new Map<string, RouteAccount[]>();
    for (const route of routes) {
      const ordered = (JSON.parse(route.accounts) as Array<{ accountId: string }>).flatMap(({ accountId }) => (byId.has(accountId) ? [byId.get(accountId)!] : []));
      if (ordered.length >= 2) result.set(route.channel, ordered);
    }
    return result;
  }

  return {
    async routesOf(appIds) {
      const result = new Map<string, AppRoutes>();
      for (const appId of new Set(appIds)) result.set(appId, await cache.get(appId, () => load(appId)));
      return result;
    },
  };
}

/** The account after `currentId` in the route's order (wrapping around) whose circuit is not open, if any. */
export function nextRouteAccount(route: readonly RouteAccount[], currentId: string, open: ReadonlySet<string>): RouteAccount | undefined {
  const start = route.findIndex((account) => account.id === currentId);
  for (let step = 1; step < route.length; step++) {
    const candidate = route[(start + step) % route.length]!;
    if (candidate.id !== currentId && !open.has(candidate.id)) return candidate;
  }
  return undefined;
}

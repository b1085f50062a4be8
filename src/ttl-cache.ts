import type { Clock } from './clock.ts';

/**
 * A small read-through cache for hot lookups on the accept path (access keys, app settings,
 * channel accounts). Entries expire after `ttlMs`, so edits made by other processes take
 * effect within that time; the owning service clears it on its own writes at once.
 */
export interface TtlCache<V> {
  get(key: string, load: () => Promise<V>): Promise<V>;
  delete(key: string): void;
  clear(): void;
}

export function createTtlCache<V>({ ttlMs, clock, maxEntries = 10_000 }: { ttlMs: number; clock: Clock; maxEntries?: number }): TtlCache<V> {
  const entries = new Map<string, { value: V; loadedAtMs: number }>();
  return {
    async get(key, load) {
      const now = clock.now();
      const cached = entries.get(key);
      if (cached && now - cached.loadedAtMs < ttlMs && now >= cached.loadedAtMs) return cached.value;
      const value = await load();
      if (entries.size >= maxEntries) entries.clear();
      entries.set(key, { value, loadedAtMs: now });
      return value;
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
  };
}

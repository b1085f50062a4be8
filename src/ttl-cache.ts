import type { Clock } from './clock.ts';

/**
 * A small read-through cache for hot lookups (access keys, app settings, channel accounts on
 * the accept path and in the workers). Entries expire after `ttlMs`, so edits made by other
 * processes take effect within that time; the owning service clears it on its own writes at once.
 */
export interface TtlCache<V> {
  get(key: string, load: () => Promise<V>): Promise<V>;
  /** The entry if it is cached and fresh; for callers that load every missing key in one query. */
  peek(key: string): { value: V } | undefined;
  /** `loadedAtMs`: when the value was read (default now); it expires `ttlMs` after that. */
  set(key: string, value: V, loadedAtMs?: number): void;
  delete(key: string): void;
  clear(): void;
}

export function createTtlCache<V>({ ttlMs, clock, maxEntries = 10_000 }: { ttlMs: number; clock: Clock; maxEntries?: number }): TtlCache<V> {
  const entries = new Map<string, { value: V; loadedAtMs: number }>();
  /**
   * The load in flight per key. Callers that miss while it runs share it, so an expired hot key
   * costs one query, not one per request that arrived meanwhile. A delete drops it: callers after
   * the change load afresh, and the older load, answered to its own callers, is not cached.
   */
  const loads = new Map<string, Promise<V>>();
  function peek(key: string): { value: V } | undefined {
    const now = clock.now();
    const cached = entries.get(key);
    return cached && now - cached.loadedAtMs < ttlMs && now >= cached.loadedAtMs ? cached : undefined;
  }
  function set(key: string, value: V, loadedAtMs = clock.now()): void {
    if (entries.size >= maxEntries) entries.clear();
    entries.set(key, { value, loadedAtMs });
  }
  return {
    get(key, load) {
      const cached = peek(key);
      if (cached) return Promise.resolve(cached.value);
      const inFlight = loads.get(key);
      if (inFlight) return inFlight;
      const loadedAtMs = clock.now();
      const loading = load().then(
        (value) => {
          if (loads.get(key) === loading) {
            loads.delete(key);
            set(key, value, loadedAtMs);
          }
          return value;
        },
        (error: unknown) => {
          if (loads.get(key) === loading) loads.delete(key);
          throw error;
        },
      );
      loads.set(key, loading);
      return loading;
    },
    peek,
    set,
    delete(key) {
      entries.delete(key);
      loads.delete(key);
    },
    clear() {
      entries.clear();
      loads.clear();
    },
  };
}

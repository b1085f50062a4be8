import type { Clock } from '../../clock.ts';

/**
 * A database read for gauges collected on scrape, shared for `ttlMs`: frequent or parallel
 * scrapes (and several gauges of one read) cost one query. A failed read is not kept: the next
 * scrape asks the database again.
 */
export function scrapeCache<Snapshot>(clock: Clock, ttlMs: number, read: (nowMs: number) => Promise<Snapshot>): () => Promise<Snapshot> {
  let cached: { atMs: number; snapshot: Promise<Snapshot> } | undefined;
  return () => {
    const nowMs = clock.now();
    if (cached && nowMs >= cached.atMs && nowMs - cached.atMs < ttlMs) return cached.snapshot;
    const entry = { atMs: nowMs, snapshot: read(nowMs) };
    entry.snapshot.catch(() => {
      if (cached === entry) cached = undefined;
    });
    cached = entry;
    return entry.snapshot;
  };
}

import type { HeraldContext } from '../../context/herald-context.ts';
import { subscribeToInboxChanges } from '../../deliveries/inbox-notifications.ts';
import type { AnnouncementsTable } from '../../storage/schema.ts';
import { createTtlCache } from '../../ttl-cache.ts';

/** Who an announcement is for (stored as JSON in announcements.audience). */
export type AnnouncementAudience = { all: true } | { group: string } | { tags: string[] };

export interface FeedAnnouncement {
  row: AnnouncementsTable;
  audience: AnnouncementAudience;
}

/** A safety net for a missed change notification; changes made through Herald drop the cache at once. */
const FEED_CACHE_MS = 30_000;

export type AnnouncementFeed = ReturnType<typeof createAnnouncementFeed>;

/**
 * An app's announcements that are live or scheduled (not withdrawn, not expired), held in memory
 * per app: every inbox list and count reads them, and an app has a few hundred at most. One
 * query fills an app's entry; an `announcements` inbox change, from any process, drops it.
 */
export function createAnnouncementFeed({ database: { db }, clock, notifications }: HeraldContext) {
  const cache = createTtlCache<FeedAnnouncement[]>({ ttlMs: FEED_CACHE_MS, clock });
  const unsubscribe = subscribeToInboxChanges(notifications, (change) => {
    if (change.kind === 'announcements') cache.delete(change.appId);
  });

  function pending(appId: string): Promise<FeedAnnouncement[]> {
    return cache.get(appId, async () => {
      const rows = await db
        .selectFrom('announcements')
        .selectAll()
        .where('app_id', '=', appId)
        .where('withdrawn_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', clock.now())]))
        .execute();
      return rows.map((row) => ({ row, audience: JSON.parse(row.audience) as AnnouncementAudience }));
    });
  }

  return {
    /** The app's announcements visible now (publish_at ≤ now < expires_at). */
    async visible(appId: string): Promise<FeedAnnouncement[]> {
      const now = clock.now();
      return (await pending(appId)).filter(({ row }) => row.publish_at <= now && (row.expires_at === null || now < row.expires_at));
    },

    /** The next time (epoch ms) announcements of the app appear or expire, and which, for live streams to announce them; undefined when none will. */
    async nextChange(appId: string): Promise<{ atMs: number; ids: string[] } | undefined> {
      const now = clock.now();
      let next: { atMs: number; ids: string[] } | undefined;
      for (const { row } of await pending(appId)) {
        for (const at of [row.publish_at, row.expires_at]) {
          if (at === null || at <= now || (next !== undefined && at > next.atMs)) continue;
          if (next?.atMs === at) next.ids.push(row.id);
          else next = { atMs: at, ids: [row.id] };
        }
      }
      return next;
    },

    /** Drops the app's cached announcements (after a write in this process that must show at once). */
    forget(appId: string): void {
      cache.delete(appId);
    },

    close: unsubscribe,
  };
}

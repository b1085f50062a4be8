import type { HeraldContext } from '../../context/herald-context.ts';
import { createTtlCache } from '../../ttl-cache.ts';
import type { AnnouncementAudience } from './announcement-feed.ts';

/** What announcement audiences are matched against: a subscriber's tags and receiver groups. */
export interface SubscriberMembership {
  tags: ReadonlySet<string>;
  groups: ReadonlySet<string>;
}

const NO_MEMBERSHIP: SubscriberMembership = { tags: new Set(), groups: new Set() };

/** Every list and count asks; a tag or group edit shows within this time. */
const MEMBERSHIP_CACHE_MS = 5_000;

export function inAudience(audience: AnnouncementAudience, membership: SubscriberMembership): boolean {
  if ('all' in audience) return audience.all;
  if ('group' in audience) return membership.groups.has(audience.group);
  return audience.tags.length > 0 && audience.tags.every((tag) => membership.tags.has(tag));
}

export type SubscriberAudience = ReturnType<typeof createSubscriberAudience>;

/**
 * A subscriber's tags and the receiver groups they belong to (static members, or all tags of the
 * group's filter), cached briefly. A subscriber the app never registered has neither, so only
 * announcements for everybody reach them.
 */
export function createSubscriberAudience({ database: { db }, clock }: HeraldContext) {
  const cache = createTtlCache<SubscriberMembership>({ ttlMs: MEMBERSHIP_CACHE_MS, clock });
  /** The app's groups, read once for all its subscribers (a change reaching many open inboxes asks for each of them). */
  const groupsByApp = createTtlCache<Array<{ name: string; members: string[]; tagFilter: string[] }>>({ ttlMs: MEMBERSHIP_CACHE_MS, clock });
  const groupsOf = (appId: string) =>
    groupsByApp.get(appId, async () => {
      const rows = await db.selectFrom('receiver_groups').select(['name', 'members', 'tag_filter']).where('app_id', '=', appId).execute();
      return rows.map((row) => ({ name: row.name, members: JSON.parse(row.members) as string[], tagFilter: JSON.parse(row.tag_filter) as string[] }));
    });
  return {
    membership(appId: string, externalId: string): Promise<SubscriberMembership> {
      return cache.get(`${appId}\u0000${externalId}`, async () => {
        const subscriber = await db.selectFrom('subscribers').select('id').where('app_id', '=', appId).where('external_id', '=', externalId).executeTakeFirst();
        if (!subscriber) return NO_MEMBERSHIP;
        const tagRows = await db.selectFrom('subscriber_tags').select('tag').where('subscriber_id', '=', subscriber.id).execute();
        const tags = new Set(tagRows.map((row) => row.tag));
        const groups = new Set<string>();
        for (const group of await groupsOf(appId)) {
          if (group.members.includes(externalId) || (group.tagFilter.length > 0 && group.tagFilter.every((tag) => tags.has(tag)))) groups.add(group.name);
        }
        return { tags, groups };
      });
    },
  };
}

import { chunks } from '../../chunks.ts';
import type { HeraldContext } from '../../context/herald-context.ts';
import { publishInboxChange } from '../../deliveries/inbox-notifications.ts';
import { notFound } from '../../errors.ts';
import type { AnnouncementStatesTable, InboxItemsTable } from '../../storage/schema.ts';
import type { AnnouncementFeed, FeedAnnouncement } from './announcement-feed.ts';
import { decodeInboxCursor, encodeInboxCursor, isAfter, type InboxPosition } from './inbox-cursor.ts';
import { announcementEntry, itemEntry, type InboxEntry } from './inbox-entry.ts';
import type { InboxReadReceipt } from './inbox-read-receipt.ts';
import { inAudience, type SubscriberAudience } from './subscriber-audience.ts';

/** Whose inbox: every query is keyed by both, so nobody reaches another subscriber's entries. */
export interface InboxOwner {
  appId: string;
  subscriberId: string;
}

export const DEFAULT_INBOX_PAGE_LIMIT = 20;
export const MAX_INBOX_PAGE_LIMIT = 100;

export interface InboxListQuery {
  limit?: number;
  cursor?: string;
  /** "" for entries without a category (as counts name them). */
  category?: string;
  unread?: boolean;
  archived?: boolean;
}

export interface InboxCounts {
  unread: number;
  /** Unread unarchived entries per category; "" for entries without one. */
  byCategory: Record<string, number>;
}

export type InboxAction = 'read' | 'unread' | 'archive' | 'unarchive';

type StateRow = Pick<AnnouncementStatesTable, 'announcement_id' | 'read_at' | 'archived_at' | 'deleted_at'>;

/** A change notification must stay under the database's payload limit (PostgreSQL NOTIFY: 8000 bytes). */
const IDS_PER_CHANGE = 100;
/** Rows named per statement (bound parameter limits). */
const IDS_PER_STATEMENT = 500;
/** Subscribers read together when a change reaches many open inboxes. */
const SUBSCRIBERS_PER_READ = 500;

type AnnouncementWithState = { announcement: FeedAnnouncement; state: StateRow | undefined };

/** Counts from the unread private items per category and the subscriber's announcements with their state. */
function tally(itemCounts: ReadonlyArray<{ category: string | null; n: string | number }>, announcements: readonly AnnouncementWithState[]): InboxCounts {
  const byCategory: Record<string, number> = {};
  const add = (category: string | null, n: number) => (byCategory[category ?? ''] = (byCategory[category ?? ''] ?? 0) + n);
  for (const row of itemCounts) add(row.category, Number(row.n));
  for (const { announcement, state } of announcements) if (state?.read_at == null && state?.archived_at == null) add(announcement.row.category, 1);
  return { unread: Object.values(byCategory).reduce((sum, n) => sum + n, 0), byCategory };
}

const itemNotFound = (id: string) => notFound('INBOX_ITEM_NOT_FOUND', `No inbox entry ${id} for this subscriber`);

export type InboxService = ReturnType<typeof createInboxService>;

/**
 * A subscriber's inbox: their private items (inbox_items) merged with the app's visible
 * announcements for them, newest first. Announcement state rows exist only once the subscriber
 * acted; every change is published as a `states` inbox change for their other tabs.
 */
export function createInboxService(
  { database: { db }, clock, notifications }: HeraldContext,
  { feed, audience, readReceipt }: { feed: AnnouncementFeed; audience: SubscriberAudience; readReceipt: InboxReadReceipt },
) {
  /** Private items visible at `now`, of one subscriber (or of several, for live streams). */
  function visibleItems(owner: InboxOwner | { appId: string; subscriberIds: readonly string[] }, now: number) {
    const query = db.selectFrom('inbox_items').where('app_id', '=', owner.appId);
    return ('subscriberId' in owner ? query.where('subscriber_id', '=', owner.subscriberId) : query.where('subscriber_id', 'in', owner.subscriberIds))
      .where('valid_from', '<=', now)
      .where((eb) => eb.or([eb('valid_until', 'is', null), eb('valid_until', '>', now)]));
  }

  /** The visible announcements of the app a subscriber is in the audience of; their tags and groups are read only when some announcement is not for everybody. */
  async function audienceAnnouncements(appId: string, subscriberId: string, visible: FeedAnnouncement[]): Promise<FeedAnnouncement[]> {
    if (visible.every(({ audience }) => 'all' in audience)) return visible;
    const membership = await audience.membership(appId, subscriberId);
    return visible.filter((announcement) => inAudience(announcement.audience, membership));
  }

  /** Announcement states of several subscribers, for the announcements given: subscriber → announcement id → state. */
  async function statesOf(appId: string, subscriberIds: readonly string[], announcementIds: readonly string[]): Promise<Map<string, Map<string, StateRow>>> {
    const bySubscriber = new Map<string, Map<string, StateRow>>();
    if (announcementIds.length === 0 || subscriberIds.length === 0) return bySubscriber;
    const rows = await db
      .selectFrom('announcement_states')
      .select(['subscriber_id', 'announcement_id', 'read_at', 'archived_at', 'deleted_at'])
      .where('app_id', '=', appId)
      .where('subscriber_id', 'in', subscriberIds)
      .where('announcement_id', 'in', announcementIds)
      .execute();
    for (const row of rows) {
      let states = bySubscriber.get(row.subscriber_id);
      if (!states) bySubscriber.set(row.subscriber_id, (states = new Map()));
      states.set(row.announcement_id, row);
    }
    return bySubscriber;
  }

  /** The announcements with their state, deleted ones left out. */
  function withStates(announcements: FeedAnnouncement[], states: Map<string, StateRow> | undefined): AnnouncementWithState[] {
    return announcements.map((announcement) => ({ announcement, state: states?.get(announcement.row.id) })).filter(({ state }) => state?.deleted_at == null);
  }

  /** The announcements this subscriber sees now, with their state (deleted ones left out). */
  async function announcementsFor(owner: InboxOwner): Promise<AnnouncementWithState[]> {
    const mine = await audienceAnnouncements(owner.appId, owner.subscriberId, await feed.visible(owner.appId));
    const states = await statesOf(owner.appId, [owner.subscriberId], mine.map(({ row }) => row.id));
    return withStates(mine, states.get(owner.subscriberId));
  }

  async function announcementFor(owner: InboxOwner, id: string) {
    const found = (await announcementsFor(owner)).find(({ announcement }) => announcement.row.id === id);
    if (!found) throw itemNotFound(id);
    return found;
  }

  async function itemRow(owner: InboxOwner, id: string): Promise<InboxItemsTable> {
    const row = await visibleItems(owner, clock.now()).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw itemNotFound(id);
    return row;
  }

  async function upsertState(owner: InboxOwner, ids: readonly string[], set: Partial<Pick<AnnouncementStatesTable, 'read_at' | 'archived_at' | 'deleted_at'>>): Promise<void> {
    if (ids.length === 0) return;
    const rows = ids.map((id) => ({ announcement_id: id, app_id: owner.appId, subscriber_id: owner.subscriberId, read_at: null, archived_at: null, deleted_at: null, ...set }));
    await db
      .insertInto('announcement_states')
      .values(rows)
      .onConflict((conflict) => conflict.columns(['app_id', 'subscriber_id', 'announcement_id']).doUpdateSet(set))
      .execute();
  }

  function changed(owner: InboxOwner, ids: string[]): void {
    for (const chunk of chunks(ids, IDS_PER_CHANGE)) publishInboxChange(notifications, { kind: 'states', appId: owner.appId, subscriberId: owner.subscriberId, ids: chunk });
  }

  async function counts(owner: InboxOwner): Promise<InboxCounts> {
    const [rows, announcements] = await Promise.all([unreadItemCounts(owner, clock.now()), announcementsFor(owner)]);
    return tally(rows, announcements);
  }

  /** Unread unarchived visible private items per subscriber and category. */
  function unreadItemCounts(owner: InboxOwner | { appId: string; subscriberIds: readonly string[] }, now: number) {
    return visibleItems(owner, now)
      .select(['subscriber_id', 'category', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('read_at', 'is', null)
      .where('archived_at', 'is', null)
      .groupBy(['subscriber_id', 'category'])
      .execute();
  }

  return {
    /** A page of the inbox, newest first; `nextCursor` null on the last page. */
    async list(owner: InboxOwner, query: InboxListQuery): Promise<{ items: InboxEntry[]; nextCursor: string | null }> {
      const cursor = decodeInboxCursor(query.cursor);
      const limit = Math.min(query.limit ?? DEFAULT_INBOX_PAGE_LIMIT, MAX_INBOX_PAGE_LIMIT);
      const archived = query.archived ?? false;
      let items = visibleItems(owner, clock.now())
        .selectAll()
        .where('archived_at', archived ? 'is not' : 'is', null)
        .orderBy('valid_from', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1);
      if (query.category !== undefined) items = query.category === '' ? items.where('category', 'is', null) : items.where('category', '=', query.category);
      if (query.unread !== undefined) items = items.where('read_at', query.unread ? 'is' : 'is not', null);
      if (cursor) items = items.where((eb) => eb.or([eb('valid_from', '<', cursor.atMs), eb.and([eb('valid_from', '=', cursor.atMs), eb('id', '<', cursor.id)])]));
      const [itemRows, announcements] = await Promise.all([items.execute(), announcementsFor(owner)]);

      const merged: Array<InboxPosition & { entry: () => InboxEntry }> = [
        ...itemRows.map((row) => ({ atMs: row.valid_from, id: row.id, entry: () => itemEntry(row) })),
        ...announcements
          .filter(({ announcement: { row }, state }) => {
            if (query.category !== undefined && (row.category ?? '') !== query.category) return false;
            if (query.unread !== undefined && (state?.read_at == null) !== query.unread) return false;
            if ((state?.archived_at != null) !== archived) return false;
            return !cursor || isAfter({ atMs: row.publish_at, id: row.id }, cursor);
          })
          .map(({ announcement: { row }, state }) => ({ atMs: row.publish_at, id: row.id, entry: () => announcementEntry(row, state) })),
      ].sort((a, b) => b.atMs - a.atMs || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));

      const page = merged.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map(({ entry }) => entry()), nextCursor: merged.length > limit && last ? encodeInboxCursor(last) : null };
    },

    counts,

    /** The entries among `ids` this subscriber sees now (archived ones too); the others are gone for them or never were theirs. */
    async entries(owner: InboxOwner, ids: readonly string[]): Promise<InboxEntry[]> {
      const itemIds = ids.filter((id) => !id.startsWith('ann_'));
      const wanted = new Set(ids.filter((id) => id.startsWith('ann_')));
      const [itemRows, announcements] = await Promise.all([
        itemIds.length === 0 ? [] : visibleItems(owner, clock.now()).selectAll().where('id', 'in', itemIds).execute(),
        wanted.size === 0 ? [] : announcementsFor(owner),
      ]);
      return [
        ...itemRows.map(itemEntry),
        ...announcements.filter(({ announcement: { row } }) => wanted.has(row.id)).map(({ announcement: { row }, state }) => announcementEntry(row, state)),
      ];
    },

    /**
     * For many subscribers of one app at once (an announcement change reaching every open inbox):
     * each one's entries among `announcementIds` and their counts, in two queries per
     * SUBSCRIBERS_PER_READ subscribers (plus their tags and groups when an audience needs them).
     */
    async announcementChangeFor(appId: string, subscriberIds: readonly string[], announcementIds: readonly string[]): Promise<Map<string, { entries: InboxEntry[]; counts: InboxCounts }>> {
      const now = clock.now();
      const visible = await feed.visible(appId);
      const changed = new Set(announcementIds);
      const result = new Map<string, { entries: InboxEntry[]; counts: InboxCounts }>();
      for (const chunk of chunks(subscriberIds, SUBSCRIBERS_PER_READ)) {
        const [states, itemCounts] = await Promise.all([
          statesOf(appId, chunk, visible.map(({ row }) => row.id)),
          unreadItemCounts({ appId, subscriberIds: chunk }, now),
        ]);
        for (const subscriberId of chunk) {
          const announcements = withStates(await audienceAnnouncements(appId, subscriberId, visible), states.get(subscriberId));
          result.set(subscriberId, {
            entries: announcements.filter(({ announcement }) => changed.has(announcement.row.id)).map(({ announcement, state }) => announcementEntry(announcement.row, state)),
            counts: tally(itemCounts.filter((row) => row.subscriber_id === subscriberId), announcements),
          });
        }
      }
      return result;
    },

    /** Marks one entry read, unread, archived or unarchived; answers the entry after the change. */
    async mark(owner: InboxOwner, id: string, action: InboxAction): Promise<InboxEntry> {
      const column = action === 'read' || action === 'unread' ? 'read_at' : 'archived_at';
      const setting = action === 'read' || action === 'archive';
      const now = clock.now();
      // Marking again keeps the first time (only the first read acknowledges a delivery).
      const next = (current: number | null) => (setting ? (current ?? now) : null);
      let entry: InboxEntry;
      let current: number | null;
      if (id.startsWith('ann_')) {
        const { announcement, state } = await announcementFor(owner, id);
        current = state?.[column] ?? null;
        if (next(current) !== current) await upsertState(owner, [id], { [column]: next(current) });
        entry = announcementEntry(announcement.row, { read_at: state?.read_at ?? null, archived_at: state?.archived_at ?? null, [column]: next(current) });
      } else {
        const row = await itemRow(owner, id);
        current = row[column];
        if (next(current) !== current) {
          await db.updateTable('inbox_items').set({ [column]: next(current) }).where('id', '=', row.id).where('app_id', '=', owner.appId).where('subscriber_id', '=', owner.subscriberId).execute();
          if (action === 'read' && row.delivery_id !== null) await readReceipt.deliveriesRead(owner.appId, [row.delivery_id]);
        }
        entry = itemEntry({ ...row, [column]: next(current) });
      }
      if (next(current) !== current) changed(owner, [id]);
      return entry;
    },

    async delete(owner: InboxOwner, id: string): Promise<void> {
      if (id.startsWith('ann_')) {
        await announcementFor(owner, id);
        await upsertState(owner, [id], { deleted_at: clock.now() });
      } else {
        const deleted = await db.deleteFrom('inbox_items').where('id', '=', id).where('app_id', '=', owner.appId).where('subscriber_id', '=', owner.subscriberId).executeTakeFirst();
        if (deleted.numDeletedRows === 0n) throw itemNotFound(id);
      }
      changed(owner, [id]);
    },

    /** Marks every visible unread entry read (of one category when given); answers the counts after. */
    async readAll(owner: InboxOwner, category: string | undefined): Promise<InboxCounts> {
      const now = clock.now();
      let unreadItems = visibleItems(owner, now).select(['id', 'delivery_id']).where('read_at', 'is', null);
      if (category !== undefined) unreadItems = category === '' ? unreadItems.where('category', 'is', null) : unreadItems.where('category', '=', category);
      const items = await unreadItems.execute();
      for (const chunk of chunks(items, IDS_PER_STATEMENT)) {
        await db
          .updateTable('inbox_items')
          .set({ read_at: now })
          .where('app_id', '=', owner.appId)
          .where('subscriber_id', '=', owner.subscriberId)
          .where('id', 'in', chunk.map((item) => item.id))
          .where('read_at', 'is', null)
          .execute();
        await readReceipt.deliveriesRead(owner.appId, chunk.flatMap((item) => (item.delivery_id === null ? [] : [item.delivery_id])));
      }
      const announcements = (await announcementsFor(owner))
        .filter(({ announcement: { row }, state }) => state?.read_at == null && (category === undefined || (row.category ?? '') === category))
        .map(({ announcement: { row } }) => row.id);
      for (const chunk of chunks(announcements, IDS_PER_STATEMENT)) await upsertState(owner, chunk, { read_at: now });
      changed(owner, [...items.map((item) => item.id), ...announcements]);
      return counts(owner);
    },
  };
}

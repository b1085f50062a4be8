import type { AnnouncementsTable, AnnouncementStatesTable, InboxEntryContent, InboxItemsTable, InboxSeverity } from '../../storage/schema.ts';

/** One entry of a subscriber's inbox as the inbox API shows it: a private item or an announcement look the same. */
export interface InboxEntry {
  id: string;
  kind: 'message' | 'announcement';
  title: string;
  summary: string | null;
  bodyHtml: string | null;
  link: string | null;
  category: string | null;
  severity: InboxSeverity;
  actions: Array<{ label: string; url: string }>;
  data: Record<string, unknown>;
  /** When it became visible: an item's valid_from, an announcement's publish_at. */
  createdAt: string;
  validUntil: string | null;
  readAt: string | null;
  archivedAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What an entry shows, as the APIs write it: the same columns for items and announcements (InboxEntryContent). */
export function entryContent(row: InboxEntryContent): Pick<InboxEntry, 'title' | 'summary' | 'bodyHtml' | 'link' | 'category' | 'severity' | 'actions' | 'data'> {
  return {
    title: row.title,
    summary: row.summary,
    bodyHtml: row.body_html,
    link: row.link,
    category: row.category,
    severity: row.severity,
    actions: JSON.parse(row.actions) as InboxEntry['actions'],
    data: JSON.parse(row.data) as InboxEntry['data'],
  };
}

/** The two kinds differ in when they show and where their state is. */
function entry(
  kind: InboxEntry['kind'],
  row: InboxEntryContent,
  shownMs: { from: number; until: number | null },
  state: Pick<AnnouncementStatesTable, 'read_at' | 'archived_at'> | undefined,
): InboxEntry {
  return {
    id: row.id,
    kind,
    ...entryContent(row),
    createdAt: new Date(shownMs.from).toISOString(),
    validUntil: iso(shownMs.until),
    readAt: iso(state?.read_at ?? null),
    archivedAt: iso(state?.archived_at ?? null),
  };
}

export function itemEntry(row: InboxItemsTable): InboxEntry {
  return entry('message', row, { from: row.valid_from, until: row.valid_until }, row);
}

export function announcementEntry(row: AnnouncementsTable, state: Pick<AnnouncementStatesTable, 'read_at' | 'archived_at'> | undefined): InboxEntry {
  return entry('announcement', row, { from: row.publish_at, until: row.expires_at }, state);
}

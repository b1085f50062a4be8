import type { AnnouncementsTable, AnnouncementStatesTable, InboxItemsTable, InboxSeverity } from '../../storage/schema.ts';

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

export function itemEntry(row: InboxItemsTable): InboxEntry {
  return {
    id: row.id,
    kind: 'message',
    title: row.title,
    summary: row.summary,
    bodyHtml: row.body_html,
    link: row.link,
    category: row.category,
    severity: row.severity,
    actions: JSON.parse(row.actions) as InboxEntry['actions'],
    data: JSON.parse(row.data) as InboxEntry['data'],
    createdAt: new Date(row.valid_from).toISOString(),
    validUntil: iso(row.valid_until),
    readAt: iso(row.read_at),
    archivedAt: iso(row.archived_at),
  };
}

export function announcementEntry(row: AnnouncementsTable, state: Pick<AnnouncementStatesTable, 'read_at' | 'archived_at'> | undefined): InboxEntry {
  return {
    id: row.id,
    kind: 'announcement',
    title: row.title,
    summary: row.summary,
    bodyHtml: row.body_html,
    link: row.link,
    category: row.category,
    severity: row.severity,
    actions: JSON.parse(row.actions) as InboxEntry['actions'],
    data: JSON.parse(row.data) as InboxEntry['data'],
    createdAt: new Date(row.publish_at).toISOString(),
    validUntil: iso(row.expires_at),
    readAt: iso(state?.read_at ?? null),
    archivedAt: iso(state?.archived_at ?? null),
  };
}

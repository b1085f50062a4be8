import type { HeraldContext } from '../../context/herald-context.ts';
import { publishInboxChange } from '../../deliveries/inbox-notifications.ts';
import { conflict, invalid, notFound, unprocessable } from '../../errors.ts';
import { isId, newId } from '../../ids.ts';
import { isoTime } from '../../iso-time.ts';
import type { AnnouncementsTable } from '../../storage/schema.ts';
import { formatHtmlFragment } from '../../templates/formatters/html-formatter.ts';
import { parseMarkdown } from '../../templates/markdown-document.ts';
import { safeUrl } from '../../templates/safe-url.ts';
import { checkCursor } from '../page-cursor.ts';
import { entryContent } from './inbox-entry.ts';
import {
  MAX_ANNOUNCEMENT_DATA_BYTES,
  type AnnouncementAction,
  type AnnouncementAudience,
  type AnnouncementInput,
  type AnnouncementPatch,
  type AnnouncementStatus,
  type AnnouncementView,
} from './announcement-schema.ts';

/**
 * Announcements (`/v1/announcements`): one message to a whole audience of an app's inboxes,
 * stored as one row however large the audience; who sees it is decided when a subscriber reads
 * (the inbox feed). This is the admin side: create, list, read, edit, withdraw. The status is
 * never stored: it is read from the clock against publishAt, expiresAt and withdrawnAt.
 */

export const DEFAULT_ANNOUNCEMENT_PAGE_LIMIT = 50;
export const MAX_ANNOUNCEMENT_PAGE_LIMIT = 200;

export interface AnnouncementPage {
  items: AnnouncementView[];
  nextCursor: string | null;
}

export type AnnouncementService = ReturnType<typeof createAnnouncementService>;

const HTTP_SCHEMES = ['http', 'https'];

function statusAt(row: Pick<AnnouncementsTable, 'publish_at' | 'expires_at' | 'withdrawn_at'>, nowMs: number): AnnouncementStatus {
  if (row.withdrawn_at !== null) return 'withdrawn';
  if (row.expires_at !== null && row.expires_at <= nowMs) return 'expired';
  return row.publish_at <= nowMs ? 'live' : 'scheduled';
}

function httpUrl(url: string, field: string): string {
  const safe = safeUrl(url, HTTP_SCHEMES);
  if (safe === undefined) throw invalid('ANNOUNCEMENT_URL_INVALID', `${field}: "${url.slice(0, 200)}" is not an absolute http or https URL`, { field });
  return safe;
}

function timeOf(value: string, field: string): number {
  const ms = Date.parse(value);
  // RFC 3339 allows a leap second (23:59:60), which Date cannot hold.
  if (Number.isNaN(ms)) throw invalid('ANNOUNCEMENT_TIME_INVALID', `${field}: "${value}" is not a time Herald can read; use e.g. 2026-02-01T08:00:00+08:00`, { field });
  return ms;
}

function titleOf(title: string): string {
  const trimmed = title.trim();
  if (trimmed === '') throw invalid('ANNOUNCEMENT_TITLE_EMPTY', 'title: give the announcement a title that is not only spaces', { field: 'title' });
  return trimmed;
}

function actionsOf(actions: readonly AnnouncementAction[]): string {
  return JSON.stringify(actions.map((action, index) => ({ label: action.label, url: httpUrl(action.url, `actions.${index}.url`) })));
}

function dataOf(data: Record<string, unknown>): string {
  const json = JSON.stringify(data);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > MAX_ANNOUNCEMENT_DATA_BYTES) {
    throw invalid('ANNOUNCEMENT_DATA_TOO_LARGE', `data: ${bytes} bytes as JSON, at most ${MAX_ANNOUNCEMENT_DATA_BYTES}; keep only what the widget shows and link to the rest`, { field: 'data' });
  }
  return json;
}

/** The Markdown as written and its HTML, rendered once here (raw HTML and unsafe links are dropped). */
function bodyOf(markdown: string | null): Pick<AnnouncementsTable, 'body_markdown' | 'body_html'> {
  if (markdown === null || markdown.trim() === '') return { body_markdown: null, body_html: null };
  try {
    return { body_markdown: markdown, body_html: formatHtmlFragment(parseMarkdown(markdown)) };
  } catch (error) {
    // The Markdown parser recurses once per nesting level: thousands of nested quotes or lists overflow the stack.
    if (!(error instanceof RangeError)) throw error;
    throw invalid('ANNOUNCEMENT_BODY_TOO_DEEP', 'body: the Markdown nests quotes or lists too deeply to render; flatten it', { field: 'body' });
  }
}

function checkExpiry(publishAtMs: number, expiresAtMs: number | null, nowMs: number): void {
  if (expiresAtMs === null) return;
  if (expiresAtMs <= publishAtMs) {
    throw invalid('ANNOUNCEMENT_EXPIRY_INVALID', `expiresAt: ${isoTime(expiresAtMs)} is not after publishAt ${isoTime(publishAtMs)}; an announcement expires after it is published`, { field: 'expiresAt' });
  }
  if (expiresAtMs <= nowMs) throw invalid('ANNOUNCEMENT_EXPIRY_INVALID', `expiresAt: ${isoTime(expiresAtMs)} has passed; give a time to come, or withdraw the announcement`, { field: 'expiresAt' });
}

const withdrawn = (row: AnnouncementsTable) =>
  conflict('ANNOUNCEMENT_WITHDRAWN', `Announcement ${row.id} was withdrawn on ${isoTime(row.withdrawn_at ?? row.updated_at)}; it cannot change any more: create a new one instead`, { id: row.id });

const emptyToNull = (value: string | null | undefined): string | null => (value === undefined || value === null || value.trim() === '' ? null : value);

export function createAnnouncementService({ database: { db }, clock, notifications }: HeraldContext) {
  function view(row: AnnouncementsTable): AnnouncementView {
    return {
      id: row.id,
      ...entryContent(row),
      body: row.body_markdown,
      audience: JSON.parse(row.audience) as AnnouncementAudience,
      publishAt: isoTime(row.publish_at),
      expiresAt: isoTime(row.expires_at),
      withdrawnAt: isoTime(row.withdrawn_at),
      status: statusAt(row, clock.now()),
      createdAt: isoTime(row.created_at),
      updatedAt: isoTime(row.updated_at),
    };
  }

  /** The audience as stored; a group must exist now (its members are read when subscribers read). */
  async function audienceOf(appId: string, audience: AnnouncementAudience): Promise<string> {
    if ('group' in audience) {
      const group = await db.selectFrom('receiver_groups').select('id').where('app_id', '=', appId).where('name', '=', audience.group).executeTakeFirst();
      if (!group) throw unprocessable('RECEIVER_GROUP_NOT_FOUND', `audience.group: no receiver group "${audience.group}" in this app; create it under /v1/receiver-groups first`, { field: 'audience.group' });
      return JSON.stringify({ group: audience.group });
    }
    if ('tags' in audience) return JSON.stringify({ tags: [...new Set(audience.tags)] });
    return JSON.stringify({ all: true });
  }

  async function find(appId: string, id: string): Promise<AnnouncementsTable> {
    const row = await db.selectFrom('announcements').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('ANNOUNCEMENT_NOT_FOUND', `This app has no announcement ${id}`, { id });
    return row;
  }

  function changed(appId: string, id: string): void {
    publishInboxChange(notifications, { kind: 'announcements', appId, ids: [id] });
  }

  return {
    /** One row for the whole audience: publishing costs the same for ten subscribers or a million. */
    async create(appId: string, input: AnnouncementInput): Promise<AnnouncementView> {
      const nowMs = clock.now();
      const publishAtMs = input.publishAt === undefined ? nowMs : timeOf(input.publishAt, 'publishAt');
      const expiresAtMs = input.expiresAt === undefined ? null : timeOf(input.expiresAt, 'expiresAt');
      checkExpiry(publishAtMs, expiresAtMs, nowMs);
      const row: AnnouncementsTable = {
        id: newId('ann', nowMs),
        app_id: appId,
        audience: await audienceOf(appId, input.audience),
        title: titleOf(input.title),
        summary: emptyToNull(input.summary),
        ...bodyOf(input.body ?? null),
        link: input.link === undefined ? null : httpUrl(input.link, 'link'),
        category: input.category ?? null,
        severity: input.severity ?? 'info',
        actions: actionsOf(input.actions ?? []),
        data: dataOf(input.data ?? {}),
        publish_at: publishAtMs,
        expires_at: expiresAtMs,
        withdrawn_at: null,
        created_at: nowMs,
        updated_at: nowMs,
      };
      await db.insertInto('announcements').values(row).execute();
      changed(appId, row.id);
      return view(row);
    },

    /** Newest first (ids are time-ordered); `cursor` is the previous page's `nextCursor`. */
    async list(appId: string, page: { status?: AnnouncementStatus; cursor?: string; limit?: number } = {}): Promise<AnnouncementPage> {
      checkCursor(page.cursor, (cursor) => isId('ann', cursor));
      const limit = Math.min(page.limit ?? DEFAULT_ANNOUNCEMENT_PAGE_LIMIT, MAX_ANNOUNCEMENT_PAGE_LIMIT);
      const nowMs = clock.now();
      let query = db.selectFrom('announcements').selectAll().where('app_id', '=', appId);
      if (page.cursor !== undefined) query = query.where('id', '<', page.cursor);
      // The same precedence as statusAt, as conditions: withdrawn > expired > live > scheduled.
      if (page.status === 'withdrawn') query = query.where('withdrawn_at', 'is not', null);
      else if (page.status !== undefined) {
        query = query.where('withdrawn_at', 'is', null);
        if (page.status === 'expired') query = query.where('expires_at', '<=', nowMs);
        else {
          query = query.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', nowMs)]));
          query = query.where('publish_at', page.status === 'live' ? '<=' : '>', nowMs);
        }
      }
      const rows = await query.orderBy('id', 'desc').limit(limit + 1).execute();
      const items = rows.slice(0, limit).map(view);
      return { items, nextCursor: rows.length > limit ? items.at(-1)!.id : null };
    },

    async get(appId: string, id: string): Promise<AnnouncementView> {
      return view(await find(appId, id));
    },

    /** Changes what is given (null clears an optional field); a withdrawn announcement stays as it was withdrawn. */
    async update(appId: string, id: string, patch: AnnouncementPatch): Promise<AnnouncementView> {
      const current = await find(appId, id);
      if (current.withdrawn_at !== null) throw withdrawn(current);
      const nowMs = clock.now();
      const set: Partial<AnnouncementsTable> = { updated_at: nowMs };
      if (patch.title !== undefined) set.title = titleOf(patch.title);
      if (patch.summary !== undefined) set.summary = emptyToNull(patch.summary);
      if (patch.body !== undefined) Object.assign(set, bodyOf(patch.body));
      if (patch.link !== undefined) set.link = patch.link === null ? null : httpUrl(patch.link, 'link');
      if (patch.category !== undefined) set.category = patch.category;
      if (patch.severity !== undefined) set.severity = patch.severity;
      if (patch.actions !== undefined) set.actions = actionsOf(patch.actions);
      if (patch.data !== undefined) set.data = dataOf(patch.data);
      if (patch.audience !== undefined) set.audience = await audienceOf(appId, patch.audience);
      if (patch.publishAt !== undefined) set.publish_at = timeOf(patch.publishAt, 'publishAt');
      if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt === null ? null : timeOf(patch.expiresAt, 'expiresAt');
      // Only a new time is checked: an expired announcement may still have its text corrected.
      if (patch.publishAt !== undefined || patch.expiresAt !== undefined) checkExpiry(set.publish_at ?? current.publish_at, set.expires_at === undefined ? current.expires_at : set.expires_at, nowMs);
      const row = await db.updateTable('announcements').set(set).where('app_id', '=', appId).where('id', '=', id).where('withdrawn_at', 'is', null).returningAll().executeTakeFirst();
      // Withdrawn (or deleted with its app) since it was read.
      if (!row) throw withdrawn(await find(appId, id));
      changed(appId, id);
      return view(row);
    },

    /** Gone from every inbox at once; withdrawing again changes nothing. */
    async withdraw(appId: string, id: string): Promise<AnnouncementView> {
      const current = await find(appId, id);
      if (current.withdrawn_at !== null) return view(current);
      const nowMs = clock.now();
      const row = await db.updateTable('announcements').set({ withdrawn_at: nowMs, updated_at: nowMs }).where('app_id', '=', appId).where('id', '=', id).where('withdrawn_at', 'is', null).returningAll().executeTakeFirst();
      if (!row) return view(await find(appId, id));
      changed(appId, id);
      return view(row);
    },
  };
}

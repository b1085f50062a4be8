import type { HeraldContext } from '../../context/herald-context.ts';
import { invalid } from '../../errors.ts';
import { isId, newId } from '../../ids.ts';
import type { AuditLogTable } from '../../storage/schema.ts';
import { checkCursor } from '../page-cursor.ts';
import { maskForAudit } from './audit-masking.ts';

export type AuditActorKind = AuditLogTable['actor_kind'];

/** One change to record; the snapshots are masked here, whatever the caller passes. */
export interface AuditEntry {
  appId: string | undefined;
  actor: string;
  actorKind: AuditActorKind;
  /** The console user's email, kept so the row reads well after the user is gone. */
  actorEmail?: string;
  action: string;
  target: string;
  address: string | undefined;
  requestId: string;
  before: unknown;
  after: unknown;
}

export interface AuditRecordView {
  id: string;
  at: string;
  appId: string | null;
  actor: string;
  actorKind: AuditActorKind;
  actorEmail: string | null;
  action: string;
  target: string;
  address: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditSearch {
  /** Only this app's rows; undefined searches every app and the console-wide rows. */
  appId?: string;
  actor?: string;
  target?: string;
  action?: string;
  /** Inclusive bounds in epoch milliseconds. */
  fromMs?: number;
  toMs?: number;
  cursor?: string;
  limit?: number;
}

export const DEFAULT_AUDIT_PAGE_LIMIT = 50;
export const MAX_AUDIT_PAGE_LIMIT = 200;

export type AuditLogService = ReturnType<typeof createAuditLogService>;

const asJson = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(maskForAudit(value)));

function toView(row: AuditLogTable): AuditRecordView {
  const detail = row.detail === null ? {} : (JSON.parse(row.detail) as { requestId?: string; actorEmail?: string });
  return {
    id: row.id,
    at: new Date(Number(row.at)).toISOString(),
    appId: row.app_id,
    actor: row.actor,
    actorKind: row.actor_kind,
    actorEmail: detail.actorEmail ?? null,
    action: row.action,
    target: row.target,
    address: row.address,
    requestId: detail.requestId ?? null,
    before: row.before_json === null ? null : JSON.parse(row.before_json),
    after: row.after_json === null ? null : JSON.parse(row.after_json),
  };
}

/** Who changed what, when and from where: written by the HTTP edge after each successful change, searched newest first. */
export function createAuditLogService({ database: { db }, clock }: HeraldContext) {
  return {
    async record(entry: AuditEntry): Promise<void> {
      const at = clock.now();
      await db
        .insertInto('audit_log')
        .values({
          id: newId('aud', at),
          at,
          app_id: entry.appId ?? null,
          actor: entry.actor,
          actor_kind: entry.actorKind,
          action: entry.action,
          target: entry.target,
          address: entry.address ?? null,
          detail: JSON.stringify({ requestId: entry.requestId, ...(entry.actorEmail === undefined ? {} : { actorEmail: entry.actorEmail }) }),
          before_json: asJson(entry.before),
          after_json: asJson(entry.after),
        })
        .execute();
    },

    /** Newest first; `cursor` is the previous page's `nextCursor`. */
    async search(filter: AuditSearch): Promise<{ items: AuditRecordView[]; nextCursor: string | null }> {
      if (filter.fromMs !== undefined && filter.toMs !== undefined && filter.fromMs > filter.toMs) {
        throw invalid('AUDIT_RANGE_INVALID', 'from: must not be later than to', { field: 'from' });
      }
      checkCursor(filter.cursor, (cursor) => isId('aud', cursor));
      const limit = Math.min(filter.limit ?? DEFAULT_AUDIT_PAGE_LIMIT, MAX_AUDIT_PAGE_LIMIT);
      let query = db.selectFrom('audit_log').selectAll();
      if (filter.appId !== undefined) query = query.where('app_id', '=', filter.appId);
      if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
      if (filter.target !== undefined) query = query.where('target', '=', filter.target);
      if (filter.action !== undefined) query = query.where('action', '=', filter.action);
      if (filter.fromMs !== undefined) query = query.where('at', '>=', filter.fromMs);
      if (filter.toMs !== undefined) query = query.where('at', '<=', filter.toMs);
      if (filter.cursor !== undefined) query = query.where('id', '<', filter.cursor);
      const rows = await query.orderBy('id', 'desc').limit(limit + 1).execute();
      const items = rows.slice(0, limit).map(toView);
      return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
    },
  };
}

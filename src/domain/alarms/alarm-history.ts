import type { HeraldContext } from '../../context/herald-context.ts';
import { invalid, notFound } from '../../errors.ts';
import { isId } from '../../ids.ts';
import { isoTime } from '../../iso-time.ts';
import type { AlarmsTable } from '../../storage/schema.ts';
import { checkCursor } from '../page-cursor.ts';

/** Alarm history (`/v1/alarms`): every alarm the app's rules fired, open or resolved, newest first. */

export const DEFAULT_ALARM_PAGE_LIMIT = 50;
export const MAX_ALARM_PAGE_LIMIT = 200;

export interface AlarmView {
  id: string;
  ruleId: string;
  ruleName: string;
  kind: string;
  /** `account:<id>`, `channel:<name>`, `app`, `callbacks`. */
  subject: string;
  subjectLabel: string;
  status: 'open' | 'resolved';
  /** The measured value when the condition last held. */
  value: number | null;
  /** What the messages said: the value and threshold as text, the window, ... */
  detail: Record<string, unknown>;
  firedAt: string;
  /** While open: since when the condition has been clear (it resolves after the rule's hold-down). */
  clearSince: string | null;
  resolvedAt: string | null;
  firedMessageId: string | null;
  resolvedMessageId: string | null;
}

export interface AlarmFilter {
  status?: 'open' | 'resolved';
  rule?: string;
  /** RFC 3339: alarms fired at or after. */
  since?: string;
  cursor?: string;
  limit?: number;
}

export type AlarmHistory = ReturnType<typeof createAlarmHistory>;

function view(row: AlarmsTable): AlarmView {
  return {
    id: row.id,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    kind: row.kind,
    subject: row.subject,
    subjectLabel: row.subject_label,
    status: row.status,
    value: row.value === null ? null : Number(row.value),
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    firedAt: isoTime(row.fired_at),
    clearSince: isoTime(row.clear_since),
    resolvedAt: isoTime(row.resolved_at),
    firedMessageId: row.fired_message_id,
    resolvedMessageId: row.resolved_message_id,
  };
}

export function createAlarmHistory({ database: { db } }: HeraldContext) {
  return {
    async list(appId: string, filter: AlarmFilter): Promise<{ items: AlarmView[]; nextCursor: string | null }> {
      checkCursor(filter.cursor, (cursor) => isId('alm', cursor));
      const limit = Math.min(filter.limit ?? DEFAULT_ALARM_PAGE_LIMIT, MAX_ALARM_PAGE_LIMIT);
      let query = db.selectFrom('alarms').selectAll().where('app_id', '=', appId);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (filter.rule !== undefined) query = query.where('rule_id', '=', filter.rule);
      if (filter.since !== undefined) {
        const sinceMs = Date.parse(filter.since);
        if (Number.isNaN(sinceMs)) throw invalid('ALARM_SINCE_INVALID', `since: "${filter.since}" is not a time Herald can read; use e.g. 2026-02-01T08:00:00+08:00`, { field: 'since' });
        query = query.where('fired_at', '>=', sinceMs);
      }
      if (filter.cursor !== undefined) query = query.where('id', '<', filter.cursor);
      const rows = await query.orderBy('id', 'desc').limit(limit + 1).execute();
      const items = rows.slice(0, limit).map(view);
      return { items, nextCursor: rows.length > limit ? items.at(-1)!.id : null };
    },

    async get(appId: string, id: string): Promise<AlarmView> {
      const row = await db.selectFrom('alarms').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('ALARM_NOT_FOUND', `This app has no alarm ${id}`, { id });
      return view(row);
    },
  };
}

import { checkCursor } from '../page-cursor.ts';

/** Where a page of an inbox ends: entries sort newest first by (visible-from time, id). */
export interface InboxPosition {
  atMs: number;
  id: string;
}

export function encodeInboxCursor(position: InboxPosition): string {
  return Buffer.from(JSON.stringify([position.atMs, position.id])).toString('base64url');
}

function decode(cursor: string): InboxPosition | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') return { atMs: value[0] as number, id: value[1] };
  } catch {
    return undefined;
  }
  return undefined;
}

/** The position a cursor names; a cursor that is no nextCursor of an inbox list is a 400 INVALID_CURSOR. */
export function decodeInboxCursor(cursor: string | undefined): InboxPosition | undefined {
  checkCursor(cursor, (given) => decode(given) !== undefined);
  return cursor === undefined ? undefined : decode(cursor);
}

/** Whether `position` comes after `cursor` in newest-first order. */
export function isAfter(position: InboxPosition, cursor: InboxPosition): boolean {
  return position.atMs < cursor.atMs || (position.atMs === cursor.atMs && position.id < cursor.id);
}

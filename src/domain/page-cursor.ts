import { invalid } from '../errors.ts';

/**
 * A list's `cursor` is the `nextCursor` of its previous page. Anything else is a mistake to
 * report, not a reason to answer the first page as if no cursor had been given.
 */
export function checkCursor<Cursor extends string | number>(cursor: Cursor | undefined, isValid: (cursor: Cursor) => boolean): void {
  if (cursor !== undefined && !isValid(cursor)) {
    throw invalid('INVALID_CURSOR', `cursor: "${cursor}" is not a nextCursor of this list; pass the previous page's nextCursor, or no cursor for the first page`, { field: 'cursor' });
  }
}

import type { Kysely } from 'kysely';
import type { HeraldSchema } from './schema.ts';

/**
 * Inserts `row` unless another row already holds its values of the unique `columns` (a name,
 * an e-mail, a code); then throws what `taken` makes, typically a 409 naming the field. The
 * database decides (`ON CONFLICT DO NOTHING`), so of two requests racing for one name exactly
 * one wins, and no check-then-insert window is left.
 */
export async function insertUnique<T extends keyof HeraldSchema>(
  executor: Kysely<HeraldSchema>,
  table: T,
  row: HeraldSchema[T],
  columns: ReadonlyArray<keyof HeraldSchema[T] & string>,
  taken: () => Error,
): Promise<void> {
  // Kysely cannot type an insert into a table chosen by a type parameter; the signature above carries the types.
  const untyped = executor as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const result = await untyped
    .insertInto(table)
    .values(row as unknown as Record<string, unknown>)
    .onConflict((conflict) => conflict.columns([...columns]).doNothing())
    .executeTakeFirst();
  if (result.numInsertedOrUpdatedRows === 0n) throw taken();
}

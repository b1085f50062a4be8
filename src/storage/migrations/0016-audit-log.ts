import type { Kysely } from 'kysely';

/**
 * The audit log is written (issue 14): every change through the signed API or the console names
 * its app (null for console-wide changes such as users), who made it (a console user or an access
 * key), from which address, and JSON snapshots before and after with secrets masked.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('app_id', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('actor_kind', 'text', (c) => c.notNull().defaultTo('user')).execute();
  await db.schema.alterTable('audit_log').addColumn('address', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('before_json', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('after_json', 'text').execute();
  // Searches page newest first by id, within an app or across all; by target and by actor.
  await db.schema.createIndex('audit_log_app').on('audit_log').columns(['app_id', 'id']).execute();
  await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target', 'id']).execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor', 'id']).execute();
}

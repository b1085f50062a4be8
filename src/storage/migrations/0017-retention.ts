import { type Kysely } from 'kysely';

/**
 * Retention (issue 14): one leased row that a scheduler process holds while it purges, so the
 * purge runs in one process at a time; and the indexes its deletes by message go through.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('retention_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('last_run_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // Due at once: the first scheduler to poll purges what older versions kept.
  await db.insertInto('retention_runs').values({ id: 'retention', status: 'waiting', run_at: 0, updated_at: 0 }).execute();
  await db.schema.createIndex('messages_app_updated').on('messages').columns(['app_id', 'updated_at', 'id']).execute();
  await db.schema.createIndex('message_tags_message').on('message_tags').column('message_id').execute();
  await db.schema.createIndex('callbacks_message').on('callbacks').column('message_id').execute();
  await db.schema.createIndex('digest_items_message').on('digest_items').column('message_id').execute();
  await db.schema.createIndex('inbox_items_valid_until').on('inbox_items').column('valid_until').execute();
}

import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/**
 * The in-app message center (issue 13). `inbox_items`: one row per inbox delivery, owned by one
 * subscriber (the app's external id). `announcements`: one row per announcement however large its
 * audience; `announcement_states` holds a subscriber's read / archived / deleted state, written
 * only when that subscriber acts. `apps.inbox_secret_enc` signs subscriber hashes and tokens.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('apps').addColumn('inbox_secret_enc', 'text').execute();
  await db.schema
    .createTable('inbox_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.unique())
    .addColumn('message_id', 'text')
    .$call(entryContentColumns)
    .addColumn('valid_from', 'bigint', (c) => c.notNull())
    .addColumn('valid_until', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .addColumn('archived_at', 'bigint')
    .execute();
  // Lists page by (valid_from, id) newest first; counts read the unread rows of one subscriber.
  await db.schema.createIndex('inbox_items_subscriber').on('inbox_items').columns(['app_id', 'subscriber_id', 'valid_from', 'id']).execute();
  await db.schema
    .createIndex('inbox_items_unread')
    .on('inbox_items')
    .columns(['app_id', 'subscriber_id', 'category'])
    .where(sql.ref('read_at'), 'is', null)
    .execute();
  await db.schema
    .createTable('announcements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('body_markdown', 'text')
    .$call(entryContentColumns)
    .addColumn('publish_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('withdrawn_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('announcements_app').on('announcements').columns(['app_id', 'publish_at']).execute();
  await db.schema
    .createTable('announcement_states')
    .addColumn('announcement_id', 'text', (c) => c.notNull().references('announcements.id').onDelete('cascade'))
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('subscriber_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .addColumn('archived_at', 'bigint')
    .addColumn('deleted_at', 'bigint')
    .addPrimaryKeyConstraint('announcement_states_pk', ['app_id', 'subscriber_id', 'announcement_id'])
    .execute();
}

/** What an entry shows, the same for private items and announcements (schema.ts InboxEntryContent). */
function entryContentColumns<Name extends string>(table: CreateTableBuilder<Name>): CreateTableBuilder<Name> {
  return table
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('body_html', 'text')
    .addColumn('link', 'text')
    .addColumn('category', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull());
}

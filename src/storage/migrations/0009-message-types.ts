import type { Kysely } from 'kysely';

/**
 * Message types (a business event's code, category, urgency, channels, template, receivers and
 * policy settings), receiver groups (static members and/or a tag filter), subscribers' tags (a
 * table of their own, so a tag filter is an indexed join), subscribers' preferences (opt-outs),
 * and the type code of each message, so the search can filter by type.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('message_types')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('urgency', 'text', (c) => c.notNull())
    .addColumn('critical', 'integer', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('template_code', 'text')
    .addColumn('receivers', 'text', (c) => c.notNull())
    .addColumn('policies', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('message_types_app_code', ['app_id', 'code'])
    .execute();
  await db.schema
    .createTable('receiver_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('members', 'text', (c) => c.notNull())
    .addColumn('tag_filter', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('receiver_groups_app_name', ['app_id', 'name'])
    .execute();
  await db.schema
    .createTable('subscriber_tags')
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('subscriber_tags_pk', ['subscriber_id', 'tag'])
    .execute();
  await db.schema.createIndex('subscriber_tags_app_tag').on('subscriber_tags').columns(['app_id', 'tag']).execute();
  await db.schema
    .createTable('subscriber_preferences')
    .addColumn('subscriber_id', 'text', (c) => c.primaryKey().references('subscribers.id').onDelete('cascade'))
    .addColumn('preferences', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('messages').addColumn('type_code', 'text').execute();
  await db.schema.createIndex('messages_app_type').on('messages').columns(['app_id', 'type_code', 'id']).execute();
}

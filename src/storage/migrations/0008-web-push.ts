import type { Kysely } from 'kysely';

/**
 * Web Push: the browsers' push subscriptions, one row per endpoint of an app (a browser that
 * subscribes again, or for another subscriber, replaces its row), and each app's VAPID key pair,
 * the private key encrypted like every other secret.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('push_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('subscriber_id', 'text', (c) => c.notNull().references('subscribers.id').onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) => c.notNull())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('push_subscriptions_app_endpoint', ['app_id', 'endpoint'])
    .execute();
  await db.schema.createIndex('push_subscriptions_subscriber').on('push_subscriptions').column('subscriber_id').execute();
  await db.schema
    .createTable('vapid_keys')
    .addColumn('app_id', 'text', (c) => c.primaryKey().references('apps.id').onDelete('cascade'))
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_key_enc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

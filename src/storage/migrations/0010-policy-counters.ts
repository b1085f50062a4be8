import type { Kysely } from 'kysely';

/**
 * Counters of the accept-time policies that count across processes (dedup, frequency caps):
 * one row per counted key (a hash naming the app, type, channel, receiver address and, for
 * dedup, the content), holding how many were let through in its current window.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('policy_counters')
    .addColumn('counter_key', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('max_count', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('policy_counters_window_end').on('policy_counters').column('window_ends_at').execute();
  await db.schema.createIndex('policy_counters_app').on('policy_counters').column('app_id').execute();
}

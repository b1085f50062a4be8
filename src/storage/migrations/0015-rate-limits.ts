import type { Kysely } from 'kysely';

/**
 * Token buckets shared by every API process: one row per bucket (an app's `send` or `manage`
 * bucket, a client address's login attempts). `tokens` is the level at `refilled_at`; `taken`
 * is what the last statement handed out, so one upsert both decides and reports.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_buckets')
    .addColumn('bucket_key', 'text', (c) => c.primaryKey())
    .addColumn('tokens', 'double precision', (c) => c.notNull())
    .addColumn('taken', 'double precision', (c) => c.notNull())
    .addColumn('refilled_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_buckets_refilled').on('rate_buckets').column('refilled_at').execute();
}

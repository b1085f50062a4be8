import { sql, type Kysely } from 'kysely';

/**
 * Digests (issue 12): events of a message type with `digest` collect in an open bucket per
 * (type, receiver, channel, digest key) until the bucket's window ends, then go out as one
 * message. A bucket is a leased queue (see src/dispatch/leased-queue.ts): `run_at` holds its
 * flush time while it waits, and the scheduler that flushes it leases it. `open_key` is set
 * while events may still join it (unique: one open bucket per key) and cleared by the claim.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('digest_buckets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('type_code', 'text', (c) => c.notNull())
    .addColumn('open_key', 'text', (c) => c.unique())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('template_code', 'text', (c) => c.notNull())
    .addColumn('events', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('flush_at', 'bigint', (c) => c.notNull())
    .addColumn('run_at', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('digest_message_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('digest_buckets_due').on('digest_buckets').column('run_at').where(sql.ref('run_at'), 'is not', null).execute();
  await db.schema
    .createTable('digest_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bucket_id', 'text', (c) => c.notNull().references('digest_buckets.id').onDelete('cascade'))
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('digest_items_bucket').on('digest_items').columns(['bucket_id', 'at']).execute();
}

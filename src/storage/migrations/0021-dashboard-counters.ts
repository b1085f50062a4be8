import { type Kysely } from 'kysely';

/**
 * The dashboard's per-minute counters (issue 15), written buffered like the outcome counters:
 * deliveries accepted per app and channel (counted by the processes that accept), and a
 * histogram of accept-to-sent latency per app and channel (counted from the workers' sent events),
 * one row per latency bucket that saw a send. The stats routes read primary-key ranges of these,
 * never deliveries or events.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('accept_counters')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('bucket_start', 'bigint', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('accept_counters_pk', ['app_id', 'channel', 'bucket_start'])
    .execute();
  await db.schema.createIndex('accept_counters_bucket').on('accept_counters').column('bucket_start').execute();

  await db.schema
    .createTable('latency_counters')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('bucket_start', 'bigint', (c) => c.notNull())
    // The latency bucket's lower bound: the bucket holds sends that took from_ms up to the next bound.
    .addColumn('from_ms', 'bigint', (c) => c.notNull())
    .addColumn('sent', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('latency_counters_pk', ['app_id', 'channel', 'bucket_start', 'from_ms'])
    .execute();
  await db.schema.createIndex('latency_counters_bucket').on('latency_counters').column('bucket_start').execute();
}

import { sql, type Kysely } from 'kysely';

/**
 * Schedules: a stored send request run on a cron expression or once at a time. The table is a
 * leased queue (see src/dispatch/leased-queue.ts): `run_at` is set while the next tick waits,
 * and a scheduler process leases the row while it runs that tick.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('cron', 'text')
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('once_at', 'bigint')
    .addColumn('missed_ticks', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('tick_at', 'bigint')
    .addColumn('tick_claimed_at', 'bigint')
    .addColumn('run_at', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('runs', 'integer', (c) => c.notNull())
    .addColumn('last_tick_at', 'bigint')
    .addColumn('last_outcome', 'text')
    .addColumn('last_message_id', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('schedules_app_name', ['app_id', 'name'])
    .execute();
  await db.schema.createIndex('schedules_due').on('schedules').column('run_at').where(sql.ref('run_at'), 'is not', null).execute();
}

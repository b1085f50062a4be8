import { type Kysely } from 'kysely';

/**
 * Provider quotas (issue 14): an account's configured quota and its exhaustion mark on the
 * account row (the worker has the row loaded anyway, so an account without either costs no
 * query), usage counted per account and period, what the platform last reported, and one
 * leased row that a scheduler process holds while it reads the platforms' quotas.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channel_accounts').addColumn('quota', 'text').execute();
  await db.schema.alterTable('channel_accounts').addColumn('quota_exhausted', 'text').execute();
  await db.schema
    .createTable('account_quota_usage')
    .addColumn('channel_account_id', 'text', (c) => c.notNull())
    .addColumn('period_start', 'bigint', (c) => c.notNull())
    .addColumn('used', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_quota_usage_pk', ['channel_account_id', 'period_start'])
    .execute();
  await db.schema
    .createTable('account_quota_readings')
    .addColumn('channel_account_id', 'text', (c) => c.primaryKey())
    .addColumn('reported_limit', 'bigint')
    .addColumn('reported_used', 'bigint')
    .addColumn('reported_remaining', 'bigint')
    .addColumn('read_at', 'bigint')
    .addColumn('error_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('error_at', 'bigint')
    .execute();
  await db.schema
    .createTable('quota_read_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('last_run_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('quota_read_runs').values({ id: 'quota-read', status: 'waiting', run_at: 0, updated_at: 0 }).execute();
}

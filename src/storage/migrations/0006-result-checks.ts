import { sql, type Kysely } from 'kysely';

/**
 * Result checks: one row per provider call whose platform reports per-recipient results later
 * (DingTalk work notice getsendresult), a leased queue the result-check worker works through;
 * and an index to find the deliveries one call reached (result checks, recalls).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('result_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel_account_id', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint')
    .addColumn('pause_ms', 'bigint', (c) => c.notNull())
    .addColumn('checks', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    // Deliveries sent in one batch call share the id: the check is created once.
    .addUniqueConstraint('result_checks_call', ['channel_account_id', 'provider_message_id'])
    .execute();
  await db.schema.createIndex('result_checks_due').on('result_checks').column('run_at').where(sql.ref('run_at'), 'is not', null).execute();
  await db.schema
    .createIndex('deliveries_provider_message')
    .on('deliveries')
    .columns(['channel_account_id', 'provider_message_id'])
    .where(sql.ref('provider_message_id'), 'is not', null)
    .execute();
}

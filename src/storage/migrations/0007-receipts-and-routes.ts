import type { Kysely } from 'kysely';

/**
 * Receipts and routing. A channel account whose provider takes delivery receipts has a random
 * token in its receipt URL (encrypted, shown to its admins). An app may route a channel over
 * several accounts (`channel_routes`: failover or weighted), and each account has a circuit
 * breaker shared by every worker (`account_circuits`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channel_accounts').addColumn('receipt_token_enc', 'text').execute();
  await db.schema
    .createTable('channel_routes')
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('accounts', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_routes_pk', ['app_id', 'channel'])
    .execute();
  await db.schema
    .createTable('account_circuits')
    .addColumn('channel_account_id', 'text', (c) => c.primaryKey())
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull())
    .addColumn('open_until', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

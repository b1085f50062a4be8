import { type Kysely } from 'kysely';

/**
 * Receipt URLs can be rotated: the previous token keeps working for a grace period, so receipts
 * of messages already sent with the old URL (Twilio names it per send) are not lost.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channel_accounts').addColumn('previous_receipt_token_enc', 'text').execute();
  await db.schema.alterTable('channel_accounts').addColumn('previous_receipt_token_until', 'bigint').execute();
}

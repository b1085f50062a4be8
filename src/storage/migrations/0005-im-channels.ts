import { sql, type Kysely } from 'kysely';

/**
 * IM channels: a channel account may hold several flow-limit windows at once (Feishu robot:
 * 5 per second and 100 per minute), stored as a JSON array in `flow_limits` instead of the
 * single count/seconds pair.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channel_accounts').addColumn('flow_limits', 'text').execute();
  await sql`UPDATE channel_accounts
    SET flow_limits = '[{"count":' || flow_limit_count || ',"perSeconds":' || flow_limit_seconds || '}]'
    WHERE flow_limit_count IS NOT NULL AND flow_limit_seconds IS NOT NULL`.execute(db);
  await db.schema.alterTable('channel_accounts').dropColumn('flow_limit_count').execute();
  await db.schema.alterTable('channel_accounts').dropColumn('flow_limit_seconds').execute();
}

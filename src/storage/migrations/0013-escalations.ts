import { sql, type Kysely } from 'kysely';

/**
 * Escalations (issue 12): one leased-queue row per (message, receiver) of a type with an
 * escalation policy, due when its next step is; and acknowledgements, one row per delivery a
 * person acknowledged (API, signed link), which stop the escalation of that receiver.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('escalations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('receiver', 'text')
    .addColumn('steps', 'text', (c) => c.notNull())
    .addColumn('next_step', 'integer', (c) => c.notNull())
    .addColumn('follow_up_ids', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('escalations_due').on('escalations').column('run_at').where(sql.ref('run_at'), 'is not', null).execute();
  await db.schema.createIndex('escalations_message').on('escalations').column('message_id').execute();
  await db.schema
    .createTable('acknowledgements')
    .addColumn('delivery_id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('acknowledgements_message').on('acknowledgements').column('message_id').execute();
}

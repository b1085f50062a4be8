import { sql, type Kysely } from 'kysely';

/**
 * Alarms (issue 14): rules per app that the scheduler role evaluates (a leased table, due at
 * `run_at`), the alarms they fired with the messages sent for them, and the per-minute outcome
 * counters the success-rate and callback rules read (fed from the workers' events).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('alarm_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('scope', 'text')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('hold_down_seconds', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('last_evaluated_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('alarm_rules_app_name', ['app_id', 'name'])
    .execute();
  await db.schema.createIndex('alarm_rules_due').on('alarm_rules').column('run_at').where(sql.ref('run_at'), 'is not', null).execute();

  await db.schema
    .createTable('alarms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('subject_label', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('fired_at', 'bigint', (c) => c.notNull())
    .addColumn('clear_since', 'bigint')
    .addColumn('resolved_at', 'bigint')
    .addColumn('fired_message_id', 'text')
    .addColumn('resolved_message_id', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // One open alarm per rule and subject, whatever the evaluating processes do.
  await db.schema.createIndex('alarms_open').on('alarms').columns(['rule_id', 'subject']).unique().where(sql.ref('status'), '=', 'open').execute();
  await db.schema.createIndex('alarms_app').on('alarms').columns(['app_id', 'id']).execute();
  await db.schema.createIndex('alarms_rule').on('alarms').columns(['rule_id', 'id']).execute();

  await db.schema
    .createTable('outcome_counters')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('bucket_start', 'bigint', (c) => c.notNull())
    .addColumn('succeeded', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('outcome_counters_pk', ['app_id', 'subject', 'bucket_start'])
    .execute();
  await db.schema.createIndex('outcome_counters_bucket').on('outcome_counters').column('bucket_start').execute();
}

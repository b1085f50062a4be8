import { sql, type Kysely } from 'kysely';

/** Subscribers, channel accounts, messages, the deliveries queue, events and callbacks. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('subscribers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('locale', 'text')
    .addColumn('timezone', 'text')
    .addColumn('addresses', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('subscribers_app_external', ['app_id', 'external_id'])
    .execute();

  await db.schema
    .createTable('channel_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secrets_enc', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('flow_limit_count', 'integer')
    .addColumn('flow_limit_seconds', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('channel_accounts_app_name', ['app_id', 'name'])
    .execute();
  await db.schema.createIndex('channel_accounts_app_channel').on('channel_accounts').columns(['app_id', 'channel']).execute();

  await db.schema
    .createTable('flow_windows')
    .addColumn('channel_account_id', 'text', (c) => c.primaryKey())
    .addColumn('sent_times', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('provider_tokens')
    .addColumn('cache_key', 'text', (c) => c.primaryKey())
    .addColumn('token_enc', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('idempotency_key', 'text')
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('content', 'text')
    .addColumn('template_id', 'text')
    .addColumn('template_code', 'text')
    .addColumn('template_version', 'integer')
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('callback_url', 'text')
    .addColumn('callback_per_delivery', 'integer', (c) => c.notNull())
    .addColumn('send_at', 'bigint')
    .addColumn('delivery_count', 'integer', (c) => c.notNull())
    .addColumn('pending_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addUniqueConstraint('messages_app_idempotency', ['app_id', 'idempotency_key'])
    .execute();
  await db.schema.createIndex('messages_app_id').on('messages').columns(['app_id', 'id']).execute();

  await db.schema
    .createTable('message_tags')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_tags_pk', ['message_id', 'key'])
    .execute();
  await db.schema.createIndex('message_tags_lookup').on('message_tags').columns(['app_id', 'key', 'value', 'message_id']).execute();

  await db.schema
    .createTable('deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('channel_account_id', 'text')
    .addColumn('receiver', 'text', (c) => c.notNull())
    .addColumn('subscriber_id', 'text')
    .addColumn('address', 'text')
    .addColumn('data', 'text')
    .addColumn('locale', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('provider_message_id', 'text')
    .addColumn('last_error_code', 'text')
    .addColumn('last_error_message', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  // The queue index: only waiting deliveries are in it, in claim order.
  await db.schema
    .createIndex('deliveries_due')
    .on('deliveries')
    .columns(['priority', 'run_at'])
    .where(sql.ref('run_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('deliveries_leased')
    .on('deliveries')
    .column('lease_expires_at')
    .where(sql.ref('lease_expires_at'), 'is not', null)
    .execute();
  await db.schema.createIndex('deliveries_message').on('deliveries').column('message_id').execute();
  await db.schema.createIndex('deliveries_app_address').on('deliveries').columns(['app_id', 'address']).execute();

  await db.schema
    .createTable('events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('delivery_id', 'text')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('attempt', 'integer')
    .addColumn('code', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('events_message').on('events').columns(['message_id', 'id']).execute();

  await db.schema
    .createTable('callbacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('delivery_id', 'text')
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'bigint')
    .addColumn('lease_expires_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('callbacks_due').on('callbacks').column('run_at').where(sql.ref('run_at'), 'is not', null).execute();
}

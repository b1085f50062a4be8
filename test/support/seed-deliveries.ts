import { newId } from '../../src/ids.ts';
import type { CryptoBox } from '../../src/security/crypto-box.ts';
import type { HeraldDatabase } from '../../src/storage/database.ts';
import type { DeliveryStatus, FinalDeliveryStatus } from '../../src/deliveries/delivery-status.ts';
import type { DeliveriesTable, EventsTable, MessagesTable } from '../../src/storage/schema.ts';

/**
 * Inserts apps, channel accounts, messages and deliveries straight into the tables, the way
 * the accept transaction leaves them, so dispatch tests can run below the HTTP API.
 */

export async function seedApp(
  database: HeraldDatabase,
  cryptoBox: CryptoBox,
  options: { callbackSecret?: string; nowMs?: number } = {},
): Promise<string> {
  const id = newId('app');
  const nowMs = options.nowMs ?? Date.now();
  await database.db
    .insertInto('apps')
    .values({
      id,
      name: `app-${id}`,
      description: '',
      status: 'active',
      callback_secret_enc: cryptoBox.encrypt(options.callbackSecret ?? 'callback-secret'),
      settings: '{}',
      created_at: nowMs,
      updated_at: nowMs,
    })
    .execute();
  return id;
}

export interface SeedChannelAccount {
  appId: string;
  type: string;
  channel: string;
  config?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
  enabled?: boolean;
  flowLimits?: Array<{ count: number; perSeconds: number }>;
  nowMs?: number;
}

export async function seedChannelAccount(database: HeraldDatabase, cryptoBox: CryptoBox, account: SeedChannelAccount): Promise<string> {
  const id = newId('cha');
  const nowMs = account.nowMs ?? Date.now();
  await database.db
    .insertInto('channel_accounts')
    .values({
      id,
      app_id: account.appId,
      type: account.type,
      channel: account.channel,
      name: `account-${id}`,
      config: JSON.stringify(account.config ?? {}),
      secrets_enc: account.secrets ? cryptoBox.encrypt(JSON.stringify(account.secrets)) : null,
      enabled: account.enabled === false ? 0 : 1,
      is_default: 1,
      flow_limits: account.flowLimits ? JSON.stringify(account.flowLimits) : null,
      created_at: nowMs,
      updated_at: nowMs,
    })
    .execute();
  return id;
}

export interface SeedMessages {
  appId: string;
  channelAccountId: string;
  channel: string;
  nowMs: number;
  /** Messages to create. Default 1. */
  count?: number;
  /** Deliveries per message (one per receiver). Default 1. */
  deliveriesPerMessage?: number;
  priority?: number;
  /** Inline content, stored as the message's content JSON. */
  content?: { title: string; body: string };
  /** A future time makes the deliveries `scheduled`. */
  sendAtMs?: number;
  /** A final status seeds finished messages (`completed`, nothing pending), as if sent or settled at `nowMs`. */
  finalStatus?: FinalDeliveryStatus;
  maxAttempts?: number;
  maxAgeMs?: number;
  callbackUrl?: string;
  callbackPerDelivery?: boolean;
  metadata?: Record<string, string>;
  /** Address of receiver i, or null (account-targeted channels). */
  address?: (index: number) => string | null;
}

export interface SeededMessages {
  messageIds: string[];
  deliveryIds: string[];
}

const ROWS_PER_INSERT = 200;

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) await insert(rows.slice(start, start + ROWS_PER_INSERT));
}

export async function seedMessages(database: HeraldDatabase, seed: SeedMessages): Promise<SeededMessages> {
  const count = seed.count ?? 1;
  const perMessage = seed.deliveriesPerMessage ?? 1;
  const scheduled = seed.sendAtMs !== undefined && seed.sendAtMs > seed.nowMs;
  const status: DeliveryStatus = seed.finalStatus ?? (scheduled ? 'scheduled' : 'queued');
  const runAt = seed.finalStatus ? null : scheduled ? seed.sendAtMs! : seed.nowMs;
  const finished = seed.finalStatus !== undefined;
  const messages: MessagesTable[] = [];
  const deliveries: DeliveriesTable[] = [];
  const events: EventsTable[] = [];
  let receiverIndex = 0;
  for (let m = 0; m < count; m++) {
    const messageId = newId('msg', seed.nowMs);
    messages.push({
      id: messageId,
      app_id: seed.appId,
      status: finished ? 'completed' : 'accepted',
      priority: seed.priority ?? 2,
      idempotency_key: null,
      request_hash: messageId,
      content: JSON.stringify(seed.content ?? { title: 'Hello', body: `Message ${m}` }),
      template_id: null,
      template_code: null,
      template_version: null,
      data: '{}',
      metadata: JSON.stringify(seed.metadata ?? {}),
      callback_url: seed.callbackUrl ?? null,
      callback_per_delivery: seed.callbackPerDelivery ? 1 : 0,
      send_at: seed.sendAtMs ?? null,
      delivery_count: perMessage,
      pending_count: finished ? 0 : perMessage,
      created_at: seed.nowMs,
      updated_at: seed.nowMs,
      completed_at: finished ? seed.nowMs : null,
      type_code: null,
    });
    events.push({ id: newId('evt', seed.nowMs), message_id: messageId, delivery_id: null, app_id: seed.appId, type: 'accepted', at: seed.nowMs, attempt: null, code: null, detail: null });
    for (let d = 0; d < perMessage; d++) {
      const deliveryId = newId('dlv', seed.nowMs);
      const address = seed.address ? seed.address(receiverIndex++) : null;
      deliveries.push({
        id: deliveryId,
        message_id: messageId,
        app_id: seed.appId,
        channel: seed.channel,
        channel_account_id: seed.channelAccountId,
        receiver: JSON.stringify(address === null ? { channelAccount: seed.channelAccountId } : { address }),
        subscriber_id: null,
        address,
        data: null,
        locale: null,
        status,
        priority: seed.priority ?? 2,
        run_at: runAt,
        attempts: 0,
        max_attempts: seed.maxAttempts ?? 5,
        expires_at: seed.nowMs + (seed.maxAgeMs ?? 86_400_000),
        lease_owner: null,
        lease_expires_at: null,
        provider_message_id: null,
        last_error_code: null,
        last_error_message: null,
        created_at: seed.nowMs,
        updated_at: seed.nowMs,
        sent_at: seed.finalStatus === 'sent' ? seed.nowMs : null,
      });
    }
  }
  await database.db.transaction().execute(async (trx) => {
    await insertInChunks(messages, (chunk) => trx.insertInto('messages').values(chunk).execute());
    await insertInChunks(deliveries, (chunk) => trx.insertInto('deliveries').values(chunk).execute());
    await insertInChunks(events, (chunk) => trx.insertInto('events').values(chunk).execute());
  });
  return { messageIds: messages.map((m) => m.id), deliveryIds: deliveries.map((d) => d.id) };
}

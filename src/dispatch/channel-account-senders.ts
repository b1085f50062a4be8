import type { HeraldConfig } from '../config/config.ts';
import type { Logger } from '../logger.ts';
import type { Clock } from '../clock.ts';
import type { ProviderDefinition, ProviderSender, SenderEnvironment } from '../providers/provider.ts';
import { effectiveFlowLimits, readConfigWithSecrets, receiptUrlOf } from '../deliveries/channel-account-row.ts';
import type { CryptoBox } from '../security/crypto-box.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { ChannelAccountsTable } from '../storage/schema.ts';
import { createTtlCache } from '../ttl-cache.ts';
import type { FlowLimit } from '../providers/provider.ts';
import { quotaOf, type AccountQuota } from '../deliveries/account-quotas.ts';

/** What senders that open their own sockets (SMTP) need from the outbound settings. */
export function senderEnvironmentOf(outbound: Pick<HeraldConfig['outbound'], 'allowLoopback' | 'allowPrivateNetworks' | 'connectTimeoutMs'>): SenderEnvironment {
  return { outboundPolicy: { allowLoopback: outbound.allowLoopback, allowPrivateNetworks: outbound.allowPrivateNetworks }, connectTimeoutMs: outbound.connectTimeoutMs };
}

/** Finds the provider for an account type (a Map or the provider registry). */
export interface ProviderLookup {
  get(type: string): ProviderDefinition | undefined;
}

/**
 * A channel account ready to send: its provider, its flow limits and the calls of a sender built
 * from its decrypted config (`sendBatch`, `recall`, `fetchResults`, `readQuota` where the provider has them).
 */
export interface ChannelAccountSender extends Required<Pick<ProviderSender, 'send'>>, Pick<ProviderSender, 'sendBatch' | 'recall' | 'fetchResults' | 'readQuota'> {
  id: string;
  appId: string;
  name: string;
  type: string;
  definition: ProviderDefinition;
  /** The account's own limits, else the provider's documented ones; empty when unlimited. */
  flowLimits: readonly FlowLimit[];
  /** The quota configured on the account; null: none. */
  quota: AccountQuota | null;
  /** The exhaustion mark a provider's quota error left, as loaded (see exhaustionOf for whether it still holds). */
  quotaExhausted: string | null;
}

export type ChannelAccountLookup = { available: true; account: ChannelAccountSender } | { available: false; reason: string };

export interface ChannelAccountSenders {
  /** One query for every id not cached (or cached too long ago). */
  resolve(accountIds: readonly string[]): Promise<Map<string, ChannelAccountLookup>>;
  /** Reads the account again on its next `resolve` (its quota mark changed). */
  forget(accountId: string): void;
  /** Closes every sender (connection pools). */
  close(): Promise<void>;
}

export interface ChannelAccountSendersOptions {
  database: HeraldDatabase;
  cryptoBox: CryptoBox;
  clock: Clock;
  providers: ProviderLookup;
  logger: Logger;
  /** The outbound rules senders that open their own sockets (SMTP) apply. */
  senderEnvironment: SenderEnvironment;
  /** HERALD_PUBLIC_URL: senders of providers that take receipts learn their account's receipt URL from it. */
  publicUrl?: string;
  /** How long a loaded account is trusted before it is read again (edits take effect after this). Default 5 s. */
  cacheTtlMs?: number;
}

interface SenderSlot {
  /** The account's `updated_at` the sender was built from. */
  version: number;
  sender: ProviderSender;
  inFlight: number;
  retired: boolean;
}

/**
 * Loads channel accounts with their secrets decrypted and keeps one ProviderSender per
 * account (pools survive across sends). An edited account gets a new sender; the old one
 * is closed once its last send returns.
 */
export function createChannelAccountSenders(options: ChannelAccountSendersOptions): ChannelAccountSenders {
  const { database, cryptoBox, clock, providers, logger } = options;
  const lookups = createTtlCache<ChannelAccountLookup>({ ttlMs: options.cacheTtlMs ?? 5000, clock });
  const slots = new Map<string, SenderSlot>();

  async function closeSlot(accountId: string, slot: SenderSlot): Promise<void> {
    try {
      await slot.sender.close?.();
    } catch (error) {
      logger.warn({ err: error, channelAccountId: accountId }, 'closing a provider sender failed');
    }
  }

  function retire(accountId: string): void {
    const slot = slots.get(accountId);
    if (!slot) return;
    slots.delete(accountId);
    slot.retired = true;
    if (slot.inFlight === 0) void closeSlot(accountId, slot);
  }

  function senderFor(row: ChannelAccountsTable, definition: ProviderDefinition): SenderSlot {
    const current = slots.get(row.id);
    if (current && current.version === row.updated_at) return current;
    retire(row.id);
    const config = readConfigWithSecrets(row, cryptoBox);
    const receiptUrl =
      options.publicUrl !== undefined && row.receipt_token_enc !== null ? receiptUrlOf(options.publicUrl, row.id, cryptoBox.decrypt(row.receipt_token_enc)) : undefined;
    const account = { id: row.id, name: row.name, config, ...(receiptUrl === undefined ? {} : { receiptUrl }) };
    const slot: SenderSlot = { version: row.updated_at, sender: definition.createSender(account, options.senderEnvironment), inFlight: 0, retired: false };
    slots.set(row.id, slot);
    return slot;
  }

  function lookupFor(row: ChannelAccountsTable | undefined, accountId: string): ChannelAccountLookup {
    if (!row) return { available: false, reason: `Channel account ${accountId} does not exist` };
    if (row.enabled !== 1) {
      retire(row.id);
      return { available: false, reason: `Channel account "${row.name}" (${row.id}) is disabled` };
    }
    const definition = providers.get(row.type);
    if (!definition) return { available: false, reason: `Channel account "${row.name}" has type "${row.type}", which no provider implements` };
    let slot: SenderSlot;
    try {
      slot = senderFor(row, definition);
    } catch (error) {
      logger.warn({ err: error, channelAccountId: row.id }, 'cannot build a sender for a channel account');
      return { available: false, reason: `Channel account "${row.name}" cannot be used: ${(error as Error).message}` };
    }
    // A retired sender (the account was edited) is closed once its last call returns.
    const using = async <Result>(call: (sender: ProviderSender) => Promise<Result>): Promise<Result> => {
      slot.inFlight++;
      try {
        return await call(slot.sender);
      } finally {
        slot.inFlight--;
        if (slot.retired && slot.inFlight === 0) void closeSlot(row.id, slot);
      }
    };
    const { sender } = slot;
    return {
      available: true,
      account: {
        id: row.id,
        appId: row.app_id,
        name: row.name,
        type: row.type,
        definition,
        flowLimits: effectiveFlowLimits(row, definition),
        quota: quotaOf(row),
        quotaExhausted: row.quota_exhausted,
        send: (request, context) => using((s) => s.send(request, context)),
        sendBatch: sender.sendBatch && ((requests, context) => using((s) => s.sendBatch!(requests, context))),
        recall: sender.recall && ((sent, context) => using((s) => s.recall!(sent, context))),
        fetchResults: sender.fetchResults && ((sent, context) => using((s) => s.fetchResults!(sent, context))),
        readQuota: sender.readQuota && ((context) => using((s) => s.readQuota!(context))),
      },
    };
  }

  return {
    async resolve(accountIds) {
      const nowMs = clock.now();
      const result = new Map<string, ChannelAccountLookup>();
      const stale: string[] = [];
      for (const id of new Set(accountIds)) {
        const cached = lookups.peek(id);
        if (cached) result.set(id, cached.value);
        else stale.push(id);
      }
      if (stale.length > 0) {
        const rows = await database.db.selectFrom('channel_accounts').selectAll().where('id', 'in', stale).execute();
        const rowsById = new Map(rows.map((row) => [row.id, row]));
        for (const id of stale) {
          const lookup = lookupFor(rowsById.get(id), id);
          lookups.set(id, lookup, nowMs);
          result.set(id, lookup);
        }
      }
      return result;
    },

    forget(accountId) {
      lookups.delete(accountId);
    },

    async close() {
      const open = [...slots.entries()];
      slots.clear();
      lookups.clear();
      await Promise.all(open.map(([id, slot]) => closeSlot(id, slot)));
    },
  };
}

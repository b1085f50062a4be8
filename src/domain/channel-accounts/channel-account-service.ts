import type { Kysely } from 'kysely';
import type { TSchema } from 'typebox';
import type { HeraldContext } from '../../context/herald-context.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import { newId } from '../../ids.ts';
import type { AddressKind } from '../../channels/address-kinds.ts';
import { addressKindOf, type ChannelName } from '../../channels/channel-catalog.ts';
import type { FlowLimit, ProviderDefinition, SecretMaskKind } from '../../providers/provider.ts';
import type { ProviderRegistry } from '../../providers/provider-registry.ts';
import type { ChannelAccountsTable, HeraldSchema } from '../../storage/schema.ts';
import { assertNoMaskedSecrets, assertValidConfig, maskSecrets, patchConfig } from './channel-account-config.ts';
import { configColumns, effectiveFlowLimits, flowLimitsColumn, ownFlowLimits, readConfigWithSecrets, readSecrets, type ProviderConfig } from '../../deliveries/channel-account-row.ts';
import { createTtlCache } from '../../ttl-cache.ts';
import { insertUnique } from '../../storage/insert-unique.ts';
import { failIfTaken } from '../../storage/unique-violation.ts';
import { receiptUrlOf } from '../../deliveries/channel-account-row.ts';
import { randomBytes } from 'node:crypto';
import type { AccountForSend, AccountsForSend, RouteForSend } from '../messages/send-directory.ts';
import type { RouteAccounts } from './channel-route-service.ts';
import { quotaColumn, quotaStatusViews, quotaView, type AccountQuotaStatusView, type QuotaInput } from './account-quota-config.ts';

/** A configured provider instance of one app: which provider, its credentials, and how fast it may send. */
export interface ChannelAccountView {
  id: string;
  name: string;
  type: string;
  channel: ChannelName;
  enabled: boolean;
  /** The account a send uses for its channel when the caller names none; at most one per channel. */
  isDefault: boolean;
  /** Secret fields (or their secret parts) read as SECRET_MASK. */
  config: ProviderConfig;
  /** The account's own limits, every window enforced at once; null means the provider's defaults apply. */
  flowLimits: FlowLimit[] | null;
  /** What the dispatcher enforces: the account's limits, else the provider's; empty when unlimited. */
  effectiveFlowLimits: readonly FlowLimit[];
  /**
   * Where the platform pushes delivery receipts (set it in the vendor's console), for providers
   * that take them; a path only until HERALD_PUBLIC_URL says where Herald is reachable.
   */
  receiptUrl?: string;
  /** The quota configured on the account (sends per day / month, or a prepaid balance); null: none. */
  quota: QuotaInput | null;
  /** Usage against it, what the platform reports, and whether a provider's quota error marks the account exhausted. */
  quotaStatus: AccountQuotaStatusView;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelAccountInput {
  type: string;
  name: string;
  config: ProviderConfig;
  enabled?: boolean;
  /** Default: true when the channel has no default account yet. */
  isDefault?: boolean;
  flowLimits?: FlowLimit[] | null;
  quota?: QuotaInput | null;
}

export interface ChannelAccountPatch {
  name?: string;
  /** Merged into the stored config: a field given replaces, `null` removes, an omitted or masked secret stays. */
  config?: ProviderConfig;
  enabled?: boolean;
  isDefault?: boolean;
  /** null: back to the provider's default limits. */
  flowLimits?: FlowLimit[] | null;
  /** null removes it; setting it again starts counting afresh (a topped-up balance). */
  quota?: QuotaInput | null;
}

/** What the console needs to offer a form for a provider type. */
export interface ChannelAccountTypeView {
  type: string;
  channel: ChannelName;
  target: 'account' | 'address';
  addressKind: AddressKind | null;
  secretFields: readonly string[];
  /** Secret fields masked only in parts: `values` (each value of a record), `query` (a URL's query values). */
  secretMasks: Readonly<Record<string, SecretMaskKind>>;
  defaultFlowLimits: readonly FlowLimit[];
  /** Recipients one provider call may carry, when the platform takes several. */
  maxRecipientsPerCall: number | null;
  /** How long after sending a message can be recalled; null when the platform cannot recall. */
  recallWindowSeconds: number | null;
  /** The platform reports the account's remaining quota (read on a schedule, shown in `quotaStatus.reported`). */
  readsQuota: boolean;
  /** JSON Schema of the config. */
  configSchema: TSchema;
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function assertName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw invalid('CHANNEL_ACCOUNT_NAME_INVALID', `name: "${name}" must be 1-63 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit`, {
      field: 'name',
    });
  }
}

const nameTaken = (name: string) => conflict('CHANNEL_ACCOUNT_NAME_TAKEN', `name: this app already has a channel account named "${name}"`, { field: 'name' });

export type ChannelAccountService = ReturnType<typeof createChannelAccountService>;

/** How long the accept path trusts its view of an app's accounts; edits in this process apply at once. */
const SENDABLE_CACHE_MS = 2_000;

/** The secret part of a receipt URL: 24 random bytes, base64url. */
const newReceiptToken = () => randomBytes(24).toString('base64url');

export function createChannelAccountService({ database, clock, cryptoBox, config }: HeraldContext, providers: ProviderRegistry) {
  const { db } = database;
  const sendable = createTtlCache<AccountsForSend>({ ttlMs: SENDABLE_CACHE_MS, clock });
  function providerFor(type: string): ProviderDefinition {
    const provider = providers.get(type);
    if (!provider) {
      const known = providers.list().map((definition) => definition.type).join(', ');
      throw invalid('CHANNEL_ACCOUNT_TYPE_UNKNOWN', `type: unknown provider type "${type}"; known types: ${known}`, { field: 'type' });
    }
    return provider;
  }

  /** The views of rows, with their quota statuses read in one go. */
  async function toViews(rows: readonly ChannelAccountsTable[]): Promise<ChannelAccountView[]> {
    const statuses = await quotaStatusViews(database, clock.now(), rows.map((row) => row.id));
    return rows.map((row, index) => toView(row, statuses[index]!));
  }

  function toView(row: ChannelAccountsTable, quotaStatus: AccountQuotaStatusView): ChannelAccountView {
    const provider = providers.get(row.type);
    const secrets = readSecrets(row, cryptoBox);
    return {
      id: row.id,
      name: row.name,
      type: row.type,
      channel: row.channel as ChannelName,
      enabled: row.enabled === 1,
      isDefault: row.is_default === 1,
      // Masked by what the provider declares secret, also in rows saved before a field was declared so.
      config: maskSecrets(provider ?? { secretFields: Object.keys(secrets) }, { ...(JSON.parse(row.config) as ProviderConfig), ...secrets }),
      flowLimits: ownFlowLimits(row) ?? null,
      effectiveFlowLimits: effectiveFlowLimits(row, provider),
      ...(row.receipt_token_enc === null ? {} : { receiptUrl: receiptUrlOf(config.http.publicUrl, row.id, cryptoBox.decrypt(row.receipt_token_enc)) }),
      quota: quotaView(row),
      quotaStatus,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  async function findRow(appId: string, idOrName: string): Promise<ChannelAccountsTable> {
    const row = await db
      .selectFrom('channel_accounts')
      .selectAll()
      .where('app_id', '=', appId)
      .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
      .executeTakeFirst();
    if (!row) throw notFound('CHANNEL_ACCOUNT_NOT_FOUND', `No channel account with id or name "${idOrName}" in this app`);
    return row;
  }

  /**
   * Makes `row` its channel's only default, in one statement so concurrent changes cannot
   * leave two. Other accounts keep their updated_at: their config did not change.
   */
  async function makeDefault(executor: Kysely<HeraldSchema>, row: Pick<ChannelAccountsTable, 'id' | 'app_id' | 'channel'>): Promise<void> {
    await executor
      .updateTable('channel_accounts')
      .set((eb) => ({ is_default: eb.case().when('id', '=', row.id).then(1).else(0).end() }))
      .where('app_id', '=', row.app_id)
      .where('channel', '=', row.channel)
      .execute();
  }

  return {
    async create(appId: string, input: ChannelAccountInput): Promise<ChannelAccountView> {
      const provider = providerFor(input.type);
      assertName(input.name);
      assertNoMaskedSecrets(provider, input.config);
      assertValidConfig(provider, input.config);
      const now = clock.now();
      const row: ChannelAccountsTable = {
        id: newId('cha', now),
        app_id: appId,
        type: provider.type,
        channel: provider.channel,
        name: input.name,
        ...configColumns(provider, input.config, cryptoBox),
        enabled: input.enabled === false ? 0 : 1,
        is_default: 0,
        flow_limits: flowLimitsColumn(input.flowLimits),
        receipt_token_enc: provider.receipts ? cryptoBox.encrypt(newReceiptToken()) : null,
        previous_receipt_token_enc: null,
        previous_receipt_token_until: null,
        quota: quotaColumn(input.quota, now),
        quota_exhausted: null,
        created_at: now,
        updated_at: now,
      };
      await db.transaction().execute(async (trx) => {
        await insertUnique(trx, 'channel_accounts', row, ['app_id', 'name'], () => nameTaken(input.name));
        const channelDefault = await trx
          .selectFrom('channel_accounts')
          .select('id')
          .where('app_id', '=', appId)
          .where('channel', '=', provider.channel)
          .where('is_default', '=', 1)
          .executeTakeFirst();
        if (input.isDefault ?? !channelDefault) {
          await makeDefault(trx, row);
          row.is_default = 1;
        }
      });
      sendable.delete(appId);
      return (await toViews([row]))[0]!;
    },

    async list(appId: string, filter: { channel?: string; type?: string } = {}): Promise<ChannelAccountView[]> {
      let query = db.selectFrom('channel_accounts').selectAll().where('app_id', '=', appId);
      if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
      if (filter.type !== undefined) query = query.where('type', '=', filter.type);
      const rows = await query.orderBy('channel').orderBy('name').execute();
      return toViews(rows);
    },

    /** Looks an account up by id or by name, within one app. */
    async get(appId: string, idOrName: string): Promise<ChannelAccountView> {
      return (await toViews([await findRow(appId, idOrName)]))[0]!;
    },

    async update(appId: string, idOrName: string, patch: ChannelAccountPatch): Promise<ChannelAccountView> {
      const row = await findRow(appId, idOrName);
      const updated: ChannelAccountsTable = { ...row, updated_at: clock.now() };
      if (patch.name !== undefined && patch.name !== row.name) {
        assertName(patch.name);
        updated.name = patch.name;
      }
      if (patch.config !== undefined) {
        const provider = providerFor(row.type);
        const config = patchConfig(provider, readConfigWithSecrets(row, cryptoBox), patch.config);
        assertValidConfig(provider, config);
        Object.assign(updated, configColumns(provider, config, cryptoBox));
      }
      if (patch.enabled !== undefined) updated.enabled = patch.enabled ? 1 : 0;
      if (patch.flowLimits !== undefined) updated.flow_limits = flowLimitsColumn(patch.flowLimits);
      if (patch.quota !== undefined) updated.quota = quotaColumn(patch.quota, updated.updated_at);
      // The worker sets the exhaustion mark meanwhile: only the reset endpoint clears it.
      const { quota_exhausted: _exhausted, ...withoutMark } = updated;
      // is_default is written only when the patch changes it: the value read above may be stale by now.
      const { is_default: _, ...columns } = withoutMark;

      await failIfTaken(
        db.transaction().execute(async (trx) => {
          if (updated.name !== row.name) {
            const holder = await trx.selectFrom('channel_accounts').select('id').where('app_id', '=', appId).where('name', '=', updated.name).executeTakeFirst();
            if (holder) throw nameTaken(updated.name);
          }
          if (patch.isDefault === true) await makeDefault(trx, row);
          await trx
            .updateTable('channel_accounts')
            .set(patch.isDefault === false ? { ...columns, is_default: 0 } : columns)
            .where('id', '=', row.id)
            .execute();
        }),
        () => nameTaken(updated.name),
      );
      sendable.delete(appId);
      return (await toViews([await findRow(appId, row.id)]))[0]!;
    },

    /** Clears the account's exhaustion mark (after a top-up or WeChat clear_quota): the deliveries waiting for it are due at once. */
    /**
     * A new receipt URL for the account (its token leaked, or on a schedule). The previous URL keeps
     * working for `previousValidForSeconds`, so receipts of messages already sent with it still count.
     */
    async rotateReceiptUrl(appId: string, idOrName: string, previousValidForSeconds: number): Promise<ChannelAccountView & { previousReceiptUrlValidUntil: string | null }> {
      const row = await findRow(appId, idOrName);
      if (row.receipt_token_enc === null) {
        throw conflict('RECEIPTS_NOT_TAKEN', `Channel account "${row.name}" (${row.type}) takes no delivery receipts, so it has no receipt URL to rotate`);
      }
      const nowMs = clock.now();
      const previousUntil = previousValidForSeconds > 0 ? nowMs + previousValidForSeconds * 1000 : null;
      const rotated: ChannelAccountsTable = {
        ...row,
        receipt_token_enc: cryptoBox.encrypt(newReceiptToken()),
        previous_receipt_token_enc: previousUntil === null ? null : row.receipt_token_enc,
        previous_receipt_token_until: previousUntil,
        updated_at: nowMs,
      };
      await db
        .updateTable('channel_accounts')
        .set({ receipt_token_enc: rotated.receipt_token_enc, previous_receipt_token_enc: rotated.previous_receipt_token_enc, previous_receipt_token_until: previousUntil, updated_at: nowMs })
        .where('id', '=', row.id)
        .execute();
      // Workers re-read accounts within seconds; what they send meanwhile names the previous URL, which the grace period covers.
      sendable.delete(appId);
      return { ...(await toViews([rotated]))[0]!, previousReceiptUrlValidUntil: previousUntil === null ? null : new Date(previousUntil).toISOString() };
    },

    async resetQuota(appId: string, idOrName: string): Promise<ChannelAccountView> {
      const row = await findRow(appId, idOrName);
      const nowMs = clock.now();
      const markCode = row.quota_exhausted === null ? undefined : (JSON.parse(row.quota_exhausted) as { code: string }).code;
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('channel_accounts').set({ quota_exhausted: null }).where('id', '=', row.id).execute();
        // What waits for the quota goes out at once rather than at the reset it was deferred to.
        await trx
          .updateTable('deliveries')
          .set({ run_at: nowMs, updated_at: nowMs })
          .where('channel_account_id', '=', row.id)
          .where('status', 'in', ['queued', 'retrying'])
          .where('lease_owner', 'is', null)
          .where('run_at', '>', nowMs)
          .where('last_error_code', 'in', markCode === undefined ? ['QUOTA_EXHAUSTED'] : ['QUOTA_EXHAUSTED', markCode])
          .execute();
      });
      return (await toViews([{ ...row, quota_exhausted: null }]))[0]!;
    },

    /** The quota statuses of the app's accounts, for the console's dashboard and the alarms. */
    async quotas(appId: string): Promise<Array<{ accountId: string; name: string; type: string; channel: ChannelName; enabled: boolean } & Omit<AccountQuotaStatusView, 'accountId'>>> {
      const rows = await db.selectFrom('channel_accounts').select(['id', 'name', 'type', 'channel', 'enabled']).where('app_id', '=', appId).orderBy('channel').orderBy('name').execute();
      const statuses = await quotaStatusViews(database, clock.now(), rows.map((row) => row.id));
      return rows.map((row, index) => ({ ...statuses[index]!, accountId: row.id, name: row.name, type: row.type, channel: row.channel as ChannelName, enabled: row.enabled === 1 }));
    },

    /** Deletes the account; when it was its channel's default, the channel has none until one is chosen. */
    async delete(appId: string, idOrName: string): Promise<void> {
      const row = await findRow(appId, idOrName);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('channel_accounts').where('id', '=', row.id).execute();
        await trx.deleteFrom('flow_windows').where('channel_account_id', '=', row.id).execute();
        await trx.deleteFrom('account_quota_usage').where('channel_account_id', '=', row.id).execute();
        await trx.deleteFrom('account_quota_readings').where('channel_account_id', '=', row.id).execute();
      });
      sendable.delete(appId);
    },

    /** The provider types an account can have, for the console's forms. */
    types(): ChannelAccountTypeView[] {
      return providers.list().map((provider) => ({
        type: provider.type,
        channel: provider.channel,
        target: provider.target,
        addressKind: provider.target === 'address' ? addressKindOf(provider.channel) : null,
        secretFields: provider.secretFields,
        secretMasks: provider.secretMasks ?? {},
        defaultFlowLimits: provider.defaultFlowLimits ?? [],
        maxRecipientsPerCall: provider.maxRecipientsPerCall ?? null,
        recallWindowSeconds: provider.recallWindowSeconds ?? null,
        readsQuota: provider.readsQuota === true,
        configSchema: provider.configSchema,
      }));
    },

    /** For the send pipeline: the app's enabled accounts by id or name, as channel defaults and in routes. */
    resolveAccountsForSend(appId: string): Promise<AccountsForSend> {
      return sendable.get(appId, () => loadSendable(appId));
    },

    /** Drops this process's view of the app's sendable accounts (a route changed). */
    forgetSendable(appId: string): void {
      sendable.delete(appId);
    },
  };

  async function loadSendable(appId: string): Promise<AccountsForSend> {
    const rows = await db
      .selectFrom('channel_accounts')
      .select(['id', 'name', 'type', 'channel', 'is_default'])
      .where('app_id', '=', appId)
      .where('enabled', '=', 1)
      .execute();
    const byId = new Map<string, AccountForSend>();
    const byName = new Map<string, AccountForSend>();
    const defaults = new Map<ChannelName, AccountForSend>();
    for (const row of rows) {
      const account: AccountForSend = { id: row.id, name: row.name, type: row.type, channel: row.channel as ChannelName };
      byId.set(account.id, account);
      byName.set(account.name, account);
      if (row.is_default === 1) defaults.set(account.channel, account);
    }
    const routes = new Map<ChannelName, RouteForSend>();
    for (const route of await db.selectFrom('channel_routes').select(['channel', 'mode', 'accounts']).where('app_id', '=', appId).execute()) {
      const accounts = (JSON.parse(route.accounts) as RouteAccounts).flatMap(({ accountId, weight }) => {
        const account = byId.get(accountId);
        return account ? [{ account, weight }] : [];
      });
      if (accounts.length > 0) routes.set(route.channel as ChannelName, { mode: route.mode, accounts });
    }
    return {
      find: (idOrName) => byId.get(idOrName) ?? byName.get(idOrName),
      defaultFor: (channel) => defaults.get(channel),
      routeFor: (channel) => routes.get(channel),
    };
  }
}

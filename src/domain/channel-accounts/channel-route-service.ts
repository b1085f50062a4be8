import type { HeraldContext } from '../../context/herald-context.ts';
import { CHANNELS, type ChannelName } from '../../channels/channel-catalog.ts';
import { invalid, notFound } from '../../errors.ts';
import type { ProviderRegistry } from '../../providers/provider-registry.ts';
import type { ChannelRoutesTable } from '../../storage/schema.ts';

/**
 * How an app sends on a channel it has several accounts for (two SMS vendors, two SMTP relays):
 * `failover` sends through the first account and moves a delivery to the next one on a transient
 * failure or while the account's circuit is open; `weighted` splits sends by weight (and fails
 * over the same way). Without a route a channel uses its default account. A send that names an
 * account (`channelAccounts`) uses that one.
 */

export const ROUTE_MODES = ['failover', 'weighted'] as const;
export type RouteMode = (typeof ROUTE_MODES)[number];

export interface ChannelRouteInput {
  mode: RouteMode;
  /** In failover order; `weight` (1-1000) counts in `weighted` mode only. */
  accounts: Array<{ account: string; weight?: number }>;
}

export interface ChannelRouteView {
  channel: ChannelName;
  mode: RouteMode;
  /** `circuitOpenUntil`: while the account's circuit breaker is open (sends go around it), when it closes; null when closed. */
  accounts: Array<{ id: string; name: string; type: string; weight: number; circuitOpenUntil: string | null }>;
  updatedAt: string;
}

/** The stored account list of a route. */
export type RouteAccounts = Array<{ accountId: string; weight: number }>;

export type ChannelRouteService = ReturnType<typeof createChannelRouteService>;

export const MAX_ROUTE_ACCOUNTS = 10;

export function createChannelRouteService({ database: { db }, clock }: HeraldContext, providers: ProviderRegistry, onChanged: (appId: string) => void) {
  function assertChannel(channel: string): asserts channel is ChannelName {
    if (!(CHANNELS as readonly string[]).includes(channel)) {
      throw notFound('CHANNEL_UNKNOWN', `"${channel}" is not a channel; channels: ${CHANNELS.join(', ')}`, { channel });
    }
  }

  async function view(appId: string, row: ChannelRoutesTable): Promise<ChannelRouteView> {
    const entries = JSON.parse(row.accounts) as RouteAccounts;
    const accounts = await db
      .selectFrom('channel_accounts')
      .leftJoin('account_circuits', 'account_circuits.channel_account_id', 'channel_accounts.id')
      .select(['channel_accounts.id', 'channel_accounts.name', 'channel_accounts.type', 'account_circuits.open_until'])
      .where('channel_accounts.app_id', '=', appId)
      .where('channel_accounts.id', 'in', entries.map((entry) => entry.accountId))
      .execute();
    const byId = new Map(accounts.map((account) => [account.id, account]));
    const now = clock.now();
    return {
      channel: row.channel as ChannelName,
      mode: row.mode,
      // An account deleted since drops out of its route.
      accounts: entries.flatMap(({ accountId, weight }) => {
        const account = byId.get(accountId);
        if (!account) return [];
        const circuitOpenUntil = account.open_until !== null && account.open_until > now ? new Date(account.open_until).toISOString() : null;
        return [{ id: account.id, name: account.name, type: account.type, weight, circuitOpenUntil }];
      }),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  return {
    async put(appId: string, channel: string, input: ChannelRouteInput): Promise<ChannelRouteView> {
      assertChannel(channel);
      const names = input.accounts.map((entry) => entry.account);
      const rows = await db
        .selectFrom('channel_accounts')
        .select(['id', 'name', 'type', 'channel'])
        .where('app_id', '=', appId)
        .where((eb) => eb.or([eb('id', 'in', names), eb('name', 'in', names)]))
        .execute();
      const stored: RouteAccounts = input.accounts.map((entry, index) => {
        const field = `accounts[${index}]`;
        const account = rows.find((row) => row.id === entry.account || row.name === entry.account);
        if (!account) throw invalid('CHANNEL_ACCOUNT_NOT_FOUND', `${field}.account: this app has no channel account "${entry.account}"`, { field: `${field}.account` });
        if (account.channel !== channel) {
          throw invalid('ROUTE_ACCOUNT_CHANNEL', `${field}.account: "${account.name}" sends on ${account.channel}, not ${channel}`, { field: `${field}.account` });
        }
        if (providers.get(account.type)?.target !== 'address') {
          throw invalid('ROUTE_ACCOUNT_NOT_ADDRESSED', `${field}.account: "${account.name}" posts to one group or endpoint; routes choose between accounts that send to each receiver's address`, {
            field: `${field}.account`,
          });
        }
        if (input.mode === 'weighted' && entry.weight === undefined) {
          throw invalid('ROUTE_WEIGHT_MISSING', `${field}.weight: a weighted route needs a weight (1-1000) for every account`, { field: `${field}.weight` });
        }
        return { accountId: account.id, weight: entry.weight ?? 1 };
      });
      if (new Set(stored.map((entry) => entry.accountId)).size !== stored.length) {
        throw invalid('ROUTE_ACCOUNT_REPEATED', 'accounts: each account may appear once in a route', { field: 'accounts' });
      }
      const row: ChannelRoutesTable = { app_id: appId, channel, mode: input.mode, accounts: JSON.stringify(stored), updated_at: clock.now() };
      await db
        .insertInto('channel_routes')
        .values(row)
        .onConflict((conflict) => conflict.columns(['app_id', 'channel']).doUpdateSet({ mode: row.mode, accounts: row.accounts, updated_at: row.updated_at }))
        .execute();
      onChanged(appId);
      return view(appId, row);
    },

    async list(appId: string): Promise<ChannelRouteView[]> {
      const rows = await db.selectFrom('channel_routes').selectAll().where('app_id', '=', appId).orderBy('channel').execute();
      return Promise.all(rows.map((row) => view(appId, row)));
    },

    async delete(appId: string, channel: string): Promise<void> {
      assertChannel(channel);
      const deleted = await db.deleteFrom('channel_routes').where('app_id', '=', appId).where('channel', '=', channel).executeTakeFirst();
      if (deleted.numDeletedRows === 0n) throw notFound('CHANNEL_ROUTE_NOT_FOUND', `This app has no route for ${channel}; it sends through the channel's default account`, { channel });
      onChanged(appId);
    },
  };
}

import type { FlowLimit, ProviderDefinition } from '../providers/provider.ts';
import type { CryptoBox } from '../security/crypto-box.ts';
import type { ChannelAccountsTable } from '../storage/schema.ts';

/**
 * The stored form of a channel account's config and limits, shared by the API (masked
 * views) and the worker (senders built from the real config), so both read them one way.
 */

/** A provider account's config as the API takes it and a sender gets it: secret fields in plain text. */
export type ProviderConfig = Record<string, unknown>;

/** The config cut into the fields stored as JSON and the secret fields stored encrypted. */
export function splitSecrets(provider: Pick<ProviderDefinition, 'secretFields'>, config: ProviderConfig): { plain: ProviderConfig; secrets: ProviderConfig } {
  const plain: ProviderConfig = {};
  const secrets: ProviderConfig = {};
  for (const [name, value] of Object.entries(config)) {
    if (provider.secretFields.includes(name)) secrets[name] = value;
    else plain[name] = value;
  }
  return { plain, secrets };
}

/** A checked config as stored: plain fields as JSON, secret fields as encrypted JSON (null when none is set). */
export function configColumns(provider: Pick<ProviderDefinition, 'secretFields'>, config: ProviderConfig, cryptoBox: CryptoBox): Pick<ChannelAccountsTable, 'config' | 'secrets_enc'> {
  const { plain, secrets } = splitSecrets(provider, config);
  return { config: JSON.stringify(plain), secrets_enc: Object.keys(secrets).length === 0 ? null : cryptoBox.encrypt(JSON.stringify(secrets)) };
}

/** The secret config fields, decrypted; empty when the account stores none. */
export function readSecrets(row: Pick<ChannelAccountsTable, 'secrets_enc'>, cryptoBox: CryptoBox): ProviderConfig {
  return row.secrets_enc === null ? {} : (JSON.parse(cryptoBox.decrypt(row.secrets_enc)) as ProviderConfig);
}

/** The config a provider sends with: plain fields and decrypted secrets together. */
export function readConfigWithSecrets(row: Pick<ChannelAccountsTable, 'config' | 'secrets_enc'>, cryptoBox: CryptoBox): ProviderConfig {
  return { ...(JSON.parse(row.config) as ProviderConfig), ...readSecrets(row, cryptoBox) };
}

/** The limits set on the account itself, if any. */
export function ownFlowLimits(row: Pick<ChannelAccountsTable, 'flow_limits'>): FlowLimit[] | undefined {
  return row.flow_limits === null ? undefined : (JSON.parse(row.flow_limits) as FlowLimit[]);
}

/** The `flow_limits` column for limits as the API takes them: null or empty means the provider's defaults. */
export function flowLimitsColumn(limits: readonly FlowLimit[] | null | undefined): string | null {
  return limits && limits.length > 0 ? JSON.stringify(limits.map(({ count, perSeconds }) => ({ count, perSeconds }))) : null;
}

/** What the dispatcher enforces: the account's own limits, else the provider's documented ones; empty when unlimited. */
export function effectiveFlowLimits(
  row: Pick<ChannelAccountsTable, 'flow_limits'>,
  provider: Pick<ProviderDefinition, 'defaultFlowLimits'> | undefined,
): readonly FlowLimit[] {
  return ownFlowLimits(row) ?? provider?.defaultFlowLimits ?? [];
}

/** The receipt endpoint of an account: `<public URL>/receipts/<account id>/<token>`, or the path alone while the public URL is unknown. */
export function receiptUrlOf(publicUrl: string | undefined, accountId: string, token: string): string {
  return `${publicUrl ?? ''}/receipts/${accountId}/${token}`;
}

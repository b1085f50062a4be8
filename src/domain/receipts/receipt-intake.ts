import { timingSafeEqual } from 'node:crypto';
import type { HeraldContext } from '../../context/herald-context.ts';
import { readConfigWithSecrets, receiptUrlOf } from '../../deliveries/channel-account-row.ts';
import { applyStatusReports, type StatusReport } from '../../deliveries/reported-status.ts';
import { SENT_DELIVERY_STATUSES } from '../../deliveries/delivery-status.ts';
import { notFound } from '../../errors.ts';
import type { ProviderRegistry } from '../../providers/provider-registry.ts';
import type { ProviderDefinition, ReceiptEntry, ReceiptReply } from '../../providers/provider.ts';
import type { ChannelAccountsTable, DeliveriesTable } from '../../storage/schema.ts';

/**
 * Delivery receipts (回执) pushed by SMS platforms to `POST /receipts/{accountId}/{token}`: the
 * account's provider reads the push in its own format (and checks its signature), and each
 * receipt moves its delivery to `delivered` or `undelivered` (see reported-status.ts). Receipts
 * arrive at least once and in any order, so a repeat or a late one changes nothing; receipts for
 * sends Herald does not know are answered as accepted (the platform would only push them again)
 * and logged.
 */

export interface ReceiptPush {
  /** The query string as received (`?a=b`, or empty): the provider may sign the full URL. */
  search: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

export interface ReceiptIntake {
  /**
   * Answers the reply the platform expects. Throws RECEIPT_ENDPOINT_UNKNOWN (not_found) for an
   * account that takes no receipts or a wrong token; a storage outage propagates (answered 503:
   * every platform pushes again after a 5xx).
   */
  receive(accountId: string, token: string, push: ReceiptPush): Promise<ReceiptReply>;
}

const RECEIPT_STATUSES_FROM = SENT_DELIVERY_STATUSES;
const IDS_PER_QUERY = 500;
type ReportedRow = Pick<DeliveriesTable, 'id' | 'message_id' | 'app_id' | 'status' | 'attempts' | 'address' | 'provider_message_id'>;

const sameToken = (given: string, expected: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

export function createReceiptIntake({ database, clock, cryptoBox, config, logger }: HeraldContext, providers: ProviderRegistry): ReceiptIntake {
  const { db } = database;
  const log = logger.child({ component: 'receipts' });
  const unknownEndpoint = () => notFound('RECEIPT_ENDPOINT_UNKNOWN', 'No channel account takes receipts at this URL; copy the receipt URL shown on the account');

  async function accountFor(accountId: string): Promise<{ row: ChannelAccountsTable; provider: ProviderDefinition & Required<Pick<ProviderDefinition, 'receipts'>> } | undefined> {
    const row = await db.selectFrom('channel_accounts').selectAll().where('id', '=', accountId).executeTakeFirst();
    const provider = row && providers.get(row.type);
    if (!row || row.receipt_token_enc === null || !provider?.receipts) return undefined;
    return { row, provider: provider as ProviderDefinition & Required<Pick<ProviderDefinition, 'receipts'>> };
  }

  /** The account's current token, or the one a rotation replaced while its grace period lasts. */
  function tokenAccepted(row: ChannelAccountsTable, token: string): boolean {
    if (sameToken(token, cryptoBox.decrypt(row.receipt_token_enc!))) return true;
    const { previous_receipt_token_enc: previous, previous_receipt_token_until: until } = row;
    return previous !== null && until !== null && clock.now() < Number(until) && sameToken(token, cryptoBox.decrypt(previous));
  }

  /** The deliveries each entry names, read in one query per chunk of platform ids; entries naming none are logged. */
  async function reportsFor(accountId: string, entries: readonly ReceiptEntry[]): Promise<StatusReport[]> {
    const byProviderId = new Map<string, Array<ReportedRow>>();
    const providerIds = [...new Set(entries.map((entry) => entry.providerMessageId))];
    for (let start = 0; start < providerIds.length; start += IDS_PER_QUERY) {
      const rows = await db
        .selectFrom('deliveries')
        .select(['id', 'message_id', 'app_id', 'status', 'attempts', 'address', 'provider_message_id'])
        .where('channel_account_id', '=', accountId)
        .where('provider_message_id', 'in', providerIds.slice(start, start + IDS_PER_QUERY))
        .where('status', 'in', [...RECEIPT_STATUSES_FROM, 'undelivered'])
        .execute();
      for (const row of rows) byProviderId.set(row.provider_message_id!, [...(byProviderId.get(row.provider_message_id!) ?? []), row]);
    }
    const reports: StatusReport[] = [];
    for (const entry of entries) {
      const deliveries = (byProviderId.get(entry.providerMessageId) ?? []).filter((row) => entry.address === undefined || row.address === entry.address);
      if (deliveries.length === 0) {
        log.info({ channelAccountId: accountId, providerMessageId: entry.providerMessageId, address: entry.address }, 'a receipt names no delivery Herald sent through this account');
        continue;
      }
      for (const delivery of deliveries) reports.push({ delivery, status: entry.status, code: entry.code, message: entry.message });
    }
    return reports;
  }

  return {
    async receive(accountId, token, push) {
      const account = await accountFor(accountId);
      if (!account || !tokenAccepted(account.row, token)) throw unknownEndpoint();
      const { row, provider } = account;
      const url = `${receiptUrlOf(config.http.publicUrl, row.id, token)}${push.search}`;
      const parsed = provider.receipts.parse({ url, headers: push.headers, body: push.body }, readConfigWithSecrets(row, cryptoBox));
      if (parsed.kind === 'refused') {
        log.warn({ channelAccountId: row.id, reason: parsed.reason }, 'a receipt push was refused');
        return parsed.reply;
      }
      const reports = await reportsFor(row.id, parsed.entries);
      if (reports.length > 0) {
        const summary = await db.transaction().execute((trx) => applyStatusReports(trx, database.dialect, reports, clock.now()));
        log.debug({ channelAccountId: row.id, receipts: parsed.entries.length, moved: summary.moved }, 'receipts applied');
      }
      return parsed.reply;
    },
  };
}

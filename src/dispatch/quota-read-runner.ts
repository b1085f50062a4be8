import type { Dispatcher } from 'undici';
import type { Clock } from '../clock.ts';
import type { HeraldConfig } from '../config/config.ts';
import type { Logger } from '../logger.ts';
import type { QuotaReadOutcome, TokenCache } from '../providers/provider.ts';
import type { CryptoBox } from '../security/crypto-box.ts';
import type { HeraldDatabase } from '../storage/database.ts';
import type { QuotaReadRunsTable } from '../storage/schema.ts';
import { createChannelAccountSenders, senderEnvironmentOf, type ProviderLookup } from './channel-account-senders.ts';
import { createLeasedQueue, runAtLeasedTable } from './leased-queue.ts';
import { createPolledLeaseRunner, type PolledLeaseRunner } from './polled-lease-runner.ts';

export const QUOTA_READ_QUEUE = runAtLeasedTable('quota_read_runs', 'running');

export interface QuotaReadRunnerOptions {
  database: HeraldDatabase;
  clock: Clock;
  config: Pick<HeraldConfig, 'delivery' | 'outbound'>;
  providers: ProviderLookup;
  cryptoBox: CryptoBox;
  outboundHttp: Dispatcher;
  tokens: TokenCache;
  workerId: string;
  leaseSeconds: number;
  pollIntervalMs: number;
  logger: Logger;
}

/** The scheduler role's reading of platform-reported quotas; `runDue` reads them when due and this process wins the lease. */
export type QuotaReadRunner = PolledLeaseRunner;

/**
 * Every HERALD_QUOTA_READ_INTERVAL_SECONDS, one scheduler process (the holder of the one
 * `quota_read_runs` row's lease) asks each enabled account whose provider reports its quota
 * (`readsQuota`: WeChat openapi/quota/get) how much is left, one account at a time, and stores
 * the answer in `account_quota_readings` — or the error, keeping the last good answer.
 */
export function createQuotaReadRunner(options: QuotaReadRunnerOptions): QuotaReadRunner {
  const { database, clock, config } = options;
  const { db } = database;
  const log = options.logger.child({ component: 'quota-read-runner', workerId: options.workerId });
  const queue = createLeasedQueue({ database, table: QUOTA_READ_QUEUE, workerId: options.workerId, leaseSeconds: options.leaseSeconds });
  const senders = createChannelAccountSenders({
    database,
    cryptoBox: options.cryptoBox,
    clock,
    providers: options.providers,
    logger: log,
    senderEnvironment: senderEnvironmentOf(config.outbound),
  });

  async function readOne(accountId: string): Promise<QuotaReadOutcome | undefined> {
    const lookup = (await senders.resolve([accountId])).get(accountId);
    if (!lookup?.available || !lookup.account.definition.readsQuota || !lookup.account.readQuota) return undefined;
    const signal = AbortSignal.timeout(config.outbound.requestTimeoutMs);
    try {
      return await lookup.account.readQuota({ http: options.outboundHttp, tokens: options.tokens, clock, signal });
    } catch (error) {
      return { kind: 'retry', code: 'PROVIDER_ERROR', message: error instanceof Error ? error.message : String(error) };
    }
  }

  async function store(accountId: string, outcome: QuotaReadOutcome): Promise<void> {
    const nowMs = clock.now();
    const columns =
      outcome.kind === 'quota'
        ? { reported_limit: outcome.limit, reported_used: outcome.used, reported_remaining: outcome.remaining, read_at: nowMs, error_code: null, error_message: null, error_at: null }
        : { error_code: outcome.code, error_message: outcome.message, error_at: nowMs };
    await db
      .insertInto('account_quota_readings')
      .values({ channel_account_id: accountId, reported_limit: null, reported_used: null, reported_remaining: null, read_at: null, ...columns })
      .onConflict((conflict) => conflict.column('channel_account_id').doUpdateSet(columns))
      .execute();
  }

  async function run(row: QuotaReadRunsTable): Promise<void> {
    const startedMs = clock.now();
    const types = new Set<string>();
    const accounts = await db.selectFrom('channel_accounts').select(['id', 'type']).where('enabled', '=', 1).orderBy('id').execute();
    let read = 0;
    let failed = 0;
    for (const account of accounts) {
      if (!options.providers.get(account.type)?.readsQuota) continue;
      // Each read may take a request timeout: the lease is renewed per account, and a run another scheduler took over stops here.
      const renewed = await db.updateTable('quota_read_runs').set({ lease_expires_at: clock.now() + options.leaseSeconds * 1000 }).where('id', '=', row.id).where(queue.held()).executeTakeFirst();
      if (renewed.numUpdatedRows === 0n) return;
      types.add(account.type);
      const outcome = await readOne(account.id);
      if (!outcome) continue;
      await store(account.id, outcome);
      if (outcome.kind === 'quota') read++;
      else {
        failed++;
        log.warn({ channelAccountId: account.id, code: outcome.code, message: outcome.message }, 'reading an account’s quota from its platform failed');
      }
    }
    const nowMs = clock.now();
    await db
      .updateTable('quota_read_runs')
      .set({ status: 'waiting', run_at: startedMs + config.delivery.quotaReadIntervalSeconds * 1000, lease_owner: null, lease_expires_at: null, last_run_at: nowMs, updated_at: nowMs })
      .where('id', '=', row.id)
      .where(queue.held())
      .execute();
    if (read + failed > 0) log.info({ read, failed, types: [...types] }, 'platform quotas read');
  }

  const runner = createPolledLeaseRunner<QuotaReadRunsTable>({
    database,
    clock,
    queue,
    log,
    pollIntervalMs: options.pollIntervalMs,
    waitingStatus: 'waiting',
    run,
    what: 'quota read',
  });
  return {
    ...runner,
    async stop() {
      await runner.stop();
      await senders.close();
    },
  };
}

import type { Clock } from '../../clock.ts';
import type { RenderedMessage } from '../../providers/provider.ts';
import type { HeraldDatabase } from '../../storage/database.ts';
import type { DeliveriesTable } from '../../storage/schema.ts';
import type { ChannelAccountSender } from '../channel-account-senders.ts';
import type { DeliveryOutcome } from '../../deliveries/delivery-outcome.ts';
import type { FlowLimiter } from '../flow-limiter.ts';
import type { AccountCircuits } from '../account-circuits.ts';
import type { ChannelRouteLookup } from '../channel-route-lookup.ts';
import type { AccountQuotaLedger } from '../account-quota-ledger.ts';

/** A claimed delivery, rendered and with its account, about to be sent. */
export interface SendCandidate {
  delivery: DeliveriesTable;
  account: ChannelAccountSender;
  content: RenderedMessage;
  metadata: Record<string, string>;
}

/**
 * What a gate decides about a delivery it holds back: `deferred` until a time (rescheduled, no
 * attempt used), `skipped` (final, not sent) or `rerouted` to another account of its channel route
 * (due at once, no attempt used), each with a reason code and message for the trail.
 */
export type GateDecision = Extract<DeliveryOutcome, { kind: 'deferred' | 'skipped' | 'rerouted' }>;

/** What every gate may use. */
export interface SendGateServices {
  database: HeraldDatabase;
  clock: Clock;
  flowLimiter: FlowLimiter;
  routes: ChannelRouteLookup;
  circuits: AccountCircuits;
  quotas: AccountQuotaLedger;
  /** How long deliveries of an account out of quota with no known reset wait before the gate looks again. */
  quotaRecheckMs: number;
}

/**
 * One send-time gate. It sees a worker's whole batch at once (in claim order, most urgent first),
 * so it can decide per account or per receiver with one query; deliveries it returns no decision for pass.
 */
export type SendGate = (batch: readonly SendCandidate[], services: SendGateServices) => Promise<ReadonlyMap<SendCandidate, GateDecision>>;

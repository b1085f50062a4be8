import type { ChannelName } from '../../../channels/channel-catalog.ts';
import type { HeraldContext } from '../../../context/herald-context.ts';
import type { ProviderRegistry } from '../../../providers/provider-registry.ts';
import type { Kysely } from 'kysely';
import type { DeliveriesTable, EventsTable, HeraldSchema } from '../../../storage/schema.ts';
import type { AppSettings } from '../../apps/app-service.ts';
import type { MessageTypeForSend } from '../../message-types/message-type-policies.ts';
import type { Receiver } from '../send-request-schema.ts';
import type { AccountForSend, AccountsForSend, RouteForSend, SubscriberForSend } from '../send-directory.ts';

/**
 * The shared draft the accept steps work on (see accept-pipeline.ts): the message being accepted,
 * its planned (receiver × channel) deliveries, and, once built, the rows the accept transaction writes.
 */

/** One receiver as the request named it, with its per-receiver variables (batch sends). */
export interface ReceiverEntry {
  receiver: Receiver;
  data: Record<string, unknown> | null;
  /** Where the receiver is in the request, for error messages (`to[2]`, `receivers[0].to`). */
  field: string;
}

/** What a step decided about one planned delivery; each decision becomes an event in its trail. */
export type AcceptDecision =
  /** Not sent at all: the delivery is stored `skipped` with the reason as its error. */
  | { kind: 'skipped'; code: string; message: string }
  /** Held back: the delivery is stored `scheduled`, due at `untilMs` (or the message's own send time, if later). */
  | { kind: 'deferred'; untilMs: number; code: string; message: string };

type SkipDecision = Extract<AcceptDecision, { kind: 'skipped' }>;

/** One (receiver × channel) on its way to a delivery row, carrying what policies decide on. */
export interface PlannedDelivery {
  readonly receiver: Receiver;
  readonly field: string;
  readonly channel: ChannelName;
  /** Per-receiver variables, merged over the message's data when rendering. */
  readonly data: Record<string, unknown> | null;
  /** The subscriber the receiver names (its id, external id, addresses), if it names one. */
  readonly subscriber: SubscriberForSend | undefined;
  /** The locale the content is rendered in: the request's, else the subscriber's. */
  readonly locale: string | null;
  /** The receiver's IANA time zone (the subscriber's), null when unknown. */
  readonly timeZone: string | null;
  /** Set by resolve-addresses: the account that sends it, and the address it goes to (null when the account is the target). */
  account: AccountForSend | undefined;
  address: string | null;
  decisions: AcceptDecision[];
  /** The id of its delivery row: set by a policy that records the delivery before it is written (digest), else by buildDeliveries. */
  deliveryId?: string;
}

/** What every accept step may use besides the draft. */
export interface AcceptServices extends HeraldContext {
  providers: ProviderRegistry;
  /** Uniform in [0, 1), for weighted routes. */
  random: () => number;
}

export interface AcceptDraft {
  readonly appId: string;
  readonly messageId: string;
  readonly nowMs: number;
  /** When the message asked to be sent: now, unless it was scheduled. */
  readonly sendAtMs: number;
  readonly priority: number;
  /** The locale the request asked for, over each subscriber's. */
  readonly locale: string | undefined;
  readonly channels: readonly ChannelName[];
  readonly receivers: readonly ReceiverEntry[];
  readonly accounts: AccountsForSend;
  /** The account each channel sends through for receivers that are not accounts themselves. */
  readonly accountByChannel: ReadonlyMap<ChannelName, AccountForSend>;
  /** Channels the app routes over several accounts (when the send names no account): each delivery's account is chosen from the route. */
  readonly routes: ReadonlyMap<ChannelName, RouteForSend>;
  /** By external id. */
  readonly subscribers: ReadonlyMap<string, SubscriberForSend>;
  readonly settings: AppSettings;
  /** What the message says before rendering, hashed: its template code or inline content and its shared data (dedup compares it). */
  readonly contentKey: string;
  /** The message's shared template variables (`data`); each delivery's are these merged with its receiver's. */
  readonly data: Record<string, unknown>;
  /** The message type the send named (`type`), with its policy settings; undefined for sends without one. */
  readonly messageType: MessageTypeForSend | undefined;
  /** Steps decide on planned deliveries (skipDelivery, deferDelivery); they never remove one. */
  planned: PlannedDelivery[];
  /** Written by build-deliveries, one row per planned delivery in the same order, and their first events (after the message's `accepted`). */
  deliveries: DeliveriesTable[];
  events: EventsTable[];
}

/** One step of accepting a message: reads and changes the draft; may throw a HeraldError to refuse the request. */
export type AcceptStep = (draft: AcceptDraft, services: AcceptServices) => void | Promise<void>;

/**
 * A policy that counts what earlier messages did (dedup, frequency caps): it runs inside the
 * transaction that writes the message, on `trx`, so what it counts is committed with the message
 * or not at all (a failed or losing idempotent accept takes nothing). It may run more than once
 * for one message (a grouped transaction that fails is retried unit by unit); each run starts
 * from the draft as the plain steps left it.
 */
export type AcceptTransactionStep = (draft: AcceptDraft, services: AcceptServices, trx: Kysely<HeraldSchema>) => Promise<void>;

/** Marks a planned delivery skipped: it is stored, final, and never sent. */
export function skipDelivery(planned: PlannedDelivery, code: string, message: string): void {
  planned.decisions.push({ kind: 'skipped', code, message });
}

/** Holds a planned delivery back until `untilMs`; it is stored `scheduled` and sent then. */
export function deferDelivery(planned: PlannedDelivery, untilMs: number, code: string, message: string): void {
  planned.decisions.push({ kind: 'deferred', untilMs, code, message });
}

/** The skip decision of a planned delivery, if a step made one. */
export function skipOf(planned: PlannedDelivery): SkipDecision | undefined {
  return planned.decisions.find((decision): decision is SkipDecision => decision.kind === 'skipped');
}

/** The planned deliveries no step has skipped: the ones a policy still has to decide on. */
export function liveDeliveries(draft: AcceptDraft): PlannedDelivery[] {
  return draft.planned.filter((planned) => skipOf(planned) === undefined);
}

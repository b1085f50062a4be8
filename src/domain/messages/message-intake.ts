import { createHash } from 'node:crypto';
import type { HeraldContext } from '../../context/herald-context.ts';
import { conflict, invalid, unprocessable } from '../../errors.ts';
import { newId } from '../../ids.ts';
import { ADDRESS_KINDS, normalizeAddress } from '../../channels/address-kinds.ts';
import type { ChannelName } from '../../channels/channel-catalog.ts';
import type { ProviderRegistry } from '../../providers/provider-registry.ts';
import type { Kysely } from 'kysely';
import type { DeliveriesTable, HeraldSchema, MessagesTable } from '../../storage/schema.ts';
import type { AppSettings } from '../apps/app-service.ts';
import type { InlineContent } from '../../templates/template-content.ts';
import { MAX_RECEIVERS_PER_REQUEST, PRIORITIES, type BatchSendRequestBody, type Receiver, type SendReceiver, type SendRequestBody } from './send-request-schema.ts';
import type { MessageTypeDefaults } from '../message-types/message-type-service.ts';
import type { AccountForSend, AccountsForSend, RouteForSend, SendDirectory } from './send-directory.ts';
import type { AcceptDraft, AcceptServices, AcceptStep, AcceptTransactionStep, ReceiverEntry } from './accept-steps/accept-draft.ts';
import { acceptSteps, TRANSACTION_POLICY_STEPS } from './accept-steps/accept-pipeline.ts';
import { liveDeliveries } from './accept-steps/accept-draft.ts';
import { buildDeliveries } from './accept-steps/build-deliveries-step.ts';
import { escalationRows } from './escalation-rows.ts';
import { subscriberIdOf } from './accept-steps/expand-receivers-step.ts';
import { insertRows } from '../../storage/insert-rows.ts';
import { completeMessages } from '../../deliveries/message-completion.ts';
import { eventRow, insertEvents, type NewDeliveryEvent } from '../../deliveries/delivery-events.ts';
import { assertOutboundUrlAllowed } from '../../security/ssrf-guard.ts';

/** The template a send uses, resolved and checked (src/templates plugs in here). */
export interface ResolvedTemplate {
  id: string;
  code: string;
  version: number;
  defaultChannels: ChannelName[];
}
export interface TemplateGate {
  /** Loads the published version; throws TEMPLATE_NOT_FOUND / TEMPLATE_NOT_PUBLISHED. */
  resolve(appId: string, code: string): Promise<ResolvedTemplate>;
  /** Renders once per (channel, data set, locale) within one render budget and throws a 422 naming the variable on failure. */
  check(appId: string, template: ResolvedTemplate | undefined, content: InlineContent | undefined, channels: readonly ChannelName[], dataSets: Record<string, unknown>[], locale: string | undefined): Promise<void>;
}

export interface AcceptedDelivery {
  id: string;
  channel: string;
  receiver: Receiver;
  address: string | null;
  status: DeliveriesTable['status'];
  reason?: string;
}
export interface AcceptedMessage {
  id: string;
  status: MessagesTable['status'];
  sendAt: string | null;
  templateVersion: number | null;
  deliveries: AcceptedDelivery[];
  /** True when this answer replays an earlier request with the same idempotency key. */
  replayed: boolean;
}

/** A sendAt in the past (clock skew) means "now"; further than this in the future is a mistake. */
const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 3600 * 1000;

export type MessageIntake = ReturnType<typeof createMessageIntake>;

/**
 * Accepting a message: validate and look up what it names, run the accept steps (receivers ×
 * channels → planned deliveries → addresses → policies → rows, see accept-steps/accept-pipeline.ts),
 * and commit the message, its deliveries and their first events in one transaction.
 * The deliveries table is the queue, so a committed message is a queued message.
 */
export function createMessageIntake(
  context: HeraldContext,
  deps: {
    directory: SendDirectory;
    providers: ProviderRegistry;
    templates: TemplateGate;
    appSettings(appId: string): Promise<AppSettings>;
    /** Wakes the workers (a latency hint). */
    onQueued(): void;
    /** Wakes the callback worker. */
    onCallbacksQueued(): void;
    /** Told of each message committed (replays are not), with its deliveries: metrics count accepts and up-front skips. */
    onAccepted?(appId: string, deliveries: readonly AcceptedDelivery[]): void;
    /** Accept-time policies, in order. Default: POLICY_STEPS. */
    policies?: readonly AcceptStep[];
    /** Accept-time policies that count, run inside the accept transaction. Default: TRANSACTION_POLICY_STEPS. */
    transactionPolicies?: readonly AcceptTransactionStep[];
    /** Uniform in [0, 1): weighted routes pick accounts with it. Default Math.random (tests seed it). */
    random?: () => number;
  },
) {
  const { database: { db, dialect, batchedTransaction }, clock, config } = context;
  const services: AcceptServices = { ...context, providers: deps.providers, random: deps.random ?? Math.random };
  const steps = acceptSteps(deps.policies);
  const transactionSteps = deps.transactionPolicies ?? TRANSACTION_POLICY_STEPS;

  async function accept(appId: string, body: SendRequestBody | BatchSendRequestBody, idempotencyHeader: string | undefined): Promise<AcceptedMessage> {
    const idempotencyKey = idempotencyHeader ?? body.idempotencyKey;
    if (idempotencyHeader !== undefined && body.idempotencyKey !== undefined && idempotencyHeader !== body.idempotencyKey) {
      throw invalid('IDEMPOTENCY_KEY_MISMATCH', 'The Idempotency-Key header and the idempotencyKey field differ; send one of them');
    }
    // Only an idempotent request is ever compared with another, so only it pays for hashing the body.
    const { idempotencyKey: _ignored, ...hashed } = body;
    const requestHash = idempotencyKey === undefined ? '' : createHash('sha256').update(canonicalJson(hashed)).digest('hex');
    if (idempotencyKey !== undefined) {
      const earlier = await replayIdempotent(appId, idempotencyKey, requestHash);
      if (earlier) return earlier;
    }

    // A send by type takes the type's receivers, channels, template and urgency where the request gives none.
    const messageType = 'type' in body && body.type !== undefined ? await deps.directory.messageType(appId, body.type) : undefined;
    const written: ReceiverEntry[] =
      'receivers' in body
        ? body.receivers.map((item, index) => ({ receiver: item.to, data: item.data ?? null, field: `receivers[${index}].to` }))
        : await receiverEntries(appId, body, messageType);
    if (body.content !== undefined && body.template !== undefined) throw invalid('CONTENT_MISSING', 'Give either content or template, not both');
    const templateCode = body.template ?? (body.content === undefined ? (messageType?.template ?? undefined) : undefined);
    if (body.content === undefined && templateCode === undefined) {
      throw invalid('CONTENT_MISSING', messageType ? `Message type "${messageType.code}" has no template; give content or a template code` : 'Give the message content, or a template code');
    }
    const entries = written.map(withNormalizedAddress);
    if (body.callbackUrl !== undefined) assertOutboundUrlAllowed(body.callbackUrl, config.outbound, 'callbackUrl');

    const now = clock.now();
    const sendAt = scheduleTime(body, now);
    const template = templateCode !== undefined ? await deps.templates.resolve(appId, templateCode) : undefined;
    const accounts = await deps.directory.accountsForSend(appId);
    const subscriberIds = [...new Set(entries.map((e) => subscriberIdOf(e.receiver)).filter((id): id is string => id !== undefined))];
    const subscribers = await deps.directory.findSubscribers(appId, subscriberIds);
    const missing = subscriberIds.filter((id) => !subscribers.has(id));
    if (missing.length > 0) {
      throw unprocessable('SUBSCRIBER_NOT_FOUND', `Unknown subscriber${missing.length > 1 ? 's' : ''}: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ' …' : ''}; create them under /v1/subscribers first`, {
        subscribers: missing.slice(0, 100),
      });
    }

    entries.forEach((entry) => checkAccountReceiver(entry, accounts));
    const typeChannels = messageType && messageType.channels.length > 0 ? messageType.channels : undefined;
    const channels = chooseChannels(body.channels ?? typeChannels, template, entries, accounts);
    const accountByChannel = new Map<ChannelName, AccountForSend>();
    const routes = new Map<ChannelName, RouteForSend>();
    for (const channel of channels) {
      const named = body.channelAccounts?.[channel];
      const route = named === undefined ? accounts.routeFor(channel) : undefined;
      if (route) routes.set(channel, route);
      const account = named !== undefined ? accounts.find(named) : (route?.accounts[0]!.account ?? accounts.defaultFor(channel));
      if (named !== undefined && (!account || account.channel !== channel)) {
        throw unprocessable('CHANNEL_ACCOUNT_NOT_FOUND', `channelAccounts.${channel}: no enabled ${channel} account "${named}" in this app`, { field: `channelAccounts.${channel}` });
      }
      if (account) accountByChannel.set(channel, account);
    }
    for (const key of Object.keys(body.channelAccounts ?? {})) {
      if (!channels.includes(key as ChannelName)) throw invalid('CHANNEL_NOT_REQUESTED', `channelAccounts.${key}: "${key}" is not one of the channels of this message`, { field: `channelAccounts.${key}` });
    }

    const sharedData = body.data ?? {};
    // Render once per distinct variable set, so a bad variable is a 422 now rather than a failed delivery later.
    const distinctData = new Map(entries.map((entry) => {
      const data = entry.data ? { ...sharedData, ...entry.data } : sharedData;
      return [JSON.stringify(data), data];
    }));
    await deps.templates.check(appId, template, body.content, channels, [...distinctData.values()], body.locale);

    const messageId = newId('msg', now);
    const draft: AcceptDraft = {
      appId,
      messageId,
      nowMs: now,
      sendAtMs: sendAt,
      priority: PRIORITIES.indexOf(body.priority ?? messageType?.urgency ?? 'normal'),
      locale: body.locale,
      channels,
      receivers: entries,
      accounts,
      accountByChannel,
      routes,
      subscribers,
      settings: await deps.appSettings(appId),
      contentKey: createHash('sha256').update(canonicalJson({ template: template?.code ?? null, content: body.content ?? null, data: sharedData })).digest('base64url'),
      data: sharedData,
      messageType,
      planned: [],
      deliveries: [],
      events: [eventRow({ messageId, deliveryId: null, appId, type: 'accepted', at: now })],
    };
    for (const step of steps) await step(draft, services);
    if (body.content !== undefined) refuseInlineForVendorTemplates(draft, deps.providers);
    // What the plain steps decided: each run of the transaction below starts again from here.
    const decidedBefore = draft.planned.map((planned) => planned.decisions.length);
    const firstEvents = draft.events.length;

    /** The counting policies on `trx`, then the rows to write: run inside the accept transaction. */
    async function decideAndBuild(trx: Kysely<HeraldSchema>) {
      // Fresh delivery ids too: a derived first event sorts by its delivery's id, which must come after the events of the deliveries before it.
      draft.planned.forEach((planned, index) => {
        planned.decisions.length = decidedBefore[index]!;
        planned.deliveryId = undefined;
      });
      draft.deliveries.length = 0;
      draft.events.length = firstEvents;
      for (const step of transactionSteps) await step(draft, services, trx);
      buildDeliveries(draft, services);
      const { deliveries } = draft;
      const accepted = deliveries.map((row, index): AcceptedDelivery => {
        const { receiver } = draft.planned[index]!;
        return { id: row.id, channel: row.channel, receiver, address: row.address, status: row.status, ...(row.status === 'skipped' ? { reason: row.last_error_code! } : {}) };
      });
      const pending = deliveries.filter((d) => d.status !== 'skipped').length;
      const message: MessagesTable = {
        id: messageId,
        app_id: appId,
        status: 'accepted',
        priority: draft.priority,
        idempotency_key: idempotencyKey ?? null,
        request_hash: requestHash,
        content: body.content ? JSON.stringify(body.content) : null,
        template_id: template?.id ?? null,
        template_code: template?.code ?? null,
        template_version: template?.version ?? null,
        data: JSON.stringify(sharedData),
        metadata: JSON.stringify(body.metadata ?? {}),
        callback_url: body.callbackUrl ?? null,
        callback_per_delivery: body.callbackPerDelivery ? 1 : 0,
        send_at: sendAt > now ? sendAt : null,
        delivery_count: deliveries.length,
        pending_count: pending,
        created_at: now,
        updated_at: now,
        completed_at: null,
        type_code: messageType?.code ?? null,
      };
      return { accepted, pending, message, deliveries, events: draft.events };
    }

    let queuedCallbacks = false;
    let outcome: Awaited<ReturnType<typeof decideAndBuild>>;
    try {
      outcome = await batchedTransaction(async (trx, later) => {
        queuedCallbacks = false;
        const built = await decideAndBuild(trx);
        const { pending, message, deliveries, events } = built;
        const tags = Object.entries(body.metadata ?? {}).map(([key, value]) => ({ message_id: messageId, app_id: appId, key, value }));
        if (pending > 0) {
          // Written with the rows of concurrent accepts: one INSERT per table for the whole group.
          later.add('messages', [message]);
          later.add('message_tags', tags);
          later.add('deliveries', deliveries);
          later.add('events', events);
          later.add('escalations', escalationRows(draft, deliveries));
        } else {
          // Every delivery was skipped up front: the message completes now (reading its deliveries back), with its event and callback.
          await insertRows(trx, dialect, 'messages', [message]);
          await insertRows(trx, dialect, 'message_tags', tags);
          await insertRows(trx, dialect, 'deliveries', deliveries);
          await insertRows(trx, dialect, 'events', events);
          const completionEvents: NewDeliveryEvent[] = [];
          const { callbacksQueued } = await completeMessages(trx, [messageId], now, completionEvents);
          await insertEvents(trx, dialect, completionEvents);
          if (callbacksQueued > 0) queuedCallbacks = true;
        }
        return built;
      });
    } catch (error) {
      // Two requests raced with the same idempotency key: the loser answers like a replay.
      if (idempotencyKey !== undefined) {
        const earlier = await replayIdempotent(appId, idempotencyKey, requestHash);
        if (earlier) return earlier;
      }
      throw error;
    }
    const { pending, message, accepted } = outcome;
    if (pending > 0) deps.onQueued();
    if (queuedCallbacks) deps.onCallbacksQueued();
    deps.onAccepted?.(appId, accepted);
    return { id: messageId, status: pending === 0 ? 'completed' : 'accepted', sendAt: message.send_at ? new Date(message.send_at).toISOString() : null, templateVersion: message.template_version, deliveries: accepted, replayed: false };
  }

  async function replayIdempotent(appId: string, key: string, requestHash: string): Promise<AcceptedMessage | undefined> {
    const message = await db.selectFrom('messages').selectAll().where('app_id', '=', appId).where('idempotency_key', '=', key).executeTakeFirst();
    if (!message) return undefined;
    if (message.request_hash !== requestHash) {
      throw conflict('IDEMPOTENCY_CONFLICT', `Idempotency key "${key}" was already used with a different request (message ${message.id}); use a new key for a new message`, { messageId: message.id });
    }
    const rows = await db.selectFrom('deliveries').select(['id', 'channel', 'receiver', 'address', 'status', 'last_error_code']).where('message_id', '=', message.id).orderBy('id').execute();
    return {
      id: message.id,
      status: message.status,
      sendAt: message.send_at ? new Date(message.send_at).toISOString() : null,
      templateVersion: message.template_version,
      deliveries: rows.map((row) => ({
        id: row.id,
        channel: row.channel,
        receiver: JSON.parse(row.receiver) as Receiver,
        address: row.address,
        status: row.status,
        ...(row.status === 'skipped' && row.last_error_code ? { reason: row.last_error_code } : {}),
      })),
      replayed: true,
    };
  }

  /**
   * The receivers of a plain send: the type's, then the request's `to`, groups expanded to their
   * members now; a subscriber named more than once (in two groups, or a group and `to`) gets the message once.
   */
  async function receiverEntries(appId: string, body: SendRequestBody, messageType: MessageTypeDefaults | undefined): Promise<ReceiverEntry[]> {
    const named = [
      ...(messageType?.receivers ?? []).map((receiver, index) => ({ receiver, field: `type ${messageType!.code} receivers[${index}]` })),
      ...(body.to ?? []).map((receiver, index) => ({ receiver, field: `to[${index}]` })),
    ];
    if (named.length === 0) {
      throw invalid('RECEIVERS_MISSING', messageType ? `to: message type "${messageType.code}" names no receivers; give them in to` : 'to: say who receives the message', { field: 'to' });
    }
    const groupOf = (receiver: SendReceiver) => (typeof receiver === 'object' && 'group' in receiver ? receiver.group : undefined);
    const members = await deps.directory.groupMembers(appId, named.map((n) => groupOf(n.receiver)).filter((group): group is string => group !== undefined));
    const entries: ReceiverEntry[] = [];
    const seen = new Set<string>();
    const add = (receiver: Receiver, field: string) => {
      const subscriber = subscriberIdOf(receiver);
      if (subscriber !== undefined && seen.has(subscriber)) return;
      if (subscriber !== undefined) seen.add(subscriber);
      entries.push({ receiver, data: null, field });
    };
    for (const { receiver, field } of named) {
      const group = groupOf(receiver);
      if (group === undefined) add(receiver as Receiver, field);
      else for (const member of members.get(group)!) add(member, `${field}.group`);
    }
    if (entries.length === 0) throw unprocessable('NO_RECEIVERS', 'The receiver groups of this message have no members now; nothing to send', { field: 'to' });
    if (entries.length > MAX_RECEIVERS_PER_REQUEST) {
      throw unprocessable('RECEIVERS_TOO_MANY', `The message reaches ${entries.length} receivers with its groups expanded; at most ${MAX_RECEIVERS_PER_REQUEST} per message`, { field: 'to' });
    }
    return entries;
  }

  function chooseChannels(requested: readonly ChannelName[] | undefined, template: ResolvedTemplate | undefined, entries: ReceiverEntry[], accounts: AccountsForSend): ChannelName[] {
    const chosen = requested ?? (template && template.defaultChannels.length > 0 ? template.defaultChannels : undefined);
    if (chosen) {
      for (const channel of chosen) {
        const usedByAccountReceiver = entries.some((e) => typeof e.receiver === 'object' && 'channelAccount' in e.receiver && accounts.find(e.receiver.channelAccount)?.channel === channel);
        if (!accounts.defaultFor(channel) && !usedByAccountReceiver) {
          const source = requested ? 'channels' : `channels (template "${template!.code}" sends on ${chosen.join(', ')} by default)`;
          throw unprocessable('CHANNEL_NOT_CONFIGURED', `${source}: this app has no enabled ${channel} account; add one under /v1/channel-accounts`, { field: 'channels' });
        }
      }
      return [...chosen];
    }
    // Without channels, account receivers go to their own channel and address receivers to the channels their address fits.
    const inferred = new Set<ChannelName>();
    for (const entry of entries) {
      if (typeof entry.receiver === 'object' && 'channelAccount' in entry.receiver) {
        const account = accounts.find(entry.receiver.channelAccount);
        if (account) inferred.add(account.channel);
      }
    }
    if (inferred.size === 0) throw invalid('CHANNELS_MISSING', 'channels: say which channels to send on, e.g. ["email"]', { field: 'channels' });
    return [...inferred];
  }

  return { accept };
}

/** An account receiver names an enabled account of the app; an unknown one is the caller's mistake, not a silent no-op. */
function checkAccountReceiver({ receiver, field }: ReceiverEntry, accounts: AccountsForSend): void {
  if (typeof receiver !== 'object' || !('channelAccount' in receiver) || accounts.find(receiver.channelAccount)) return;
  throw unprocessable('CHANNEL_ACCOUNT_NOT_FOUND', `${field}.channelAccount: no enabled channel account "${receiver.channelAccount}" in this app; see /v1/channel-accounts`, {
    field: `${field}.channelAccount`,
  });
}

/** An address receiver with its address as stored and sent (`+86 138-0013-8000` → `+8613800138000`); refuses one that is none. */
function withNormalizedAddress(entry: ReceiverEntry): ReceiverEntry {
  const { receiver, field } = entry;
  if (typeof receiver !== 'object') return entry;
  const kind = ADDRESS_KINDS.find((k) => k in receiver);
  if (!kind) return entry;
  const written = (receiver as Record<string, string>)[kind]!;
  const normalized = normalizeAddress(kind, written, `${field}.${kind}`);
  return normalized === written ? entry : { ...entry, receiver: { ...receiver, [kind]: normalized } as typeof receiver };
}

function scheduleTime(body: { sendAt?: string; delaySeconds?: number }, now: number): number {
  if (body.sendAt !== undefined && body.delaySeconds !== undefined) throw invalid('SCHEDULE_AMBIGUOUS', 'Give sendAt or delaySeconds, not both', { field: 'sendAt' });
  if (body.delaySeconds !== undefined) return now + body.delaySeconds * 1000;
  if (body.sendAt === undefined) return now;
  const at = Date.parse(body.sendAt);
  if (Number.isNaN(at) || !/([zZ]|[+-]\d\d:\d\d)$/.test(body.sendAt)) {
    throw invalid('SEND_AT_INVALID', `sendAt: "${body.sendAt}" is not an RFC 3339 time with a zone, like 2026-05-01T09:00:00+08:00`, { field: 'sendAt' });
  }
  if (at - now > MAX_SCHEDULE_AHEAD_MS) throw invalid('SEND_AT_TOO_FAR', 'sendAt: more than a year ahead; schedule nearer sends', { field: 'sendAt' });
  return Math.max(at, now);
}

/** JSON with sorted keys, so the same request always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Inline content cannot name a vendor template: refused for accounts whose platform sends nothing else, rather than failing every delivery later. */
function refuseInlineForVendorTemplates(draft: AcceptDraft, providers: ProviderRegistry): void {
  for (const planned of liveDeliveries(draft)) {
    const account = planned.account;
    if (!account || !providers.require(account.type).sendsVendorTemplatesOnly) continue;
    throw unprocessable(
      'VENDOR_TEMPLATE_REQUIRED',
      `channels: the ${planned.channel} account "${account.name}" (${account.type}) sends only templates registered with the vendor; send a template whose channels.${planned.channel} names its templateCode`,
      { field: 'content', channel: planned.channel, channelAccount: account.name },
    );
  }
}

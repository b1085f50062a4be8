import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SendOutcome } from '../providers/provider.ts';
import type { DeliveriesTable } from '../storage/schema.ts';
import { transitionFor, type DeliveryOutcome } from './delivery-outcome.ts';
import {
  DELIVERY_STATUSES,
  DELIVERY_TRANSITIONS,
  FINAL_DELIVERY_STATUSES,
  SENT_DELIVERY_STATUSES,
  FINAL_MESSAGE_STATUSES,
  MESSAGE_STATUSES,
  MESSAGE_TRANSITIONS,
  RETRYABLE_DELIVERY_STATUSES,
  WAITING_DELIVERY_STATUSES,
  type DeliveryStatus,
} from './delivery-status.ts';
import { finalMessageStatus } from './message-completion.ts';

const sourcesOf = (to: DeliveryStatus) => DELIVERY_STATUSES.filter((from) => (DELIVERY_TRANSITIONS[from] as readonly DeliveryStatus[]).includes(to));
const sorted = (statuses: readonly string[]) => [...statuses].sort();

test('a cancel stops exactly the waiting deliveries, and a manual retry reopens exactly the retryable final ones', () => {
  assert.deepEqual(sorted(sourcesOf('canceled')), sorted(WAITING_DELIVERY_STATUSES));
  assert.deepEqual(sorted(sourcesOf('queued').filter((status) => (FINAL_DELIVERY_STATUSES as readonly string[]).includes(status))), sorted(RETRYABLE_DELIVERY_STATUSES));
});

test('only waiting deliveries are claimed, and no final delivery goes back to a worker', () => {
  assert.deepEqual(sorted(sourcesOf('sending')), sorted(WAITING_DELIVERY_STATUSES));
  for (const status of FINAL_DELIVERY_STATUSES) {
    for (const next of DELIVERY_TRANSITIONS[status] as readonly DeliveryStatus[]) {
      // A final delivery moves on only by hand (back to queued) or by what the platform reports about a sent one.
      const reported = (SENT_DELIVERY_STATUSES as readonly string[]).includes(status) && ['delivered', 'read', 'undelivered', 'recalled'].includes(next);
      assert.ok(next === 'queued' || reported, `${status} -> ${next}`);
    }
  }
});

test('every outcome of a send moves the delivery along an allowed transition', () => {
  const delivery = (attempts: number, maxAttempts: number, expiresAt: number): DeliveriesTable => ({
    id: 'dlv_1',
    message_id: 'msg_1',
    app_id: 'app_1',
    channel: 'webhook',
    channel_account_id: 'cha_1',
    receiver: '{}',
    subscriber_id: null,
    address: null,
    data: null,
    locale: null,
    status: 'sending',
    priority: 5,
    run_at: null,
    attempts,
    max_attempts: maxAttempts,
    expires_at: expiresAt,
    lease_owner: 'w1',
    lease_expires_at: 2_000,
    provider_message_id: null,
    last_error_code: null,
    last_error_message: null,
    created_at: 0,
    updated_at: 0,
    sent_at: null,
  });
  const sendOutcomes: SendOutcome[] = [
    { kind: 'sent', providerMessageId: 'p1' },
    { kind: 'retry', code: 'HTTP_503', message: 'busy' },
    { kind: 'rate_limited', code: 'HTTP_429', message: 'slow down', retryAfterMs: 5_000 },
    { kind: 'failed', code: 'HTTP_400', message: 'bad address' },
  ];
  const outcomes: DeliveryOutcome[] = [...sendOutcomes, { kind: 'deferred', untilMs: 60_000, code: 'FLOW_LIMITED', message: 'flow limit', trailEvent: 'flow_limited' }, { kind: 'deferred', untilMs: 60_000, code: 'QUIET_HOURS', message: 'held' }, { kind: 'skipped', code: 'OPTED_OUT', message: 'opted out' }, { kind: 'lease_expired' }];
  const seen = new Set<DeliveryStatus>();
  for (const outcome of outcomes) {
    for (const row of [delivery(1, 5, 1e9), delivery(3, 5, 1e9), delivery(5, 5, 1e9), delivery(2, 5, 1_500)]) {
      const { status } = transitionFor({ delivery: row, outcome }, { backoff: { baseMs: 1_000, maxMs: 60_000 }, nowMs: 1_000 });
      assert.ok((DELIVERY_TRANSITIONS.sending as readonly DeliveryStatus[]).includes(status), `${outcome.kind} at attempt ${row.attempts} -> ${status}`);
      seen.add(status);
    }
  }
  // The outcomes reach every move a send may make.
  assert.deepEqual(sorted([...seen]), sorted(DELIVERY_TRANSITIONS.sending));
});

test('a message leaves accepted only for a final status, the one its deliveries decide', () => {
  assert.deepEqual(sorted(MESSAGE_TRANSITIONS.accepted), sorted(FINAL_MESSAGE_STATUSES));
  assert.deepEqual(sorted(MESSAGE_STATUSES.filter((status) => status !== 'accepted')), sorted(FINAL_MESSAGE_STATUSES));
  const decided = new Set<string>();
  for (const statuses of [['sent', 'skipped'], ['failed'], ['canceled', 'skipped'], ['sent', 'failed'], ['delivered'], ['canceled', 'sent']] as DeliveryStatus[][]) {
    const status = finalMessageStatus(new Map(statuses.map((s) => [s, 1])));
    assert.ok((FINAL_MESSAGE_STATUSES as readonly string[]).includes(status), status);
    decided.add(status);
  }
  assert.deepEqual(sorted([...decided]), sorted(FINAL_MESSAGE_STATUSES));
});

test('a final message is decided again only towards more failure, when sent deliveries are reported failed', () => {
  assert.deepEqual(sorted(MESSAGE_TRANSITIONS.completed), ['failed', 'partially_failed']);
  assert.deepEqual(sorted(MESSAGE_TRANSITIONS.partially_failed), ['accepted', 'failed']);
  assert.deepEqual(MESSAGE_TRANSITIONS.failed, ['accepted']);
  // What the revision computes after a sent delivery turned failed.
  assert.equal(finalMessageStatus(new Map<DeliveryStatus, number>([['read', 1], ['failed', 1]])), 'partially_failed');
  assert.equal(finalMessageStatus(new Map<DeliveryStatus, number>([['failed', 2]])), 'failed');
});

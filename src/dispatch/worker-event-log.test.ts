import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogCapture } from '../../test/support/test-herald.ts';
import { createLogger } from '../logger.ts';
import { logWorkerEvents } from './worker-event-log.ts';
import { createWorkerEvents } from './worker-events.ts';

const report = { workerId: 'w-1', deliveryId: 'dlv_1', messageId: 'msg_1', appId: 'app_1', channel: 'email', channelAccountId: 'cha_1', providerType: 'smtp', attempts: 1, acceptedAtMs: 0, sendDurationMs: 12 };

test('worker events are logged at their level: routine outcomes at debug, final failures at info, lost work at warn, errors at error', () => {
  const capture = new LogCapture();
  const events = createWorkerEvents(() => assert.fail('no listener throws'));
  const unsubscribe = logWorkerEvents(events, createLogger('info', capture));
  events.emit('delivery.sent', { ...report, providerMessageId: 'p-1', sentAtMs: 5 });
  events.emit('delivery.failed', { ...report, code: 'BAD_ADDRESS', message: 'no such mailbox' });
  events.emit('lease.lost', { workerId: 'w-1', component: 'delivery-worker', count: 2 });
  events.emit('worker.error', { workerId: 'w-1', component: 'callback-worker', error: new Error('disk full'), during: 'writing 3 callback results (retrying)' });
  unsubscribe();
  events.emit('delivery.failed', { ...report, code: 'AFTER', message: 'not logged once unsubscribed' });

  const lines = capture.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(
    lines.map((line) => [line.level, line.event, line.msg]),
    [
      [30, 'delivery.failed', 'delivery failed'],
      [40, 'lease.lost', 'results dropped: their leases had expired and another worker took them over'],
      [50, 'worker.error', 'worker error while writing 3 callback results (retrying)'],
    ],
  );
  assert.equal(lines[0]!.code, 'BAD_ADDRESS');
  assert.equal(lines[0]!.deliveryId, 'dlv_1');
  assert.equal(lines[1]!.count, 2);
  assert.equal((lines[2]!.err as { message: string }).message, 'disk full');
  assert.equal(lines[2]!.component, 'callback-worker');
});

test('at debug the routine outcomes are logged too', () => {
  const capture = new LogCapture();
  const events = createWorkerEvents(() => assert.fail('no listener throws'));
  logWorkerEvents(events, createLogger('debug', capture));
  events.emit('delivery.sent', { ...report, providerMessageId: 'p-1', sentAtMs: 5 });
  const [line] = capture.lines.map((text) => JSON.parse(text) as Record<string, unknown>);
  assert.deepEqual([line!.level, line!.event, line!.providerMessageId], [20, 'delivery.sent', 'p-1']);
});

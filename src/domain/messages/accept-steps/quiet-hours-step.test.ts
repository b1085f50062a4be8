import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HeraldContext } from '../../../context/herald-context.ts';
import type { MessageTypePolicies } from '../../message-types/message-type-policies.ts';
import { PRIORITIES } from '../send-request-schema.ts';
import type { AcceptDraft, AcceptServices, PlannedDelivery } from './accept-draft.ts';
import { quietHours, quietHoursEnd } from './quiet-hours-step.ts';

const NIGHT = { start: '22:00', end: '08:00' } as const;

describe('quietHoursEnd', () => {
  test('a window across midnight: before midnight it ends the next local morning, after midnight the same morning', () => {
    // 23:30 and 02:00 in Shanghai (UTC+8) → 08:00 on 6 January there, 00:00 UTC.
    assert.equal(quietHoursEnd(NIGHT, 'Asia/Shanghai', Date.UTC(2026, 0, 5, 15, 30)), Date.UTC(2026, 0, 6, 0, 0));
    assert.equal(quietHoursEnd(NIGHT, 'Asia/Shanghai', Date.UTC(2026, 0, 5, 18, 0)), Date.UTC(2026, 0, 6, 0, 0));
    // The window's edges: 22:00 is inside, 08:00 outside, 21:59 outside.
    assert.equal(quietHoursEnd(NIGHT, 'Asia/Shanghai', Date.UTC(2026, 0, 5, 14, 0)), Date.UTC(2026, 0, 6, 0, 0));
    assert.equal(quietHoursEnd(NIGHT, 'Asia/Shanghai', Date.UTC(2026, 0, 6, 0, 0)), undefined);
    assert.equal(quietHoursEnd(NIGHT, 'Asia/Shanghai', Date.UTC(2026, 0, 5, 13, 59)), undefined);
  });

  test('a window within one day, and an empty one', () => {
    const lunch = { start: '12:00', end: '13:30' };
    assert.equal(quietHoursEnd(lunch, 'UTC', Date.UTC(2026, 0, 5, 12, 45)), Date.UTC(2026, 0, 5, 13, 30));
    assert.equal(quietHoursEnd(lunch, 'UTC', Date.UTC(2026, 0, 5, 13, 30)), undefined);
    assert.equal(quietHoursEnd({ start: '08:00', end: '08:00' }, 'UTC', Date.UTC(2026, 0, 5, 8, 0)), undefined);
  });

  test('the end is the local 08:00 across a DST change: the night New York springs forward lasts an hour less', () => {
    // 23:00 EST on 7 March 2026 (04:00 UTC on the 8th); clocks go 02:00 → 03:00; 08:00 EDT is 12:00 UTC.
    assert.equal(quietHoursEnd(NIGHT, 'America/New_York', Date.UTC(2026, 2, 8, 4, 0)), Date.UTC(2026, 2, 8, 12, 0));
    // The night they fall back (1 November 2026), 08:00 EST is 13:00 UTC.
    assert.equal(quietHoursEnd(NIGHT, 'America/New_York', Date.UTC(2026, 10, 1, 3, 0)), Date.UTC(2026, 10, 1, 13, 0));
  });
});

describe('the quiet-hours step', () => {
  // 23:00 in Shanghai, 10:00 in New York, 15:00 UTC.
  const nowMs = Date.UTC(2026, 0, 5, 15, 0);
  const services = {} as AcceptServices & HeraldContext;

  function planned(timeZone: string | null, address: string): PlannedDelivery {
    return { receiver: { email: address }, field: 'to[0]', channel: 'email', data: null, subscriber: undefined, locale: null, timeZone, account: undefined, address, decisions: [] };
  }
  function draft(policies: MessageTypePolicies | undefined, deliveries: PlannedDelivery[], options: { priority?: (typeof PRIORITIES)[number]; appTimeZone?: string } = {}): AcceptDraft {
    return {
      appId: 'app_1',
      messageId: 'msg_1',
      nowMs,
      sendAtMs: nowMs,
      priority: PRIORITIES.indexOf(options.priority ?? 'normal'),
      locale: undefined,
      channels: ['email'],
      receivers: [],
      accounts: { find: () => undefined, defaultFor: () => undefined, routeFor: () => undefined },
      accountByChannel: new Map(),
      routes: new Map(),
      subscribers: new Map(),
      settings: options.appTimeZone ? { timezone: options.appTimeZone } : {},
      contentKey: 'k',
      data: {},
      messageType: policies && { id: 'mt_1', code: 'order.paid', category: null, critical: false, policies },
      planned: deliveries,
      deliveries: [],
      events: [],
    };
  }

  test('hold defers only the receiver whose night it is, to its own 08:00; drop skips it', async () => {
    const held = draft({ quietHours: { ...NIGHT, action: 'hold' } }, [planned('Asia/Shanghai', 'li@example.com'), planned('America/New_York', 'ann@example.com')]);
    await quietHours(held, services);
    assert.deepEqual(held.planned.map((p) => p.decisions), [[{ kind: 'deferred', untilMs: Date.UTC(2026, 0, 6, 0, 0), code: 'QUIET_HOURS', message: 'Quiet hours 22:00–08:00 in Asia/Shanghai' }], []]);

    const dropped = draft({ quietHours: { ...NIGHT, action: 'drop' } }, [planned('Asia/Shanghai', 'li@example.com')]);
    await quietHours(dropped, services);
    assert.deepEqual(dropped.planned[0]!.decisions, [{ kind: 'skipped', code: 'QUIET_HOURS', message: 'Quiet hours 22:00–08:00 in Asia/Shanghai' }]);
  });

  test("a receiver without a zone is judged in the app's zone, else UTC", async () => {
    const inAppZone = draft({ quietHours: { ...NIGHT, action: 'drop' } }, [planned(null, 'x@example.com')], { appTimeZone: 'Asia/Tokyo' });
    await quietHours(inAppZone, services);
    assert.equal(inAppZone.planned[0]!.decisions[0]?.message, 'Quiet hours 22:00–08:00 in Asia/Tokyo');
    // 15:00 UTC is daytime.
    const inUtc = draft({ quietHours: { ...NIGHT, action: 'drop' } }, [planned(null, 'x@example.com')]);
    await quietHours(inUtc, services);
    assert.deepEqual(inUtc.planned[0]!.decisions, []);
  });

  test('urgent messages bypass unless the type says urgentBypass: false; no type or no rule decides nothing', async () => {
    const bypass = draft({ quietHours: { ...NIGHT, action: 'drop' } }, [planned('Asia/Shanghai', 'li@example.com')], { priority: 'urgent' });
    await quietHours(bypass, services);
    assert.deepEqual(bypass.planned[0]!.decisions, []);
    const high = draft({ quietHours: { ...NIGHT, action: 'drop' } }, [planned('Asia/Shanghai', 'li@example.com')], { priority: 'high' });
    await quietHours(high, services);
    assert.equal(high.planned[0]!.decisions.length, 1, 'only urgent bypasses');
    const strict = draft({ quietHours: { ...NIGHT, action: 'drop', urgentBypass: false } }, [planned('Asia/Shanghai', 'li@example.com')], { priority: 'urgent' });
    await quietHours(strict, services);
    assert.equal(strict.planned[0]!.decisions[0]?.code, 'QUIET_HOURS');
    for (const policies of [undefined, { dedupSeconds: 60 }]) {
      const none = draft(policies, [planned('Asia/Shanghai', 'li@example.com')]);
      await quietHours(none, services);
      assert.deepEqual(none.planned[0]!.decisions, []);
    }
  });

  test('what an earlier step skipped is left alone', async () => {
    const skipped = planned('Asia/Shanghai', 'li@example.com');
    skipped.decisions.push({ kind: 'skipped', code: 'NO_ADDRESS', message: 'none' });
    const d = draft({ quietHours: { ...NIGHT, action: 'hold' } }, [skipped]);
    await quietHours(d, services);
    assert.equal(skipped.decisions.length, 1);
  });
});
